import type { Clock } from '../../../../src/clock.js';

/** A clock that moves only when the test says so; `pending` shows whether a timer is left. */
export class ManualClock implements Clock {
  private time = 0;
  private timers: Array<{ at: number; fn: () => void }> = [];

  now(): number {
    return this.time;
  }

  setTimeout(fn: () => void, ms: number): () => void {
    const timer = { at: this.time + ms, fn };
    this.timers.push(timer);
    return () => {
      this.timers = this.timers.filter((t) => t !== timer);
    };
  }

  get pending(): number {
    return this.timers.length;
  }

  /** Moves to the next timer and runs it, then lets the promises it started settle. */
  async fireNext(): Promise<void> {
    const next = this.timers.sort((a, b) => a.at - b.at).shift();
    if (!next) throw new Error('no timer pending');
    this.time = next.at;
    next.fn();
    await settle();
  }
}

/** Lets every promise already started settle (a macrotask boundary, not a sleep). */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
