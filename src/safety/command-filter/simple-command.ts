import type { RuleId } from '../policy/rules.js';
import type { Env, Scope } from './scope.js';
import type { WordValue } from './words.js';
import { displayWord, wordDisplay, wordText } from './words.js';
import { resolvePath } from './paths.js';

/** Where a command's stdin comes from, as far as the filter can tell. */
export type Stdin =
  | { readonly kind: 'none' }
  | { readonly kind: 'static'; readonly text: string; readonly dynamic: boolean }
  | { readonly kind: 'decoded' }
  | { readonly kind: 'remote' }
  /** Unknown text; `sketch` is what shows of it (literal words and input upstream), for the block-class scan. */
  | { readonly kind: 'dynamic'; readonly sketch?: string }
  | { readonly kind: 'file'; readonly path: string | null };

/** Extra facts a wrapper passes to the command it runs. */
export interface RunMode {
  /** Operands are appended from stdin (xargs, parallel without :::). */
  readonly stdinOperands?: boolean;
  /** Run by xargs or parallel: arguments may come from stdin even with a placeholder. */
  readonly xargs?: boolean;
}

/** A simple command ready for classification. */
export interface SimpleCommand {
  /** Command name after path and quote resolution (`/bin/rm` → `rm`). */
  readonly name: string;
  /** All words, `argv[0]` being the command word. */
  readonly argv: readonly WordValue[];
  /** `argv.slice(1)`. */
  readonly args: readonly WordValue[];
  /** Shell state. */
  readonly scope: Scope;
  /** Walk state. */
  readonly env: Env;
  /** Stdin, computed on demand (pipelines are only analysed for consumers). */
  readonly stdin: () => Stdin;
  /** Wrapper facts. */
  readonly mode: RunMode;
}

/** The command's words as display text. */
export function commandText(argv: readonly WordValue[]): string {
  return argv.map((w) => displayWord(wordDisplay(w))).join(' ');
}

/** Records a rule hit for `argv`. */
export function report(env: Env, rule: RuleId, detail: string | undefined, argv: readonly WordValue[]): void {
  reportText(env, rule, detail, commandText(argv));
}

/** Reports as the table row `owner` (the walker's own checks are rows too, see commands.ts). */
export function reportAs(owner: string, env: Env, rule: RuleId, detail: string | undefined, argv: readonly WordValue[]): void {
  const before = env.owner;
  env.owner = owner;
  try {
    report(env, rule, detail, argv);
  } finally {
    env.owner = before;
  }
}

/**
 * A `report` bound to one command and rule, for classifiers that answer "handled" (`true`)
 * once they have reported: `const block = reporter(cmd, 'block.host-control'); return block(x);`
 */
export function reporter(cmd: SimpleCommand, rule: RuleId): (detail: string) => true {
  return (detail) => {
    report(cmd.env, rule, detail, cmd.argv);
    return true;
  };
}

/** Records a rule hit for a command given as text. */
export function reportText(env: Env, rule: RuleId, detail: string | undefined, command: string): void {
  env.findings.push({
    rule,
    ...(detail === undefined ? {} : { detail }),
    command,
    chain: [...env.chain],
    owner: env.owner,
  });
}

/** Splits `-abc` style clusters; returns the letters, or null for non-clusters. */
export function shortFlags(arg: string): string | null {
  return /^-[A-Za-z0-9]+$/.test(arg) ? arg.slice(1) : null;
}

/** Whether `arg` is the long option `name` or an unambiguous prefix of it (min length `min`). */
export function isLongOpt(arg: string, name: string, min = name.length): boolean {
  const a = arg.split('=')[0] ?? arg;
  return a.startsWith('--') && a.length >= min + 2 && name.startsWith(a.slice(2));
}

/** Static text of a word, or undefined when it is unknown or has several values. */
export function staticText(w: WordValue | undefined): string | undefined {
  if (w === undefined || w.dynamic || w.values.length !== 1) return undefined;
  return w.values[0];
}

/** Each word's static text, or its sketch when it is unknown (`$X` → `__DYN__`). */
export function argTexts(ws: readonly WordValue[]): string[] {
  return ws.map((w) => staticText(w) ?? wordText(w));
}

/** A simple command from its words, with the shell state it runs in. */
export function makeCommand(argv: readonly WordValue[], scope: Scope, env: Env, stdin: () => Stdin, mode: RunMode): SimpleCommand {
  const first = argv[0];
  const value = first === undefined ? '' : (first.values[0] ?? '');
  return {
    name: value.split('/').pop() ?? value,
    argv,
    args: argv.slice(1),
    scope,
    env,
    stdin,
    mode,
  };
}

/** The path a word names, resolved; null when the word is not static. */
export function resolveWord(w: WordValue | undefined, scope: Scope): string | null {
  const t = staticText(w);
  return t === undefined ? null : resolvePath(t, scope);
}
