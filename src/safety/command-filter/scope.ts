import type { CompiledUserRule } from '../../config/command-policy.js';
import type { Finding, FilterContext } from './types.js';
import type { ShStmt } from './shell-ast.js';
import type { Stdin } from './simple-command.js';
import type { Executor } from './exec.js';

/** A variable's possible values as far as the filter can tell. */
export interface VarValue {
  /** Known alternatives. */
  readonly values: readonly string[];
  /** Some alternative is unknown. */
  readonly dynamic: boolean;
  /** Comes from stdin operands (xargs/parallel). */
  readonly stdin?: boolean;
  /** Produced by a decoder (base64 -d, xxd -r, …). */
  readonly decoder?: boolean;
  /** Produced by a download. */
  readonly remote?: boolean;
  /** What reading it gives when it names a `<(…)` with static output. */
  readonly procText?: string;
  /** An array's elements (`a=(rm -rf /)`, `set -- …`), when they are known. */
  readonly elements?: readonly VarValue[];
}

/** Shell state that changes while walking a line: cwd, variables, positional parameters. */
export interface Scope {
  /** Current directory; `null` once a `cd` went somewhere unknown. */
  cwd: string | null;
  /** Variables assigned earlier in the line. */
  vars: Map<string, VarValue>;
  /** `$0`, `$1`, … of an inner `sh -c` (null: unknown). */
  positional: VarValue[] | null;
  /** Workspace roots in force (empty for a remote `ssh` command). */
  workspaceRoots: readonly string[];
  /** Inside `ssh host …`: paths are on another machine. */
  remote: boolean;
  /** `hash -p PATH NAME`: NAME runs PATH for the rest of the line. */
  hashed?: Map<string, string>;
  /** File descriptors opened for reading by `exec 3<<<…` (fd → what reading it gives). */
  fds?: Map<number, Stdin>;
}

/** Per-classification state shared by the whole walk. */
export interface Env {
  /** The session's paths. */
  readonly ctx: FilterContext;
  /** Rule hits so far. */
  readonly findings: Finding[];
  /** Words of the enclosing commands (outermost first). */
  readonly chain: (readonly string[])[];
  /** How many scripts deep we are (`sh -c 'sh -c …'`). */
  depth: number;
  /** Files downloaded earlier in the line (absolute paths), for download-then-execute. */
  readonly downloads: Set<string>;
  /** Compiled user rules. */
  readonly userRules: readonly CompiledUserRule[];
  /** Files written earlier in the line with known content (`echo … > x.sh`), by absolute path. */
  readonly written: Map<string, { readonly text: string; readonly dynamic: boolean }>;
  /** Functions defined earlier in the line, with their bodies (a call walks the body). */
  readonly functions: Map<string, ShStmt | null>;
  /** Remaining re-parse budget (each `sh -c`, `eval`, heredoc script costs one). */
  parseBudget: number;
  /** The shell model classifiers call back into (exec.ts). */
  readonly exec: Executor;
  /** Id of the command-table row classifying right now: findings are attributed to it. */
  owner: string;
}

/** Copy of a scope for a subshell: changes inside do not leak out. */
export function childScope(scope: Scope): Scope {
  return {
    cwd: scope.cwd,
    vars: new Map(scope.vars),
    positional: scope.positional,
    workspaceRoots: scope.workspaceRoots,
    remote: scope.remote,
    ...(scope.fds && { fds: new Map(scope.fds) }),
    ...(scope.hashed && { hashed: new Map(scope.hashed) }),
  };
}
