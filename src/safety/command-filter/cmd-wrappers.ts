/**
 * The wrappers: programs that run a command given by their arguments (`sudo`, `env`, `nice`,
 * `timeout`, `xargs`, `parallel`, `watch`, `ssh`, `eval`, …). Each finds where its own options
 * end and hands the inner command (or script) back to the shell model, with its own effect:
 * privilege, a new cwd, operands from stdin, a remote machine.
 */
import type { Scope } from './scope.js';
import { childScope } from './scope.js';
import type { SimpleCommand, Stdin } from './simple-command.js';
import { argTexts, report, resolveWord, staticText } from './simple-command.js';
import type { WordValue } from './words.js';
import { DYN, literalWord, unknownWord, wordDisplay, wordText } from './words.js';
import { classifyStdinCode, runArgv, runnerConfirm, runScriptText, runScriptWord } from './exec.js';
import { OPTION_WRAPPERS, RUNNERS, type ArgvWrapper } from '../policy/wrappers.js';
export { OPTION_WRAPPERS, RUNNERS };
import { scanAssignments, scanOptions } from './options.js';
import type { OptionScan } from './options.js';
import { ENV_OPTIONS, SCRIPT_OPTIONS, SSH_OPTIONS } from './command-options.js';
import { classifyAt, classifyScreen, classifyTmux, sshLocalCommands } from './cmd-text-to-code.js';

export const PRIV = new Set(['sudo', 'doas', 'pkexec', 'run0', 'sudoedit']);

/** Runs the command a wrapper described by `spec` carries (nothing when `noCommand` hits). */
export function runAfterOptions(cmd: SimpleCommand, spec: ArgvWrapper): void {
  const { args } = cmd;
  if (spec.noCommand !== undefined && argTexts(args).some(spec.noCommand)) return;
  const after = spec.after;
  const scan = scanOptions(
    args,
    after === undefined ? { values: spec.valueOpts ?? [] } : { values: spec.valueOpts ?? [], ends: after, stopAtOperand: false },
  );
  if (after !== undefined && !scan.items.some((it) => after.includes(it.name))) return;
  runArgv(cmd, args.slice(scan.end + (spec.skip ?? 0)), {});
}

/** sudo, doas, pkexec, run0, sudoedit: confirm, then the command after options and `VAR=value` words. */
export function classifyPrivilege(cmd: SimpleCommand, _scope: Scope, scan: OptionScan): void {
  const { name, args, env } = cmd;
  report(env, 'confirm.privilege', `${name} runs as another user`, cmd.argv);
  if (name === 'sudo' && scan.has('-e', '--edit')) return; // sudoedit
  const dir = scan.valueOf('-D') ?? scan.valueOf('--chdir');
  const cwd = dir === undefined ? undefined : resolveWord(literalWord(dir), cmd.scope);
  if (name === 'sudoedit') return;
  const inner = args.slice(scanAssignments(args, scan.end).end);
  if (inner.length > 0) runArgv(cmd, inner, cwd === undefined ? {} : { cwd });
  // `sudo -s`, `sudo -i`, `doas -s` with no command start a shell, which reads its script from stdin
  else if (scan.has('-s', '--shell', '-i', '--login')) classifyStdinCode(cmd, `${name} shell`);
}

export function classifySu(cmd: SimpleCommand, _scope: Scope, scan: OptionScan): void {
  report(cmd.env, 'confirm.privilege', 'su runs as another user', cmd.argv);
  const script = scan.wordOf('-c', '--command');
  if (script !== undefined) runScriptWord(cmd, script, 'su -c', null);
  // without -c, su starts the user's shell, which reads its script from stdin
  else classifyStdinCode(cmd, 'su shell');
}

/**
 * env: `-S STRING` is split like a shell and its words take its place (then scanned again),
 * `-C DIR` moves the cwd, `VAR=value` words after the options reach the command's scope.
 */
