/** Words the shell takes literally; anything else is single-quoted. */
const PLAIN = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** One word for a POSIX shell: as is when safe, else in single quotes (`'` as `'\''`). */
export function shellQuote(word: string): string {
  if (word !== '' && PLAIN.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** How orchestrate was started: its arguments (without node and the script) and where. */
export interface Invocation {
  argv: readonly string[];
  /** The working directory, when relative paths in argv depend on it. */
  cwd?: string;
  /** Defaults to `orchestrate`. */
  program?: string;
}

/** What the fix changes on the command line. */
export interface RerunEdit {
  /** Boolean flags to leave out (`--no-trust`). */
  drop?: readonly string[];
  /** Options to set, replacing a value already given (`--config <file>`). */
  set?: Readonly<Record<string, string>>;
}

/** Removes `--flag` (and, for options in `withValue`, its value, also as `--flag=value`). */
function without(argv: readonly string[], flag: string, withValue: boolean): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i] as string;
    if (word === '--') {
      out.push(...argv.slice(i));
      break;
    }
    if (word === flag) {
      if (withValue) i++;
      continue;
    }
    if (withValue && word.startsWith(`${flag}=`)) continue;
    out.push(word);
  }
  return out;
}

/**
 * The exact command line that re-runs the session once a person fixed the blocker: the original
 * arguments with the fix applied, each word shell-quoted, prefixed with `cd <dir> &&` when given.
 */
export function rerunCommand(invocation: Invocation, edit: RerunEdit = {}): string {
  let argv = [...invocation.argv];
  for (const flag of edit.drop ?? []) argv = without(argv, flag, false);
  const set: string[] = [];
  for (const [flag, value] of Object.entries(edit.set ?? {})) {
    argv = without(argv, flag, true);
    set.push(flag, value);
  }
  const words = [invocation.program ?? 'orchestrate', ...set, ...argv].map(shellQuote).join(' ');
  return invocation.cwd ? `cd ${shellQuote(invocation.cwd)} && ${words}` : words;
}
