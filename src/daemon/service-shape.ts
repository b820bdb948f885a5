import type { ServiceInfo } from '../services/types.js';

/**
 * The one definition of a service's shape over the wire: the GraphQL type and
 * the client's selection both come from this table, and `satisfies` ties it to
 * ServiceInfo, so a field added there must be added here.
 */
const SERVICE_FIELDS = {
  name: 'String!',
  state: 'String!',
  pid: 'Int',
  restarts: 'Int!',
  ready: 'Boolean!',
  exitCode: 'Int',
  exitSignal: 'String',
  startedAt: 'String',
  logFile: 'String!',
  reason: 'String',
  droppedLines: 'Int!',
  port: 'Int',
} as const satisfies Record<keyof ServiceInfo, string>;

/** Selection set fetching a whole service. */
export const SERVICE_SELECTION = `{ ${Object.keys(SERVICE_FIELDS).join(' ')} }`;

/** tend's part of the GraphQL schema, added to the kit's. */
export const SERVICES_TYPE_DEFS = `
"One supervised service. state: pending | starting | running | backoff | exited | failed | stopped."
type Service {
${Object.entries(SERVICE_FIELDS)
  .map(([k, t]) => `  ${k}: ${t}`)
  .join('\n')}
}

"Something that happened to a service. kind: state | ready | restart | exit | probe-failed | signal (a watched change sent the watch signal) | unhealthy (the live probe failed failures times) | watching (its watch is in place)."
type ServiceEvent {
  service: String!
  kind: String!
  state: String!
  at: String!
  message: String
}

"What a reload changed."
type ReloadResult {
  added: [String!]!
  removed: [String!]!
  changed: [String!]!
  unchanged: [String!]!
}

"The configuration file the daemon read (null: none) and a digest of it and the project's .env."
type LoadedConfig {
  file: String
  digest: String!
}

extend type Query {
  "What the running configuration was read from."
  loadedConfig: LoadedConfig!
  "Every service, in configuration order."
  services: [Service!]!
  "One service, or null when there is none of that name."
  service(name: String!): Service
  "Waits until the named services (all when omitted) are ready; fails naming the first that is not."
  awaitReady(names: [String!], timeoutSeconds: Float!): [Service!]!
  "The last lines of a service's log."
  serviceLogTail(name: String!, lines: Int! = 20): [String!]!
}

type Mutation {
  startService(name: String!): Service!
  stopService(name: String!): Service!
  restartService(name: String!): Service!
  "Several at once, in dependency order (stop: dependents first). No names: all."
  startServices(names: [String!]): [Service!]!
  stopServices(names: [String!]): [Service!]!
  restartServices(names: [String!]): [Service!]!
  "Re-read the configuration and apply the difference; a bad file changes nothing."
  reload: ReloadResult!
}

extend type Subscription {
  "Service events as they happen; only the named services when given."
  serviceEvents(names: [String!]): ServiceEvent!
}
`;