export function classifyEnv(cmd: SimpleCommand, _scope: Scope, first: OptionScan): void {
  let words = [...cmd.args];
  let scan = first;
  for (let splits = 0; splits < 4; splits++) {
    const split = scan.items.find((it) => it.name === '-S' || it.name === '--split-string');
    if (split?.value === undefined) break;
    const text = staticText(split.value);
    if (text === undefined) return runScriptWord(cmd, split.value, 'env -S');
    // the -S word (and its value word when separate) are replaced by the split words
    const consumed = staticText(words[split.index]) === '-S' || staticText(words[split.index]) === '--split-string' ? 2 : 1;
    words = [...words.slice(0, split.index), ...splitWords(text).map((w) => literalWord(w)), ...words.slice(split.index + consumed)];
    // the stricter reading: the string as the shell line it looks like (`env -S 'rm -rf ~'`
    // means home to whoever wrote it, though env itself expands no `~`)
    runScriptText(cmd, `env ${text}`, 'env -S (read as a shell line)', childScope(cmd.scope));
    scan = scanOptions(words, ENV_OPTIONS);
  }
  const dir = scan.wordOf('-C', '--chdir');
  const cwd = dir === undefined ? undefined : resolveWord(dir, cmd.scope);
  const scope = childScope(cmd.scope);
  const { end, assigns } = scanAssignments(words, scan.end);
  for (const a of assigns) {
    if (a.name !== undefined)
      scope.vars.set(a.name, a.value === undefined ? { values: [], dynamic: true } : { values: [a.value], dynamic: false });
  }
  const inner = words.slice(end);
  if (inner.length === 0) return;
  runArgv(cmd, inner, cwd === undefined ? { scope } : { scope, cwd });
}

/** env -S's own splitting: blanks separate words, quotes and backslashes group them. */
function splitWords(text: string): string[] {
  const out: string[] = [];
  let cur: string | null = null;
  let q: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] ?? '';
    if (q !== null) {
      if (c === q) q = null;
      else if (c === '\\' && q === '"' && i + 1 < text.length) cur += text[++i] ?? '';
      else cur += c;
    } else if (c === "'" || c === '"') {
      q = c;
      cur ??= '';
    } else if (c === '\\' && i + 1 < text.length) cur = (cur ?? '') + (text[++i] ?? '');
    else if (/\s/.test(c)) {
      if (cur !== null) out.push(cur);
      cur = null;
    } else cur = (cur ?? '') + c;
  }
  if (cur !== null) out.push(cur);
  return out;
}

/**
 * Words a program joins with spaces and runs as a script (`watch`, `ssh`): a literal when all
 * are known, else an unknown word carrying their sketch and display (plus `dynamicExtra`).
 */
function joinWords(ws: readonly WordValue[], dynamicExtra: Partial<WordValue> = {}): WordValue {
  const joined = ws.map((w) => wordText(w)).join(' ');
  if (!ws.some((w) => w.dynamic)) return literalWord(joined);
  const display = ws.map(wordDisplay).join(' ');
  return { ...unknownWord(), sketch: joined, display, ...dynamicExtra };
}

export function classifyWatch(cmd: SimpleCommand, _scope: Scope, scan: OptionScan): void {
  const rest = cmd.args.slice(scan.end);
  if (rest.length === 0) return;
  if (scan.has('-x', '--exec')) return runArgv(cmd, rest, {});
  runScriptWord(cmd, joinWords(rest), 'watch');
}

function replaceIn(w: WordValue, token: string, by: WordValue): WordValue {
  const t = staticText(w);
  if (t === undefined || !t.includes(token)) return w;
  if (t === token) return by;
  if (by.dynamic || by.values.length === 0) {
    return {
      ...unknownWord({ stdin: by.stdin, splittable: false }),
      sketch: t.replaceAll(token, DYN),
      display: t.replaceAll(token, by.display),
    };
  }
  const values = by.values.map((v) => t.replaceAll(token, v));
  return { ...literalWord(values[0] ?? ''), values, patterns: values };
}

