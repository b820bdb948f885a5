// The second reference for log capture: a bare Node process that reads a pipe
// and appends it to a file (what any pipe-based capture has to do at least).
// Usage: … | node relay.mjs OUT
import { createWriteStream } from 'node:fs';

process.stdin.pipe(createWriteStream(process.argv[2], { flags: 'a' }));
