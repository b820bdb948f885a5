import { main } from './kit/main.js';
import { tend } from './tend.js';
import { tendCli } from './cli/extensions.js';

// No top-level await: the bin is CommonJS (tsup.config.ts).
void main(tend, tendCli).then((code) => {
  process.exitCode = code;
});
