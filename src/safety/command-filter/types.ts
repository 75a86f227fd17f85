import type { Decision, RuleId } from '../policy/rules.js';

export type { Decision, RuleId };

/**
 * The session's real paths. The filter never asks the OS for them (no `os.homedir()`,
 * no `process.cwd()`), so the caller decides what "workspace", "home" and "temp" mean.
 */
export interface FilterContext {
  /** Absolute directory the command runs in. */
  cwd: string;
  /** Absolute workspace roots: `rm -r` below them is allowed, of them is a wipe. */
  workspaceRoots: string[];
  /** Absolute home directory (`~`, `$HOME`). */
  home: string;
  /** Absolute temp dirs, `$TMPDIR` first (e.g. `['/tmp', '/var/tmp']`). */
  tmpDirs: string[];
  /** User name (`$USER`, `~user`); optional. */
  user?: string;
}

/** The filter's answer for one command line. */
export interface Verdict {
  /** What to do: run, ask a human, or refuse. */
  decision: Decision;
  /** Id of the rule that decided (see `RULES`). */
  rule: RuleId;
  /** One line for the person. */
  reason: string;
  /** The simple command that decided (words after quote removal), when there is one. */
  command?: string;
}

/** One rule hit while walking a command line. */
export interface Finding {
  /** The rule that matched. */
  readonly rule: RuleId;
  /** What exactly matched, e.g. the target path. */
  readonly detail?: string;
  /** The simple command it matched in. */
  readonly command: string;
  /** Words of every command from the outermost wrapper to this one (for allow rules). */
  readonly chain: readonly (readonly string[])[];
  /** The command-table row that reported it (commands.ts); a test checks it declares the rule. */
  readonly owner?: string;
}
