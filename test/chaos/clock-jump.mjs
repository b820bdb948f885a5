// Preload (`node --import clock-jump.mjs`) that makes this process's wall
// clock jump by CHAOS_CLOCK_JUMP_MS, CHAOS_CLOCK_JUMP_AFTER_MS after start:
// Date.now() and `new Date()` move, timers (monotonic) do not, as in a real
// NTP step or a resume from sleep. No faketime needed. The CLI passes its
// execArgv to the daemon it spawns, so the daemon gets the same clock.
const offset = Number(process.env.CHAOS_CLOCK_JUMP_MS ?? 0);
const after = Number(process.env.CHAOS_CLOCK_JUMP_AFTER_MS ?? 0);
if (offset) {
  const Real = Date;
  let shift = 0;
  class JumpingDate extends Real {
    constructor(...args) {
      if (args.length === 0) super(Real.now() + shift);
      else super(...args);
    }
    static now() {
      return Real.now() + shift;
    }
  }
  globalThis.Date = JumpingDate;
  if (after > 0) setTimeout(() => (shift = offset), after).unref();
  else shift = offset;
}
