import fs from 'node:fs';
import path from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import * as z from 'zod';
import { byShape, fail } from './fields.js';

/** `cwd:` resolved against the project dir; it must be an existing directory. */
export function directory(projectDir: string) {
  return z
    .string()
    .min(1)
    .transform((relative, ctx) => {
      const absolute = path.resolve(projectDir, relative);
      const stat = fs.statSync(absolute, { throwIfNoEntry: false });
      if (!stat) return fail(ctx, `directory ${JSON.stringify(relative)} does not exist (${absolute})`);
      if (!stat.isDirectory()) return fail(ctx, `${JSON.stringify(relative)} is not a directory (${absolute})`);
      return absolute;
    });
}

/** `env_file:` (a path or a list of paths, later files win) read in dotenv syntax. */
export function envFiles(projectDir: string) {
  const one = z
    .string()
    .min(1)
    .transform((relative, ctx) => {
      const absolute = path.resolve(projectDir, relative);
      try {
        return parseDotenv(fs.readFileSync(absolute, 'utf8'));
      } catch (err) {
        const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : `cannot be read: ${(err as Error).message}`;
        return fail(ctx, `env file ${JSON.stringify(relative)} ${reason} (${absolute})`);
      }
    });
  return byShape<Record<string, string>>('a path or a list of paths', (value) => {
    if (typeof value === 'string') return one;
    if (Array.isArray(value)) return z.array(one).transform((all) => Object.assign({}, ...all) as Record<string, string>);
    return undefined;
  });
}
