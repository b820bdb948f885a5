/** One line of a service's log; `at` is when the daemon read it (null for lines from before the subscription). */
export interface ServiceLogLine {
  service: string;
  line: string;
  at: string | null;
}

/** GraphQL of the service log subscription. */
export const LOG_TYPE_DEFS = `
"A line of a service's log. at: when the daemon saw it (ISO 8601), null for the lines from before the subscription."
type ServiceLogLine {
  service: String!
  line: String!
  at: String
}

extend type Subscription {
  "A service's log: its last \`tail\` lines, then each new line as it is written (rotation included)."
  serviceLog(name: String!, tail: Int! = 100): ServiceLogLine!
}
`;
