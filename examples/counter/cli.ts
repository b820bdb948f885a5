#!/usr/bin/env node
// counter's whole entry: the kit's CLI plus counter's extensions, and the
// daemon itself when `start` re-runs this file. Only this line sets the exit code.
import { main } from '../../src/index.js';
import { counter, counterCli } from './counter.js';

process.exitCode = await main(counter, counterCli);
