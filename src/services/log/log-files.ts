/** Which services have logs in an instance's services dir (`<name>.log`, rotated to `.1`, `.2`…). */
import { dirNames } from '../../kit/state/dir-names.js';

/** The services that have a log in `servicesDir`, sorted by name; [] when none has. */
export function servicesWithLogs(servicesDir: string): string[] {
  const services = new Set<string>();
  for (const n of dirNames(servicesDir)) {
    const m = /^([^.].*)\.log(?:\.\d+)?$/.exec(n);
    if (m) services.add(m[1]!);
  }
  return [...services].sort();
}
