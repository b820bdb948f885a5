import fs from 'node:fs';
import path from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import { ConfigInputError, readConfigInput } from './read-input.js';

/** Name of the project-root env file every service gets. */
export const DOTENV_FILE = '.env';

/**
 * The project root's `.env` (dotenv syntax): its values (empty when there is
 * none), or the problem that keeps it from being read (a FIFO, a device, too
 * big), for the caller to throw once the config itself has been checked.
 */
export function readProjectDotenv(projectDir: string): { values: Record<string, string>; problem: ConfigInputError | null } {
  const file = path.join(projectDir, DOTENV_FILE);
  // lstat, not a read: a missing .env is no .env; anything else there goes through the regular-file, size-capped reader.
  if (!fs.lstatSync(file, { throwIfNoEntry: false })) return { values: {}, problem: null };
  try {
    return { values: parseDotenv(readConfigInput(file, 'the project env file')), problem: null };
  } catch (err) {
    if (err instanceof ConfigInputError) return { values: {}, problem: err };
    throw err;
  }
}
