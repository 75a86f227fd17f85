/**
 * How a classifier hands text or words back to the shell model: "this wrapper runs these words",
 * "this program runs this script". Classifiers call these functions; the walker and the runner
 * (run.ts) provide the implementation through `env.exec`, so classifier files never import the
 * walker (no import circles).
 */
import type { Env, Scope, VarValue } from './scope.js';
import { childScope } from './scope.js';
import type { RunMode, SimpleCommand, Stdin } from './simple-command.js';
import { report } from './simple-command.js';
import type { WordValue } from './words.js';
import type { Finding } from './types.js';
import type { Lang } from './cmd-interp.js';

/** Deepest nesting of re-parsed scripts (`sh -c "sh -c '…'"`) before giving up. */
export const MAX_DEPTH = 10;

/** Options of an inner command a wrapper runs. */
export interface RunOptions {
  /** Its cwd (`env -C`, `sudo -D`), null when unknown. */
  readonly cwd?: string | null;
  readonly mode?: RunMode;
  readonly scope?: Scope;
  readonly stdin?: () => Stdin;
}

/** The shell model, as classifiers see it. */
export interface Executor {
  /** Words run as a simple command in `scope` (the walker's entry for every simple command). */
  words(argv: readonly WordValue[], scope: Scope, env: Env, stdin: () => Stdin, mode: RunMode, stmtScope: Scope): void;
  /** A script given as a word (`sh -c WORD`, `eval`, `trap`): parsed one level deeper. */
  scriptWord(cmd: SimpleCommand, word: WordValue, label: string, positional?: VarValue[] | null, scope?: Scope): void;
  /** Script text parsed one level deeper; fails closed. */
  scriptText(cmd: SimpleCommand, text: string, label: string, scope: Scope): void;
  /** What runs when a shell or interpreter reads its script from `input` (default: stdin). */
  stdinCode(cmd: SimpleCommand, label: string, lang?: Lang, input?: Stdin): void;
  /** A script file run by a shell or interpreter (`bash x.sh`, `source <(…)`, `/dev/stdin`). */
  scriptFile(cmd: SimpleCommand, file: WordValue, label: string, lang?: Lang): void;
}

/** Runs a wrapper's inner command (`sudo X`, `find -exec X`, …) through the classifier. */
export function runArgv(outer: SimpleCommand, inner: readonly WordValue[], opts: RunOptions = {}): void {
  let scope = opts.scope ?? outer.scope;
  if (opts.cwd !== undefined) {
    scope = childScope(scope);
    scope.cwd = opts.cwd;
  }
  outer.env.exec.words(inner, scope, outer.env, opts.stdin ?? outer.stdin, opts.mode ?? outer.mode, scope);
}

export function runScriptWord(cmd: SimpleCommand, word: WordValue, label: string, positional?: VarValue[] | null, scope?: Scope): void {
  cmd.env.exec.scriptWord(cmd, word, label, positional, scope);
}

export function runScriptText(cmd: SimpleCommand, text: string, label: string, scope: Scope): void {
  cmd.env.exec.scriptText(cmd, text, label, scope);
}

export function classifyStdinCode(cmd: SimpleCommand, label: string, lang?: Lang, input?: Stdin): void {
  cmd.env.exec.stdinCode(cmd, label, lang, input);
}

export function checkScriptFile(cmd: SimpleCommand, file: WordValue, label: string, lang?: Lang): void {
  cmd.env.exec.scriptFile(cmd, file, label, lang);
}

/** A copy of the env whose findings are thrown away (for looking at a stage twice). */
export function scratchEnv(env: Env): Env {
  return {
    ...env,
    findings: [],
    chain: [...env.chain],
    downloads: new Set(env.downloads),
    written: new Map(env.written),
    functions: new Map(env.functions),
  };
}

/** Findings of a script classified on the side (interpreter shell-outs). */
export function nestedFindings(cmd: SimpleCommand, word: WordValue, label: string): Finding[] {
  const scratch = scratchEnv(cmd.env);
  runScriptWord({ ...cmd, env: scratch }, word, label);
  return scratch.findings;
}

/** Confirms a program that runs another program but is not a policy-listed wrapper. */
export function runnerConfirm(cmd: SimpleCommand, what: string): void {
  report(cmd.env, 'confirm.dynamic-code', `${what} runs a command the policy does not unwrap`, cmd.argv);
}
