import { EXIT, type ExitCode } from '../errors.js';

/** An abort reason that carries its own exit code. */
export interface SessionStopReason {
  code: ExitCode;
  reason: string;
}

/**
 * Ends a session early, once, with the exit code of whoever asked first: a signal to orchestrate
 * (interrupted), `ctl stop` (interrupted), a headless escalation (escalation).
 */
export class SessionStop {
  private readonly controller = new AbortController();
  code: ExitCode | undefined;
  reason: string | undefined;

  constructor(outer: AbortSignal) {
    // the caller may abort with a reason of its own (the session's --timeout: an agent failure)
    const fromOuter = (): void => {
      const r = outer.reason as Partial<SessionStopReason> | undefined;
      if (r && typeof r.code === 'number' && typeof r.reason === 'string') this.stop(r.code, r.reason);
      else this.stop(EXIT.INTERRUPTED, 'the session was interrupted');
    };
    if (outer.aborted) fromOuter();
    else outer.addEventListener('abort', fromOuter, { once: true });
  }

  /** Aborted when the session must end; its `reason` is the stop's one-line reason. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get stopped(): boolean {
    return this.controller.signal.aborted;
  }

  stop(code: ExitCode, reason: string): void {
    if (this.stopped) return;
    this.code = code;
    this.reason = reason;
    this.controller.abort(reason);
  }
}
