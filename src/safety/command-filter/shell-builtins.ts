/**
 * Builtins that change what later words expand to: `set --` (positional parameters), `read`
 * (variables from stdin), `printf -v` (a variable from a format), `cd` (the cwd, through
 * `CDPATH`). They run in the current shell, so they write into the statement's scope.
 */
import type { Scope, VarValue } from './scope.js';
import type { SimpleCommand } from './simple-command.js';
import { staticText } from './simple-command.js';
import { staticOutput } from './static-output.js';
import { literalWord } from './words.js';
import { resolvePath } from './paths.js';
import { scanOptions } from './options.js';

const UNKNOWN: VarValue = { values: [], dynamic: true };

/** `set -- a b c` / `set a b c` replace `$1…`; `set -e`, `set -o x` change only options. */
export function runSet(cmd: SimpleCommand, stmtScope: Scope): void {
  const { args } = cmd;
  const texts = args.map((w) => staticText(w));
  const dd = texts.indexOf('--');
  const first = texts[0];
  let from: number;
  if (dd !== -1) from = dd + 1;
  else if (first !== undefined && !/^[-+]/.test(first)) from = 0;
  else return;
  const zero = stmtScope.positional?.[0] ?? { values: ['bash'], dynamic: false };
  stmtScope.positional = [zero, ...args.slice(from).map((w) => ({ values: w.values, dynamic: w.dynamic, stdin: w.stdin }))];
}

/** `read [-r] [-a arr] a b c`: the first line of a known stdin, split on blanks; else unknown. */
export function runRead(cmd: SimpleCommand, stmtScope: Scope): void {
  const scan = scanOptions(cmd.args, { values: ['-a', '-d', '-i', '-n', '-N', '-p', '-t', '-u'] });
  const arrayName = scan.valueOf('-a');
  const names = scan.operands.map((w) => staticText(w)).filter((n): n is string => n !== undefined);
  const input = cmd.stdin();
  const line = input.kind === 'static' && !input.dynamic ? (input.text.split('\n')[0] ?? '') : undefined;
  const fields = line
    ?.trim()
    .split(/[ \t]+/)
    .filter((f) => f !== '');
  if (arrayName !== undefined) {
    stmtScope.vars.set(
      arrayName,
      fields === undefined
        ? UNKNOWN
        : { values: fields.slice(0, 1), dynamic: false, elements: fields.map((f) => ({ values: [f], dynamic: false })) },
    );
  }
  const targets = names.length > 0 || arrayName !== undefined ? names : ['REPLY'];
  targets.forEach((name, i) => {
    if (fields === undefined || line === undefined) {
      stmtScope.vars.set(name, { ...UNKNOWN, stdin: input.kind !== 'none' });
      return;
    }
    // the last name takes the rest of the line
    const value = i === targets.length - 1 ? restAfterFields(line, i) : (fields[i] ?? '');
    stmtScope.vars.set(name, { values: [value], dynamic: false });
  });
}

function restAfterFields(line: string, n: number): string {
  let rest = line.replace(/^[ \t]+/, '');
  for (let k = 0; k < n; k++) rest = rest.replace(/^[^ \t]*[ \t]*/, '');
  return rest.replace(/[ \t]+$/, '');
}

/** `hash -p PATH NAME`: later, NAME runs PATH (`hash -p /bin/rm ls; ls -rf ~` is rm). */
export function runHash(cmd: SimpleCommand, stmtScope: Scope): void {
  const scan = scanOptions(cmd.args, { values: ['-p'] });
  const path = scan.valueOf('-p');
  const name = staticText(scan.operands[0]);
  if (path === undefined || name === undefined) return;
  stmtScope.hashed = new Map([...(stmtScope.hashed ?? []), [name, path]]);
}

/** `printf -v var FORMAT args`: the variable gets what printf would print. */
export function runPrintfV(cmd: SimpleCommand, stmtScope: Scope): boolean {
  const { args } = cmd;
  if (staticText(args[0]) !== '-v') return false;
  const name = staticText(args[1]);
  if (name === undefined) return true;
  const out = staticOutput([literalWord('printf'), ...args.slice(2)], cmd.scope, cmd.env);
  stmtScope.vars.set(name, out === undefined ? UNKNOWN : { values: [out], dynamic: false });
  return true;
}

/**
 * `cd DIR`: the new cwd. A relative DIR that does not start with `.` is looked up in `CDPATH`
 * first (bash takes the first entry where it exists; we cannot look, so a known CDPATH wins).
 */
export function cdTarget(cmd: SimpleCommand, stmtScope: Scope): string | null {
  const target = cmd.args.find((a) => !(staticText(a) ?? '').startsWith('-') || staticText(a) === '-');
  if (target === undefined) return cmd.env.ctx.home;
  const t = staticText(target);
  if (t === undefined || t === '-') return null;
  const cdpath = cmd.scope.vars.get('CDPATH') ?? stmtScope.vars.get('CDPATH');
  if (!t.startsWith('/') && !t.startsWith('.') && cdpath !== undefined) {
    // a prefix assignment also keeps the inherited value as an alternative: the new one is meant
    if (cdpath.values.length === 0) return null;
    const entry = (cdpath.values[0] ?? '').split(':').find((e) => e !== '');
    if (entry !== undefined) return resolvePath(`${entry.replace(/\/$/, '')}/${t}`, stmtScope);
  }
  return resolvePath(t, stmtScope);
}