export function classifyXargs(cmd: SimpleCommand, _scope: Scope, scan: OptionScan): void {
  const { args } = cmd;
  // the replacement string: `-I R`, `-J R`, `-iR`, `--replace=R`; bare `-i`/`--replace` mean `{}`
  const replace = scan.items.filter((it) => ['-I', '-J', '-i', '--replace'].includes(it.name)).pop();
  const repl = replace === undefined ? undefined : replace.value === undefined ? '{}' : (staticText(replace.value) ?? '{}') || '{}';
  const i = scan.end;
  const inner = args.slice(i);
  if (inner.length === 0) return;
  const stdinWord = unknownWord({ stdin: true, splittable: false, display: '{stdin}' });
  const innerNoStdin = (): Stdin => ({ kind: 'none' });
  if (repl !== undefined) {
    const replaced = inner.map((w) => replaceIn(w, repl ?? '{}', stdinWord));
    runArgv(cmd, replaced, { mode: { xargs: true }, stdin: innerNoStdin });
  } else {
    runArgv(cmd, inner, { mode: { stdinOperands: true, xargs: true }, stdin: innerNoStdin });
  }
}

export function classifyParallel(cmd: SimpleCommand, _scope: Scope, scan: OptionScan): void {
  const { args } = cmd;
  // the command template runs up to the first `:::`/`::::`; the argument sources follow
  const isSep = (w: WordValue): boolean => (staticText(w) ?? '').startsWith(':::');
  const sep = args.findIndex((w, k) => k >= scan.end && isSep(w));
  const template = args.slice(scan.end, sep === -1 ? args.length : sep);
  const sources = sep === -1 ? [] : args.slice(sep);
  const hasArgs = sep !== -1;
  const fromFiles = sources.some((w) => (staticText(w) ?? '').startsWith('::::'));
  const argWords = sources.filter((w) => !isSep(w));
  const dynamicArgs = argWords.some((w) => w.dynamic);
  const argValues = argWords.flatMap((w) => w.values);
  if (template.length === 0) {
    if (!hasArgs) return;
    for (const v of argValues) runScriptWord(cmd, literalWord(v), 'parallel');
    if (dynamicArgs || fromFiles) report(cmd.env, 'confirm.dynamic-code', 'parallel runs commands given as dynamic arguments', cmd.argv);
    return;
  }
  const stdinMode = !hasArgs;
  const argWord: WordValue =
    stdinMode || fromFiles || dynamicArgs || argValues.length === 0
      ? unknownWord({ stdin: stdinMode, splittable: false, display: '{arg}' })
      : { ...literalWord(argValues[0] ?? ''), values: argValues, patterns: argValues };
  const placeholder = /\{[^{}\s]*\}/;
  const usesPlaceholder = template.some((w) => placeholder.test(staticText(w) ?? ''));
  let inner = template.map((w) => {
    const s = staticText(w);
    if (s === undefined) return w;
    const m = placeholder.exec(s);
    return m ? replaceIn(w, m[0], argWord) : w;
  });
  if (template.length === 1 && /\s/.test(staticText(template[0]) ?? '')) {
    const only = inner[0];
    if (only !== undefined) runScriptWord(cmd, usesPlaceholder ? only : literalWord(`${wordText(only)} ${wordText(argWord)}`), 'parallel');
    return;
  }
  if (!usesPlaceholder) inner = [...inner, argWord];
  runArgv(cmd, inner, { mode: stdinMode ? { stdinOperands: !usesPlaceholder, xargs: true } : {} });
}

/**
 * `ssh [opts] host [opts] cmd…`: OpenSSH reads options again after the host (ssh.c's `goto
 * again`), so the remote command starts after them. Its local commands (`-o ProxyCommand=…`) are
 * read from both option runs.
 */
