/**
 * The one definition of the daemon's status shape. The GraphQL SDL, the
 * client's query and the TypeScript type are all derived from these tables,
 * so they cannot drift apart. No graphql import: the client path reads this.
 */

const MEMORY_FIELDS = {
  rss: 'Float!',
  heapUsed: 'Float!',
  heapTotal: 'Float!',
  external: 'Float!',
} as const;

const STATUS_FIELDS = {
  instanceId: 'String!',
  pid: 'Int!',
  version: 'String!',
  startedAt: 'String!',
  uptimeSeconds: 'Float!',
  projectDir: 'String!',
  logFile: 'String!',
  foreground: 'Boolean!',
  requestsServed: 'Int!',
  droppedLines: 'Int!',
  memory: 'Memory!',
} as const;

type Scalar<T> = T extends 'String!' ? string : T extends 'Int!' | 'Float!' ? number : T extends 'Boolean!' ? boolean : never;

/** Memory figures of the daemon process, in bytes. */
export type MemoryStatus = { [K in keyof typeof MEMORY_FIELDS]: Scalar<(typeof MEMORY_FIELDS)[K]> };

/** What `Query.status` returns. */
export type LiveStatus = {
  [K in keyof typeof STATUS_FIELDS]: K extends 'memory' ? MemoryStatus : Scalar<(typeof STATUS_FIELDS)[K]>;
};

function sdlFields(fields: Record<string, string>): string {
  return Object.entries(fields)
    .map(([k, t]) => `  ${k}: ${t}`)
    .join('\n');
}

/** The kit's part of the schema. Tools add to it with `extend type Query`. */
export const STATUS_TYPE_DEFS = `
"Memory of the daemon process, in bytes."
type Memory {
${sdlFields(MEMORY_FIELDS)}
}

"Live status of the daemon."
type DaemonStatus {
${sdlFields(STATUS_FIELDS)}
}

type Query {
  "Live status of the daemon."
  status: DaemonStatus!
}

type Subscription {
  "The status now, then again on every change, and every intervalSeconds if given (>= 0.1)."
  status(intervalSeconds: Float): DaemonStatus!
}
`;

/** The selection set that fetches the whole status. */
export const STATUS_SELECTION = `{ ${Object.keys(STATUS_FIELDS)
  .map((k) => (k === 'memory' ? `memory { ${Object.keys(MEMORY_FIELDS).join(' ')} }` : k))
  .join(' ')} }`;
