import type { Clock } from '../../src/clock.js';

/**
 * A clock that moves only when the test says so (implements src/clock.ts `Clock`). Time starts at
 * `start` (0 unless given); `advance(ms)` or `fireNext()` move it. Timers due at the same instant
 * run in the order they were armed.
 */
export class ManualClock implements Clock {
  private time: number;
  private timers: Array<{ at: number; fn: () => void }> = [];

  constructor({ start = 0 }: { start?: number } = {}) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  setTimeout(fn: () => void, ms: number): () => void {
    const timer = { at: this.time + Math.max(0, ms), fn };
    this.timers.push(timer);
    return () => {
      this.timers = this.timers.filter((t) => t !== timer);
    };
  }

  /** How many timers are armed and not yet fired or cancelled. */
  get pending(): number {
    return this.timers.length;
  }

  /** Moves time forward by `ms`, firing in time order every timer that comes due (including ones armed meanwhile). */
  advance(ms: number): void {
    const end = this.time + ms;
    for (let next = this.takeNext(end); next; next = this.takeNext(end)) {
      this.time = next.at;
      next.fn();
    }
    this.time = end;
  }

  /** Moves to the next timer and runs it, then lets the promises it started settle. */
  async fireNext(): Promise<void> {
    const next = this.takeNext(Infinity);
    if (!next) throw new Error('no timer pending');
    this.time = next.at;
    next.fn();
    await settle();
  }

  /** Removes and returns the earliest timer due by `end` (first armed among equals), if any. */
  private takeNext(end: number): { at: number; fn: () => void } | undefined {
    let best: { at: number; fn: () => void } | undefined;
    for (const t of this.timers) if (t.at <= end && (!best || t.at < best.at)) best = t;
    if (best) this.timers = this.timers.filter((t) => t !== best);
    return best;
  }
}

/** Lets every promise already started settle (a macrotask boundary, not a sleep). */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
