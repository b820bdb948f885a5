#!/usr/bin/env node
import { main } from './kit/main.js';
import { tend } from './tend.js';
import { tendCli } from './cli/extensions.js';

process.exitCode = await main(tend, tendCli);
