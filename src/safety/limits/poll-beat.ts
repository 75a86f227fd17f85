import type { Clock } from '../../clock.js';

/**
 * One timer for the polls of every run that share a clock and an interval: with many agents,
 * each run's own 200 ms timer woke the event loop on its own (32 runs: 160 wake-ups a second);
 * on the shared beat all runs are polled in one turn, back to back. A poll added runs at once,
 * then on every beat, so no run waits longer than the interval between two of its polls.
 */
export class PollBeat {
  private readonly polls = new Set<() => void>();
  private cancel: (() => void) | undefined;

  constructor(
    private readonly clock: Clock,
    readonly intervalMs: number,
  ) {}

  /** Polls now and on every beat until the returned function is called (a poll may call it itself). */
  add(poll: () => void): () => void {
    const remove = (): void => {
      this.polls.delete(poll);
      if (this.polls.size === 0) {
        this.cancel?.();
        this.cancel = undefined;
      }
    };
    this.polls.add(poll);
    poll();
    this.arm();
    return remove;
  }

  private arm(): void {
    if (this.cancel !== undefined || this.polls.size === 0) return;
    this.cancel = this.clock.setTimeout(() => {
      this.cancel = undefined;
      // a copy: a poll that hits a limit removes itself
      for (const poll of [...this.polls]) poll();
      this.arm();
    }, this.intervalMs);
  }
}

const beats = new WeakMap<Clock, Map<number, PollBeat>>();

/** The beat every caller with this clock and interval shares (a test's manual clock gets its own). */
export function pollBeat(clock: Clock, intervalMs: number): PollBeat {
  let byInterval = beats.get(clock);
  if (!byInterval) beats.set(clock, (byInterval = new Map()));
  let beat = byInterval.get(intervalMs);
  if (!beat) byInterval.set(intervalMs, (beat = new PollBeat(clock, intervalMs)));
  return beat;
}
