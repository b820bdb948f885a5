/** The supervisor's service events, fanned out to every subscriber; one that throws is logged and hides the event from no other. */
import type { ServiceEvent } from './types.js';

/** Subscribers of service events. */
export class ServiceEvents {
  private readonly listeners = new Set<(event: ServiceEvent) => void>();

  constructor(private readonly log: (line: string) => void) {}

  /** Subscribes; returns the unsubscribe function. */
  on(listener: (event: ServiceEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Tells every subscriber (as of now) about `event`. */
  publish(event: ServiceEvent): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch (err) {
        this.log(`service event listener failed: ${(err as Error).message}`);
      }
    }
  }
}
