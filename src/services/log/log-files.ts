/** Which services have logs in an instance's services dir (`<name>.log`, rotated to `.1`, `.2`…). */
import { readdirSync } from 'node:fs';

/** The services that have a log in `servicesDir`, sorted by name; [] when none has. */
export function servicesWithLogs(servicesDir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(servicesDir);
  } catch {
    return [];
  }
  const services = new Set<string>();
  for (const n of names) {
    const m = /^([^.].*)\.log(?:\.\d+)?$/.exec(n);
    if (m) services.add(m[1]!);
  }
  return [...services].sort();
}
