import { EXIT, type ExitCode } from '../errors.js';

/**
 * Why the session stops, as its runs record it: a person or a rule interrupted it, or its
 * `--timeout` ran out (the runs it ends then ran past their time: timed out, not interrupted).
 */
export type SessionStopKind = 'interrupt' | 'timeout';

/** An abort reason that carries its own exit code (and, for the --timeout backstop, `by: 'timeout'`). */
export interface SessionStopReason {
  code: ExitCode;
  reason: string;
  by?: SessionStopKind;
}

/** What the session's abort signal carries: why, in words, and as which kind of stop. */
export interface SessionAbort {
  by: SessionStopKind;
  reason: string;
}

/** Why a run whose session signal is aborted stops (an abort from elsewhere: an interruption). */
export function sessionAbortOf(signal: AbortSignal): SessionAbort {
  const r = signal.reason as Partial<SessionAbort> | string | undefined;
  if (typeof r === 'string') return { by: 'interrupt', reason: r };
  if (r && typeof r.reason === 'string') return { by: r.by === 'timeout' ? 'timeout' : 'interrupt', reason: r.reason };
  return { by: 'interrupt', reason: 'the session was interrupted' };
}

/**
 * Ends a session early, once, with the exit code of whoever asked first: a signal to orchestrate
 * (interrupted), `ctl stop` (interrupted), a headless escalation (escalation), the --timeout
 * backstop (an agent failure; its runs timed out).
 */
export class SessionStop {
  private readonly controller = new AbortController();
  code: ExitCode | undefined;
  reason: string | undefined;
  by: SessionStopKind = 'interrupt';

  constructor(outer: AbortSignal) {
    // the caller may abort with a reason of its own (the session's --timeout: an agent failure)
    const fromOuter = (): void => {
      const r = outer.reason as Partial<SessionStopReason> | undefined;
      if (r && typeof r.code === 'number' && typeof r.reason === 'string') this.stop(r.code, r.reason, r.by);
      else this.stop(EXIT.INTERRUPTED, 'the session was interrupted');
    };
    if (outer.aborted) fromOuter();
    else outer.addEventListener('abort', fromOuter, { once: true });
  }

  /** Aborted when the session must end; its `reason` is a `SessionAbort` (read it with `sessionAbortOf`). */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get stopped(): boolean {
    return this.controller.signal.aborted;
  }

  /** The status of an assignment this stop ends or keeps from starting. */
  get status(): 'interrupted' | 'timed_out' {
    return this.by === 'timeout' ? 'timed_out' : 'interrupted';
  }

  stop(code: ExitCode, reason: string, by: SessionStopKind = 'interrupt'): void {
    if (this.stopped) return;
    this.code = code;
    this.reason = reason;
    this.by = by;
    const abort: SessionAbort = { by, reason };
    this.controller.abort(abort);
  }
}
