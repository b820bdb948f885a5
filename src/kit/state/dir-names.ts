import { readdirSync } from 'node:fs';

/** The names in `dir`; a dir that is missing or cannot be listed has none (a value, not an exception). */
export function dirNames(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
