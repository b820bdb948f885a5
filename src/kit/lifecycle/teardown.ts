/**
 * Undo actions pushed as the daemon sets things up, run last-first, once.
 * A failing step is logged and the rest still run: a daemon that cannot stop
 * its app must still remove its metadata and release its lock.
 */
export class TeardownStack {
  private readonly steps: { what: string; undo: () => unknown }[] = [];
  private running: Promise<void> | null = null;

  constructor(private readonly log: (line: string) => void) {}

  /** Registers `undo` to run before every step pushed earlier. */
  push(what: string, undo: () => unknown): void {
    this.steps.push({ what, undo });
  }

  /** Runs every step in reverse order; a second call waits for the first. */
  run(): Promise<void> {
    this.running ??= (async () => {
      for (let step = this.steps.pop(); step !== undefined; step = this.steps.pop()) {
        try {
          await step.undo();
        } catch (err) {
          this.log(`${step.what} failed: ${(err as Error).message}`);
        }
      }
    })();
    return this.running;
  }
}
