import fs from 'node:fs';
import path from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import * as z from 'zod';
import { byShape, fail } from './fields.js';
import { ConfigInputError, readConfigInput } from './read-input.js';

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
      let text: string;
      try {
        text = readConfigInput(absolute, 'env file');
      } catch (err) {
        if (!(err instanceof ConfigInputError)) throw err;
        return fail(ctx, `env file ${JSON.stringify(relative)} ${err.reason} (${absolute})`);
      }
      const vars = parseDotenv(text);
      const bad = Object.keys(vars).find((k) => vars[k]!.includes('\0') || k.includes('\0'));
      if (bad !== undefined) return fail(ctx, `env file ${JSON.stringify(relative)}: ${JSON.stringify(bad)} holds a NUL byte, which no environment can carry (${absolute})`);
      return vars;
    });
  return byShape<Record<string, string>>('a path or a list of paths', (value) => {
    if (typeof value === 'string') return one;
    if (Array.isArray(value)) return z.array(one).transform((all) => Object.assign({}, ...all) as Record<string, string>);
    return undefined;
  });
}
