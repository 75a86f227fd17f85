import type { ExitCode } from '../errors.js';

/** ok: fine; warn: a session starts but may do worse (a lower tier, a failed run); fail: a session would stop. */
export type CheckStatus = 'ok' | 'warn' | 'fail';

/** One finding of `orchestrate doctor`: what was checked, what was found, and the fix. */
export interface DoctorCheck {
  /** Stable id for scripts, e.g. `claude.version`, `sandbox.bwrap`, `workspace.target`. */
  id: string;
  /** What it is about: an agent id, `sandbox`, `workspace`, `config`. */
  subject: string;
  status: CheckStatus;
  /** One line: what was found. */
  summary: string;
  /** What to do about it (set when the status is not ok). */
  fix?: string;
  /** For a fail: the exit code the session would have stopped with. */
  exitCode?: ExitCode;
}

export function ok(id: string, subject: string, summary: string): DoctorCheck {
  return { id, subject, status: 'ok', summary };
}

export function warn(id: string, subject: string, summary: string, fix: string): DoctorCheck {
  return { id, subject, status: 'warn', summary, fix };
}

export function fail(id: string, subject: string, summary: string, fix: string, exitCode: ExitCode): DoctorCheck {
  return { id, subject, status: 'fail', summary, fix, exitCode };
}
