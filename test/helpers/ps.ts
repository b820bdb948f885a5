import assert from 'node:assert/strict';
import type { ServiceInfo } from '../../src/services/types.js';
import type { Sandbox } from './sandbox.js';

/** A service as `tend ps --json` prints it (the daemon's own ServiceInfo shape). */
export type PsService = ServiceInfo;

/** `tend ps --json` in the sandbox's project: every service; fails the test on a non-zero exit. */
export async function psServices(box: Sandbox): Promise<PsService[]> {
  const r = await box.cli(['ps', '--json']);
  assert.equal(r.code, 0, r.stderr);
  return (JSON.parse(r.stdout) as { services: PsService[] }).services;
}

/** The service `name` of `services`; fails the test when it is missing. */
export function byName(services: PsService[], name: string): PsService {
  const s = services.find((x) => x.name === name);
  assert.ok(s, `service ${name} in ${JSON.stringify(services)}`);
  return s;
}

/** `tend ps --json`'s entry for `name`. */
export async function psService(box: Sandbox, name: string): Promise<PsService> {
  return byName(await psServices(box), name);
}
