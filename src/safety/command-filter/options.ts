/**
 * The one option scanner: where a command's options end and what they were. Every classifier
 * that skips options (wrappers finding their command, tools finding their verb, interpreters
 * finding their code) reads a spec from the command table (commands.ts) through it, so
 * `--opt=value`, `-ovalue`, clusters (`-lc CODE`: getopt gives `-c` the next word) and `--` are
 * read the same way everywhere.
 */
import type { WordValue } from './words.js';
import { DYN, literalWord, unknownWord } from './words.js';
import { staticText } from './simple-command.js';

export interface OptionSpec {
  /** Options that take a value: `-n 5`, `-n5`, `-xn5` (getopt clusters), `--namespace prod`, `--namespace=prod`. */
  readonly values?: readonly string[];
  /** Options whose value is optional and only attached: `-i.bak`, `-iREPL`, `--replace=R` (bare `-i` has none). */
  readonly optional?: readonly string[];
  /** Options after which scanning stops, their value included (`python -c CODE …`, `-m MOD …`: the rest is the program's). */
  readonly ends?: readonly string[];
  /** `+x` words are options too (`bash +o posix`, `set +e`). */
  readonly plus?: boolean;
  /** A lone `-` is an option that ends the options (`bash -`, `su -`), not an operand. */
  readonly dashEnds?: boolean;
  /**
   * `true` (default): options end at the first operand (`sudo -u x CMD -rf`: CMD's options are
   * CMD's). `false`: options may follow operands (`kubectl delete -n prod pod x`).
   */
  readonly stopAtOperand?: boolean;
  /**
   * The command's only flags (with `values`, and `optional` ones with their value attached): any
   * other word ends the options as an operand does (`find -L . -name x`: the expression that
   * follows starts with a dash too).
   */
  readonly only?: readonly string[];
  /** Options are whole words, never getopt clusters (`pwsh -NoProfile`). */
  readonly words?: boolean;
}

/** One option as given, in order. */
export interface OptionItem {
  /** Its name: `--x` for `--x=v`, `-c` for a value letter inside a cluster, else the word as written. */
  readonly name: string;
  /** Its value as a word (unknown text kept), when it took one. */
  readonly value?: WordValue;
  /** Index in the scanned words of the option word. */
  readonly index: number;
}

export interface OptionScan {
  /** Index of the first word after the options (a wrapper's command starts here). */
  readonly end: number;
  /** Option names seen, `--x=v` as `--x`, clusters as written (`-rf`). */
  readonly flags: readonly string[];
  /** Options in order, with their values. */
  readonly items: readonly OptionItem[];
  /** Operands (words that are neither options nor option values). */
  readonly operands: readonly WordValue[];
  /** Whether an option was given: long names exactly, one-letter names also inside clusters. */
  has(...names: string[]): boolean;
  /** The value of an option that takes one (the last given). */
  valueOf(name: string): string | undefined;
  /** The value word of an option (the last given), unknown text kept. */
  wordOf(...names: string[]): WordValue | undefined;
}

/** `-rf`, `-n5`, `-I{}`: a one-dash word starting with a letter or digit. */
const CLUSTER = /^[-+][A-Za-z0-9]/;

