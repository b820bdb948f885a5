/**
 * Launches every pending, wanted service whose dependencies' conditions hold
 * (conditions.ts): at once for a start, and after every service event, in a
 * microtask, so no runner is re-entered mid-transition.
 */
import { launchStatus } from './conditions.js';
import type { ServiceRunner } from './service-runner.js';

/** The supervisor's launcher of pending services. */
export class LaunchPump {
  private queued = false;

  constructor(
    private readonly runners: () => Iterable<ServiceRunner>,
    private readonly lookup: (name: string) => ServiceRunner | undefined,
  ) {}

  /** Launches what may launch now; resolves once each launched service is spawned (or failed to). */
  run(): Promise<void> {
    const launches: Promise<void>[] = [];
    for (const runner of this.runners()) {
      if (runner.state !== 'pending' || !runner.wanted) continue;
      const status = launchStatus(runner, this.lookup);
      if (status.kind === 'go') launches.push(runner.launch());
      else runner.wait(status.reason);
    }
    return Promise.all(launches).then(() => {});
  }

  /** Runs once in a microtask, however many events ask for it meanwhile. */
  schedule(): void {
    if (this.queued) return;
    this.queued = true;
    queueMicrotask(() => {
      this.queued = false;
      void this.run();
    });
  }
}
