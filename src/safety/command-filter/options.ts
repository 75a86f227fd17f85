/**
 * The one option scanner: where a command's options end and what they were. Every classifier
 * that skips options (wrappers finding their command, tools finding their verb) uses it, so
 * `--opt=value`, `-ovalue`, clusters and `--` are read the same way everywhere.
 */
import type { WordValue } from './words.js';
import { staticText } from './simple-command.js';

export interface OptionSpec {
  /** Options that take a value: `-n 5`, `-n5`, `--namespace prod`, `--namespace=prod`. */
  readonly values?: readonly string[];
  /**
   * `true` (default): options end at the first operand (`sudo -u x CMD -rf`: CMD's options are
   * CMD's). `false`: options may follow operands (`kubectl delete -n prod pod x`).
   */
  readonly stopAtOperand?: boolean;
}

export interface OptionScan {
  /** Index of the first word after the options (a wrapper's command starts here). */
  readonly end: number;
  /** Option names seen, `--x=v` as `--x`, clusters as written (`-rf`). */
  readonly flags: readonly string[];
  /** Operands (words that are neither options nor option values). */
  readonly operands: readonly WordValue[];
  /** Whether an option was given: long names exactly, one-letter names also inside clusters. */
  has(...names: string[]): boolean;
  /** The value of an option that takes one (the last given). */
  valueOf(name: string): string | undefined;
}

/** Scans `args` (the words after the command name). A word with unknown text is an operand. */
export function scanOptions(args: readonly WordValue[], spec: OptionSpec = {}): OptionScan {
  const valueOpts = new Set(spec.values ?? []);
  const stop = spec.stopAtOperand ?? true;
  const flags: string[] = [];
  const values = new Map<string, string>();
  const operands: WordValue[] = [];
  let end = args.length;
  let i = 0;
  for (; i < args.length; i++) {
    const w = args[i] as WordValue;
    const t = staticText(w);
    if (t === '--') {
      operands.push(...args.slice(i + 1));
      if (end === args.length) end = i + 1;
      break;
    }
    if (t === undefined || !t.startsWith('-') || t === '-') {
      if (stop) {
        end = i;
        operands.push(...args.slice(i));
        break;
      }
      operands.push(w);
      continue;
    }
    const eq = t.startsWith('--') ? t.indexOf('=') : -1;
    if (eq > 0) {
      flags.push(t.slice(0, eq));
      values.set(t.slice(0, eq), t.slice(eq + 1));
      continue;
    }
    flags.push(t);
    if (valueOpts.has(t)) {
      values.set(t, staticText(args[i + 1]) ?? '');
      i++;
      continue;
    }
    // -n5 / -Sfoo: a one-letter value option with its value attached
    const head = t.slice(0, 2);
    if (!t.startsWith('--') && t.length > 2 && valueOpts.has(head)) {
      flags[flags.length - 1] = head;
      values.set(head, t.slice(2));
    }
  }
  return {
    end,
    flags,
    operands,
    has: (...names) =>
      names.some((n) =>
        flags.some((f) => f === n || (n.length === 2 && !f.startsWith('--') && /^-[A-Za-z0-9]+$/.test(f) && f.includes(n[1] ?? ''))),
      ),
    valueOf: (name) => values.get(name),
  };
}
