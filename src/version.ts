import { readFileSync } from 'node:fs';

declare const __TEND_VERSION__: string | undefined;

/** tend's version: set at build time; read from package.json when run from source. */
export function tendVersion(): string {
  if (typeof __TEND_VERSION__ === 'string') return __TEND_VERSION__;
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}
