/**
 * The one exit-code table. Every way orchestrate ends maps to exactly one of these;
 * the README documents them in this order.
 */
export const EXIT = {
  OK: 0,
  INTERNAL: 1,
  USAGE: 2,
  CONFIG: 3,
  NO_AGENT: 4,
  AGENT_FAILED: 5,
  SAFETY: 6,
  REVIEW_REJECTED: 7,
  ESCALATION: 8,
  /** `orchestrate replay`: the journal's review entries differ from what the rules give. */
  REPLAY_DIFFERS: 9,
  /** `orchestrate check-command`: the (strictest) verdict is confirm. */
  CHECK_CONFIRM: 10,
  /** `orchestrate check-command`: the (strictest) verdict is block. */
  CHECK_BLOCK: 11,
  /** `orchestrate apply`: the checkout changed in a way the session's changes do not merge with; nothing was written. */
  APPLY_REFUSED: 12,
  /** A spend ceiling (`--max-cost`, `--max-tokens`) was reached before the work was done; `resume` with a higher one continues. */
  CEILING: 13,
  INTERRUPTED: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** Human names for the exit codes, used in summaries and `--json`. */
export const EXIT_NAMES: Record<ExitCode, string> = {
  0: 'success',
  1: 'internal error',
  2: 'usage error',
  3: 'config error',
  4: 'no agent available',
  5: 'agent failure',
  6: 'stopped by safety',
  7: 'review rejected',
  8: 'escalation needed',
  9: 'replay differs',
  10: 'command needs confirmation',
  11: 'command blocked',
  12: 'apply refused',
  13: 'ceiling reached',
  130: 'interrupted',
};

/** Base of every error orchestrate reports on purpose. `hint` is the next step for the person. */
export abstract class OrchestrateError extends Error {
  abstract readonly exitCode: ExitCode;
  constructor(
    message: string,
    readonly hint?: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Bad command-line input. */
export class UsageError extends OrchestrateError {
  override readonly exitCode = EXIT.USAGE;
}

/** A config or plan file that does not validate; the message names the field. */
export class ConfigError extends OrchestrateError {
  override readonly exitCode = EXIT.CONFIG;
}

/** No agent CLI resolved and answered its version probe. */
export class NoAgentError extends OrchestrateError {
  override readonly exitCode = EXIT.NO_AGENT;
}

/** Refused to start for a safety reason (e.g. no sandbox and no `--no-sandbox`). */
export class SafetyError extends OrchestrateError {
  override readonly exitCode = EXIT.SAFETY;
}
