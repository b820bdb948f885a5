import type { CliExtensions } from '../kit/cli/spec.js';

/** What tend adds to the kit's CLI: service commands and the services summary in `status`. */
export const tendCli: CliExtensions = {};
