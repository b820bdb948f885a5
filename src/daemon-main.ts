// The daemon's entry in the build (dist/daemon.js, picked by src/bin.ts when
// `start` re-spawns the bin as the daemon): the daemon mode of src/cli.ts
// without the commands, so its bundle holds only what the daemon runs.
import { daemonMode } from './kit/lifecycle/daemon-process.js';
import { tend } from './tend.js';

// As kit/main.ts does in daemon mode: the daemon's own shutdown path is the
// one place that exits by itself.
void daemonMode(tend, process.argv.slice(3)).then((code) => process.exit(code));
