import fs from 'node:fs';
import path from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import { readConfigInput } from './read-input.js';

/** Name of the project-root env file every service gets. */
export const DOTENV_FILE = '.env';

/** The project root's `.env` (dotenv syntax), or an empty map when there is none. */
export function readProjectDotenv(projectDir: string): Record<string, string> {
  const file = path.join(projectDir, DOTENV_FILE);
  // lstat, not a read: a missing .env is no .env; anything else there goes through the regular-file, size-capped reader.
  if (!fs.lstatSync(file, { throwIfNoEntry: false })) return {};
  return parseDotenv(readConfigInput(file, 'the project env file'));
}