/** Scans `args` (the words after the command name). A word with unknown text is an operand. */
export function scanOptions(args: readonly WordValue[], spec: OptionSpec = {}): OptionScan {
  const valueOpts = new Set(spec.values ?? []);
  const optional = new Set(spec.optional ?? []);
  const ends = new Set(spec.ends ?? []);
  const stop = spec.stopAtOperand ?? true;
  const only = spec.only === undefined ? undefined : new Set(spec.only);
  const known = (t: string): boolean =>
    only === undefined || only.has(t) || valueOpts.has(t) || [...optional].some((o) => t.startsWith(o) && t.length > o.length);
  const flags: string[] = [];
  const items: OptionItem[] = [];
  const operands: WordValue[] = [];
  let end = args.length;
  const finish = (i: number): void => {
    operands.push(...args.slice(i));
    if (end === args.length) end = i;
  };
  for (let i = 0; i < args.length; i++) {
    const w = args[i] as WordValue;
    const t = staticText(w);
    if (t === '--') {
      finish(i + 1);
      break;
    }
    if (t === '-' && spec.dashEnds === true) {
      flags.push(t);
      items.push({ name: t, index: i });
      finish(i + 1);
      break;
    }
    const option =
      t !== undefined && t !== '-' && (t.startsWith('-') || (spec.plus === true && t.length > 1 && t.startsWith('+'))) && known(t);
    // `--name="$X"`: a literal long option whose value is known only at run time
    const dynLong = t === undefined ? /^(--[A-Za-z][\w-]*)=/.exec(w.sketch) : null;
    if (dynLong !== null && dynLong[1] !== undefined && known(dynLong[1])) {
      const name = dynLong[1];
      items.push({ name, value: unknownWord({ sketch: w.sketch.slice(name.length + 1), stdin: w.stdin, remote: w.remote }), index: i });
      flags.push(name);
      continue;
    }
    if (!option) {
      if (stop) {
        finish(i);
        break;
      }
      operands.push(w);
      continue;
    }
    const at = i;
    const found: OptionItem[] = [];
    const eq = t.startsWith('--') ? t.indexOf('=') : -1;
    if (eq > 0) found.push({ name: t.slice(0, eq), value: literalWord(t.slice(eq + 1)), index: at });
    else if (valueOpts.has(t)) found.push({ name: t, value: args[++i] ?? literalWord(''), index: at });
    else if (t.startsWith('--') || !CLUSTER.test(t) || spec.words === true) found.push({ name: t, index: at });
    else {
      // getopt: letters are flags until one takes a value: it takes the rest of the word, or the next word
      for (let k = 1; k < t.length; k++) {
        const letter = `${t[0] ?? '-'}${t[k] ?? ''}`;
        if (!/[A-Za-z0-9]/.test(t[k] ?? '')) {
          // not a cluster after all (`-I.` with no value option): the word is one option, as written
          found.length = 0;
          found.push({ name: t, index: at });
          break;
        }
        if (!valueOpts.has(letter) && !optional.has(letter)) {
          found.push({ name: letter, index: at });
          continue;
        }
        const rest = t.slice(k + 1);
        const value = rest !== '' ? literalWord(rest) : valueOpts.has(letter) ? (args[++i] ?? literalWord('')) : undefined;
        found.push({ name: letter, ...(value === undefined ? {} : { value }), index: at });
        break;
      }
    }
    // a lone value option (`-n5`) is named by its letter; other clusters as written (`-rf`)
    flags.push(found.length === 1 && found[0]?.value !== undefined ? (found[0]?.name ?? t) : eq > 0 ? (found[0]?.name ?? t) : t);
    items.push(...found);
    if (found.some((it) => ends.has(it.name))) {
      finish(i + 1);
      break;
    }
  }
  const wordOf = (...names: string[]): WordValue | undefined =>
    items.filter((it) => it.value !== undefined && names.includes(it.name)).pop()?.value;
  return {
    end,
    flags,
    items,
    operands,
    has: (...names) =>
      names.some((n) =>
        flags.some(
          (f) =>
            f === n || (n.length === 2 && !f.startsWith('--') && /^[-+][A-Za-z0-9]+$/.test(f) && f[0] === n[0] && f.includes(n[1] ?? '')),
        ),
      ),
    valueOf: (name) => {
      const v = wordOf(name);
      return v === undefined ? undefined : (staticText(v) ?? '');
    },
    wordOf,
  };
}

/** One `NAME=value` word; `name` or `value` is missing when it is known only at run time. */
export interface Assignment {
  readonly name?: string;
  readonly value?: string;
}

/**
 * The `NAME=value` words from `start` on: env and sudo take them between their options and the
 * command. Both take any word with a `=` after its first character (env and sudo test for a `=`,
 * not for a shell name); a `=` in a word's literal text counts when the rest is known only at run time.
 */
export function scanAssignments(words: readonly WordValue[], start: number): { end: number; assigns: Assignment[] } {
  const assigns: Assignment[] = [];
  let i = start;
  for (; i < words.length; i++) {
    const w = words[i] as WordValue;
    const t = staticText(w);
    const text = t ?? w.sketch;
    const eq = text.indexOf('=');
    if (eq <= 0) break;
    const name = text.slice(0, eq);
    const value = text.slice(eq + 1);
    assigns.push({
      ...(t === undefined && name.includes(DYN) ? {} : { name }),
      ...(t === undefined && value.includes(DYN) ? {} : { value }),
    });
  }
  return { end: i, assigns };
}
