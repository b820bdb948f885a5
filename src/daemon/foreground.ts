import { entryJson, entryText, type LogEntry } from '../services/log/log-entry.js';
import type { ServiceOutput } from '../services/service-runner.js';
import type { ProjectConfig } from '../services/types.js';

const COLOURS = [36, 33, 32, 35, 34, 31, 96, 93, 92, 95, 94];

/**
 * `tend run`: every service's output on the terminal, foreman-style, each
 * line behind a `name |` prefix padded to the longest name, with each run's
 * start and end; coloured only on a TTY and without NO_COLOR. With `json`,
 * one object per line instead (the shape of `tend logs --json`).
 */
export function foregroundPrinter(config: ProjectConfig, write: (text: string) => void, json = false): ServiceOutput {
  if (json) return (service, kind, text, at) => write(`${JSON.stringify(entryJson({ service, kind, text, ...at }))}\n`);
  const colour = Boolean(process.stdout.isTTY) && !('NO_COLOR' in process.env);
  const width = Math.max(0, ...config.services.map((s) => s.name.length));
  const prefixes = new Map<string, string>();
  const prefix = (name: string) => {
    let p = prefixes.get(name);
    if (!p) {
      const text = `${name.padEnd(width)} |`;
      p = colour ? `\u001b[${COLOURS[prefixes.size % COLOURS.length]}m${text}\u001b[0m` : text;
      prefixes.set(name, p);
    }
    return p;
  };
  return (service, kind, text, at) => {
    const entry: LogEntry = { service, kind, text, ...at };
    write(`${prefix(service)} ${entryText(entry)}\n`);
  };
}