export function classifySsh(cmd: SimpleCommand, _scope: Scope, scan: OptionScan): void {
  const { args, env } = cmd;
  const host = scan.end;
  const again = scanOptions(args.slice(host + 1), SSH_OPTIONS);
  const start = host + 1 + again.end;
  sshLocalCommands(cmd, { ...scan, items: [...scan.items, ...again.items] }, args.slice(0, start));
  const rest = args.slice(start);
  if (rest.length === 0) return;
  const remote: Scope = {
    cwd: env.ctx.home,
    vars: new Map(),
    positional: null,
    workspaceRoots: [],
    remote: true,
  };
  runScriptWord(cmd, joinWords(rest, { remote: rest.some((w) => w.remote) }), 'ssh', null, remote);
}

export function classifyEval(cmd: SimpleCommand): void {
  const { args } = cmd;
  if (args.length === 0) return;
  const joinedValues = args.every((w) => !w.dynamic && w.values.length === 1) ? [args.map((w) => w.values[0] ?? '').join(' ')] : [];
  const word: WordValue = {
    ...unknownWord(),
    values: joinedValues,
    patterns: joinedValues,
    dynamic: joinedValues.length === 0,
    sketch: args.map((w) => wordText(w)).join(' '),
    display: args.map(wordDisplay).join(' '),
    ansiC: args.some((w) => w.ansiC),
    decoder: args.some((w) => w.decoder),
    remote: args.some((w) => w.remote),
    stdin: args.some((w) => w.stdin),
  };
  runScriptWord(cmd, word, 'eval');
}

export function classifyRunner(cmd: SimpleCommand): void {
  const { name, args } = cmd;
  const spec = RUNNERS[name] ?? {};
  // at/tmux/screen confirm only when they are given a command (their listing forms run nothing)
  if (!['at', 'batch', 'tmux', 'screen'].includes(name)) runnerConfirm(cmd, name);
  // shell-string forms: their command lines are read by the script-options row (SCRIPT_OPTIONS)
  if (name === 'script' || name === 'sg' || name === 'nix-shell') return;
  // hyperfine's operands are command lines, also those known only at run time (its options: SCRIPT_OPTIONS)
  if (name === 'hyperfine') return scanOptions(args, SCRIPT_OPTIONS.hyperfine?.spec).operands.forEach((w) => runScriptWord(cmd, w, name));
  if (name === 'at' || name === 'batch') return classifyAt(cmd);
  if (name === 'tmux') return classifyTmux(cmd);
  if (name === 'screen') return classifyScreen(cmd);
  runAfterOptions(cmd, spec);
}

/** `command [-p] cmd`; `command -v/-V` only looks the name up. */
export function classifyCommandBuiltin(cmd: SimpleCommand, _scope: Scope, scan: OptionScan): void {
  if (scan.has('-v', '-V')) return;
  runArgv(cmd, cmd.args.slice(scan.end), {});
}

/** `nohup cmd`, `builtin cmd`: the words after are the command. */
export function runRest(cmd: SimpleCommand): void {
  runArgv(cmd, cmd.args.slice(staticText(cmd.args[0]) === '--' ? 1 : 0), {});
}

/** `busybox APPLET args`, `toybox APPLET args` (multi-call binaries). */
export function classifyMultiCall(cmd: SimpleCommand): void {
  const { args } = cmd;
  if (args.length === 0 || (staticText(args[0]) ?? '').startsWith('-')) return;
  runArgv(cmd, args, {});
}

/** `alias x='…'` bodies and `trap '…' SIG` handlers are scripts that run later in the line. */
export function classifyAliasOrTrap(cmd: SimpleCommand): void {
  const { args } = cmd;
  if (cmd.name === 'trap') {
    if (args[0] !== undefined && !(staticText(args[0]) ?? '-').startsWith('-')) runScriptWord(cmd, args[0], 'trap');
    return;
  }
  for (const a of args) {
    const t = staticText(a);
    const eq = t?.indexOf('=') ?? -1;
    if (t !== undefined && eq > 0) runScriptWord(cmd, literalWord(t.slice(eq + 1)), `alias ${t.slice(0, eq)}`);
  }
}
