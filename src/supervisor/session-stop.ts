import { EXIT, type ExitCode } from '../errors.js';

/**
 * Ends a session early, once, with the exit code of whoever asked first: a signal to orchestrate
 * (interrupted), `ctl stop` (interrupted), a headless escalation (escalation).
 */
export class SessionStop {
  private readonly controller = new AbortController();
  code: ExitCode | undefined;
  reason: string | undefined;

  constructor(outer: AbortSignal) {
    if (outer.aborted) this.stop(EXIT.INTERRUPTED, 'the session was interrupted');
    else outer.addEventListener('abort', () => this.stop(EXIT.INTERRUPTED, 'the session was interrupted'), { once: true });
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
