import type { Clock } from '../clock.js';
import type { RunObservation } from './run-outcome.js';
import { sessionAbortOf } from './session-stop.js';

export type StopCause = NonNullable<RunObservation['stoppedBy']>;

/** A decision to stop a run: why, in words, and whether at once (no grace for the CLI to finish). */
export interface StopDecision {
  by: StopCause;
  reason: string;
  now: boolean;
}

export interface RunStopWatchOptions {
  clock: Clock;
  /** The run's budget; past it the run stops as timed out. */
  timeoutMs: number;
  /** No event for this long stops the run as stalled (0 = off). */
  stallMs: number;
  /** True while a person has paused the run: a pause is not a stall. */
  isPaused?: () => boolean;
  /** Aborting stops the run as interrupted (as timed out when the session's --timeout ran out). */
  signal: AbortSignal;
  /** Told once, with the first stop decided; later causes are ignored. */
  onStop: (decision: StopDecision) => void;
}

/**
 * Decides why a run stops: its budget, a stall, the session's abort, or a stop asked from
 * outside (a policy, a limit, a person). The first cause wins and is reported once, also when it
 * comes before `arm()`. Owns its timers and listener; `close()` releases them. Starts nothing and
 * kills nothing itself.
 */
export class RunStopWatch {
  private decided: StopDecision | undefined;
  private lastEventAt: number;
  private cancelStall: () => void = () => undefined;
  private readonly onAbort = (): void => {
    const { by, reason } = sessionAbortOf(this.options.signal);
    this.stop(by, reason);
  };

  private cancelTimeout: () => void = () => undefined;

  constructor(private readonly options: RunStopWatchOptions) {
    this.lastEventAt = options.clock.now();
  }

  /** Starts watching, once the process runs: its budget, stalls and the session's abort. */
  arm(): void {
    const { clock, timeoutMs, signal } = this.options;
    this.lastEventAt = clock.now();
    this.cancelTimeout = clock.setTimeout(
      () => this.stop('timeout', `ran past its budget of ${Math.round(timeoutMs / 1000)} s`),
      timeoutMs,
    );
    this.armStall();
    signal.addEventListener('abort', this.onAbort, { once: true });
    if (signal.aborted) this.onAbort();
  }

  /** The stop decided so far, if any. */
  get decision(): StopDecision | undefined {
    return this.decided;
  }

  /** An event arrived: the run is not stalled. */
  eventArrived(): void {
    this.lastEventAt = this.options.clock.now();
  }

  /** Asks the run to stop; ignored when a stop was already decided. */
  stop(by: StopCause, reason: string, now = false): void {
    if (this.decided) return;
    this.decided = { by, reason, now };
    this.options.onStop(this.decided);
  }

  close(): void {
    this.cancelTimeout();
    this.cancelStall();
    this.options.signal.removeEventListener('abort', this.onAbort);
  }

  private armStall(): void {
    const { clock, stallMs, isPaused } = this.options;
    if (stallMs <= 0) return;
    this.cancelStall = clock.setTimeout(
      () => {
        if (isPaused?.()) this.lastEventAt = clock.now();
        const idle = clock.now() - this.lastEventAt;
        if (idle >= stallMs) this.stop('stall', `no event for ${Math.round(idle / 1000)} s`);
        else this.armStall();
      },
      Math.max(1, stallMs - (clock.now() - this.lastEventAt)),
    );
  }
}
