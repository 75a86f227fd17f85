/**
 * Shells and interpreters: `sh -c SCRIPT`, `bash FILE`, `python -c CODE`, `node -e`, `perl -e`,
 * PowerShell, awk; and the roads a script reaches them by: a file written or downloaded earlier
 * in the line, `/dev/stdin` and `/dev/fd/N`, `<(…)`, and stdin (pipes, heredocs, here-strings).
 */
import type { Scope, VarValue } from './scope.js';
import type { OptionScan } from './options.js';
import { scanOptions } from './options.js';
import { CODE_OPTIONS, POWERSHELL_OPTIONS, powerShellParameter } from './command-options.js';
import { childScope } from './scope.js';
import type { SimpleCommand, Stdin } from './simple-command.js';
import { report, resolveWord, staticText } from './simple-command.js';
import type { WordValue } from './words.js';
import { literalWord } from './words.js';
import { checkScriptFile, classifyStdinCode, nestedFindings, runArgv, runScriptText, runScriptWord } from './exec.js';
import { classifyInterpreterCode } from './cmd-interp.js';
import type { Lang } from './cmd-interp.js';
import { checkWrite } from './cmd-fs.js';
import { classifyPackages } from './cmd-packages.js';
import { sketchFindings } from './token-scan.js';

export const SHELLS = new Set([
  'sh',
  'bash',
  'zsh',
  'dash',
  'ksh',
  'mksh',
  'ash',
  'fish',
  'csh',
  'tcsh',
  'rbash',
  'yash',
  'posh',
  'oksh',
  'loksh',
  'pdksh',
]);

/** `/dev/stdin`, `/dev/fd/N`, `/proc/self/fd/N`: the fd a script path reads, if it names one. */
function fdOfPath(path: string): number | undefined {
  if (path === '/dev/stdin' || path === '-') return 0;
  const m = /^\/(?:dev\/fd|proc\/(?:self|\$\$|\d+)\/fd)\/(\d+)$/.exec(path);
  return m === null ? undefined : Number(m[1]);
}

export function scriptFileImpl(cmd: SimpleCommand, file: WordValue, label: string, lang?: Lang): void {
  const { env } = cmd;
  const fd = fdOfPath(staticText(file) ?? '');
  if (fd !== undefined) {
    classifyStdinCode(cmd, label, lang, fd === 0 ? cmd.stdin() : (cmd.scope.fds?.get(fd) ?? { kind: 'dynamic' }));
    return;
  }
  if (file.procSubst && file.procText !== undefined && !file.decoder && !file.remote) {
    classifyStdinCode(cmd, label, lang, { kind: 'static', text: file.procText, dynamic: false });
    return;
  }
  if (file.procSubst || file.subst) {
    if (file.decoder) report(env, 'block.obfuscation', `${label} runs decoded text`, cmd.argv);
    else if (file.remote) report(env, 'confirm.remote-code', `${label} runs a download`, cmd.argv);
    else report(env, 'confirm.dynamic-code', `${label} runs the output of a command`, cmd.argv);
    return;
  }
  const abs = resolveWord(file, cmd.scope);
  if (abs === null) {
    // `source "$F"`, `bash "$1"`: a script file named at run time could hold anything; one of known
    // names is read like a named script (`for f in scripts/*.sh; do bash "$f"; done`)
    if (file.dynamic && file.values.length === 0)
      report(env, 'confirm.dynamic-code', `${label} runs a script file named at run time`, cmd.argv);
    return;
  }
  if (env.downloads.has(abs)) {
    report(env, 'confirm.remote-code', `${label} runs ${abs}, downloaded earlier in the line`, cmd.argv);
    return;
  }
  runWrittenScript(cmd, abs, label, lang);
}

/**
 * A file written earlier in the line and run by its path (`./x.sh`): the kernel reads its
 * `#!INTERPRETER ARG` line and runs `INTERPRETER ARG FILE args…` (Linux passes ARG as one word, so
 * `#!/usr/bin/env -S bash -c '…'` reaches env -S); without one, a shell runs it.
 */
export function runWrittenExecutable(cmd: SimpleCommand, abs: string): void {
  const written = cmd.env.written.get(abs);
  const m = written === undefined ? null : /^#![ \t]*(\S+)(?:[ \t]+([^\n]*?))?[ \t]*(?:\n|$)/.exec(written.text);
  if (m === null || m[1] === abs) return runWrittenScript(cmd, abs, 'running');
  if (written?.dynamic === true) report(cmd.env, 'confirm.dynamic-code', `running ${abs}, written with dynamic content`, cmd.argv);
  const argv = [literalWord(m[1] ?? ''), ...(m[2] === undefined ? [] : [literalWord(m[2])]), literalWord(abs), ...cmd.args];
  runArgv(cmd, argv, {});
}

/** A script written earlier in the same line (`echo … > x.sh && bash x.sh`) is classified. */
export function runWrittenScript(cmd: SimpleCommand, abs: string, label: string, lang?: Lang): void {
  const written = cmd.env.written.get(abs);
  if (written === undefined) return;
  if (written.dynamic) report(cmd.env, 'confirm.dynamic-code', `${label} runs ${abs}, written with dynamic content`, cmd.argv);
  if (lang !== undefined) interpreterCode(cmd, written.text, lang);
  else runScriptText(cmd, written.text, `${label} ${abs}`, childScope(cmd.scope));
}

export function classifySource(cmd: SimpleCommand): void {
  const file = cmd.args[0];
  if (file !== undefined) checkScriptFile(cmd, file, cmd.name);
}

/** What runs when stdin is a script for a shell or interpreter. */
export function stdinCodeImpl(cmd: SimpleCommand, label: string, lang?: Lang, input?: Stdin): void {
  const { env } = cmd;
  const stdin = input ?? cmd.stdin();
  switch (stdin.kind) {
    case 'none':
      return;
    case 'decoded':
      report(env, 'block.obfuscation', `decoded text is piped into ${label}`, cmd.argv);
      return;
    case 'remote':
      report(env, 'confirm.remote-code', `downloaded text is piped into ${label}`, cmd.argv);
      return;
    case 'dynamic':
      report(env, 'confirm.dynamic-code', `${label} runs a script read from stdin`, cmd.argv);
      // what shows of the text (the words and input upstream): a block-class command in it blocks
      if (stdin.sketch !== undefined && stdin.sketch.trim() !== '') blockingOf(cmd, stdin.sketch, `${label} stdin`);
      return;
    case 'file':
      if (stdin.path === null) report(env, 'confirm.dynamic-code', `${label} runs a script from a file named at run time`, cmd.argv);
      else if (env.downloads.has(stdin.path))
        report(env, 'confirm.remote-code', `${label} runs ${stdin.path}, downloaded earlier`, cmd.argv);
      else runWrittenScript(readsItsScript(cmd), stdin.path, label, lang);
      return;
    case 'static':
      if (stdin.dynamic) report(env, 'confirm.dynamic-code', `${label} runs a script with dynamic parts`, cmd.argv);
      if (lang !== undefined) interpreterCode(cmd, stdin.text, lang);
      else runScriptText(readsItsScript(cmd), stdin.text, `${label} stdin`, childScope(cmd.scope));
      return;
  }
}

/** A shell reading its script from stdin: the script's commands find the rest of it there, not the script again. */
function readsItsScript(cmd: SimpleCommand): SimpleCommand {
  return { ...cmd, stdin: () => ({ kind: 'none' }) };
}

/** Only the block-class findings of text that may be run (what shows of an unknown script). */
function blockingOf(cmd: SimpleCommand, text: string, label: string): void {
  const parsed = nestedFindings(readsItsScript(cmd), literalWord(text), label).filter((f) => f.rule.startsWith('block.'));
  for (const f of parsed.length > 0 ? parsed : sketchFindings(text, cmd.env)) cmd.env.findings.push(f);
}

export function classifyShell(cmd: SimpleCommand, _scope: Scope, scan: OptionScan): void {
  const { args, name } = cmd;
  startupFile(cmd);
  // -c: the first operand is the script; -s: the script is stdin even with operands
  const commandMode = scan.has('-c');
  const stdinMode = scan.has('-s');
  const i = scan.end;
  const operand = args[i];
  const rest = args.slice(i + 1);
  if (commandMode) {
    if (operand === undefined) {
      if (cmd.mode.stdinOperands) report(cmd.env, 'confirm.dynamic-code', `xargs ${name} -c runs text read from stdin`, cmd.argv);
      return;
    }
    // $0 = rest[0], $1… = rest[1…]; under xargs, stdin operands follow
    const positional: VarValue[] = rest.map((w) => ({
      values: w.values,
      dynamic: w.dynamic,
      stdin: w.stdin,
    }));
    if (positional.length === 0) positional.push({ values: [name], dynamic: false });
    if (cmd.mode.stdinOperands) positional.push({ values: [], dynamic: true, stdin: true });
    runScriptWord(cmd, operand, `${name} -c`, positional);
    return;
  }
  if (operand !== undefined && !stdinMode) {
    checkScriptFile(cmd, operand, name);
    return;
  }
  if (cmd.mode.stdinOperands) return;
  classifyStdinCode(cmd, name);
}

export function classifyInterpreter(cmd: SimpleCommand, lang: Lang, scan: OptionScan): void {
  const { args, name, env } = cmd;
  if (lang === 'pwsh') return classifyPowerShellArgs(cmd);
  // `deno eval CODE`, `bun eval CODE`: the code is the operand; else the code options' values
  const evalForm = (name === 'deno' || name === 'bun') && staticText(args[0]) === 'eval';
  const codes = evalForm
    ? args.slice(1, 2)
    : scan.items.flatMap((it) => (it.value !== undefined && CODE_OPTIONS[lang].includes(it.name) ? [it.value] : []));
  const inPlace = lang === 'perl' && scan.flags.some((f) => /^-[a-zA-Z]*i/.test(f));
  const module = lang === 'python' ? scan.wordOf('-m') : undefined;
  if (module !== undefined) pythonModule(cmd, staticText(module), args.slice(scan.end));
  for (const code of codes) {
    if (code.decoder) {
      report(env, 'block.obfuscation', `decoded text is run by ${name}`, cmd.argv);
      return;
    }
    if (code.dynamic || code.values.length === 0) {
      if (code.remote) report(env, 'confirm.remote-code', `${name} runs downloaded code`, cmd.argv);
      else report(env, 'confirm.dynamic-code', `${name} runs dynamic code`, cmd.argv);
      classifyInterpreterCode(cmd, code.sketch, lang);
      continue;
    }
    for (const v of code.values.slice(0, 4)) classifyInterpreterCode(cmd, v, lang);
  }
  if (inPlace && codes.length > 0) {
    const files = args.slice(args.indexOf(codes[codes.length - 1] ?? args[0] ?? literalWord('')) + 1);
    for (const f of files) checkWrite(cmd, f, 'perl -i edits');
  }
  if (codes.length > 0 || module !== undefined) return;
  // the first operand is the script file; none, or `-` (not after `--`), is stdin
  const file = evalForm ? undefined : scan.operands[0];
  if (file !== undefined && !(staticText(file) === '-' && staticText(args[scan.end - 1]) !== '--')) {
    checkScriptFile(cmd, file, name, lang);
    return;
  }
  if (cmd.mode.stdinOperands) return;
  classifyStdinCode(cmd, name, lang);
}

/** `python -m MOD args`: pip and twine are package commands; other modules run as programs. */
function pythonModule(cmd: SimpleCommand, module: string | undefined, modArgs: readonly WordValue[]): void {
  if (module === 'pip' || module === 'ensurepip' || module === 'twine') {
    const tool = module === 'twine' ? 'twine' : 'pip';
    classifyPackages({ ...cmd, name: tool, argv: [literalWord(tool), ...modArgs], args: modArgs });
  }
}

/** pwsh/powershell: `-Command CODE…`, `-EncodedCommand B64` (obfuscation), `-File F` (POWERSHELL_OPTIONS). */
function classifyPowerShellArgs(cmd: SimpleCommand): void {
  const { args, env } = cmd;
  const named = args.map((w) => {
    const t = staticText(w);
    return t === undefined ? w : literalWord(powerShellParameter(t));
  });
  const scan = scanOptions(named, POWERSHELL_OPTIONS);
  if (scan.has('-encodedcommand')) {
    report(env, 'block.obfuscation', `${cmd.name} -EncodedCommand runs base64-encoded code`, cmd.argv);
    return;
  }
  if (scan.has('-file')) return;
  // the code is what follows -Command, or every word when the first is not an option
  if (!scan.has('-command') && !(scan.end === 0 && args.length > 0)) return;
  const codeWords = args.slice(scan.end);
  const code = codeWords.map((w) => w.values[0] ?? w.sketch).join(' ');
  if (codeWords.some((w) => w.dynamic)) report(env, 'confirm.dynamic-code', `${cmd.name} runs dynamic code`, cmd.argv);
  classifyInterpreterCode(cmd, code, 'pwsh');
}

/** awk programs are data, except what they hand to a shell: system(), print | "cmd", "cmd" | getline. */
export function classifyAwk(cmd: SimpleCommand, _scope: Scope, scan: OptionScan): void {
  const { env } = cmd;
  if (scan.has('-f', '--file')) return; // program in a file: a workspace script
  const program = scan.operands[0];
  if (program === undefined) return;
  const code = program.values[0] ?? program.sketch;
  const literal = /\bsystem\s*\(\s*"((?:[^"\\]|\\.)*)"\s*\)|\|\s*"((?:[^"\\]|\\.)*)"|"((?:[^"\\]|\\.)*)"\s*\|\s*getline/g;
  let m: RegExpExecArray | null;
  // `print … | "sh"`: what the program prints is the script, so it is scanned like a built command
  let printsScript = false;
  while ((m = literal.exec(code)) !== null) {
    const shell = (m[1] ?? m[2] ?? m[3] ?? '').replace(/\\(.)/g, '$1');
    if (m[2] !== undefined && /^\s*(?:sudo\s+)?(?:sh|bash|zsh|dash|ksh|python\d*|perl|ruby|node)\s*$/.test(shell)) {
      printsScript = true;
      continue;
    }
    const inner = nestedFindings(cmd, literalWord(shell), 'awk');
    const blocking = inner.find((f) => f.rule.startsWith('block.'));
    if (blocking !== undefined) {
      report(env, 'block.interpreter-one-liner', `awk runs \`${shell}\`: ${blocking.detail ?? blocking.rule}`, cmd.argv);
      return;
    }
    for (const f of inner) env.findings.push(f);
  }
  if (printsScript || /\bsystem\s*\(\s*[^"\s)]/.test(code) || /\|\s*[^"\s|&]/.test(code.replace(/\|\|/g, ''))) {
    if (printsScript || /\bsystem\s*\(\s*[^"\s)]/.test(code) || /\|\s*(?:cmd|\$)/.test(code)) {
      // a command built at run time could be any string of the program: a block-class one blocks
      for (const lit of code.matchAll(/"((?:[^"\\]|\\.)*)"/g)) {
        const text = (lit[1] ?? '').replace(/\\(.)/g, '$1');
        if (!/\s/.test(text)) continue;
        const blocking = nestedFindings(cmd, literalWord(text), 'awk literal').find((f) => f.rule.startsWith('block.'));
        if (blocking === undefined) continue;
        report(
          env,
          'block.interpreter-one-liner',
          `awk runs a command built from \`${text}\`: ${blocking.detail ?? blocking.rule}`,
          cmd.argv,
        );
        return;
      }
      report(env, 'confirm.dynamic-code', 'awk runs a command built at run time', cmd.argv);
    }
  }
}

/**
 * `BASH_ENV` (and `ENV` for sh) assigned in the line names a file a non-interactive shell runs
 * before its script: `BASH_ENV=<(…) bash -c true`, `BASH_ENV=./x.sh bash -c …`.
 */
function startupFile(cmd: SimpleCommand): void {
  for (const name of ['BASH_ENV', 'ENV']) {
    const v = cmd.scope.vars.get(name);
    if (v === undefined) continue;
    if (v.procText !== undefined && !v.decoder && !v.remote) {
      classifyStdinCode(cmd, `${cmd.name} ${name}`, undefined, { kind: 'static', text: v.procText, dynamic: false });
      continue;
    }
    if (v.values.length === 0 || v.decoder || v.remote) {
      report(cmd.env, 'confirm.dynamic-code', `${cmd.name} runs the file named by ${name} first`, cmd.argv);
      continue;
    }
    for (const path of v.values) checkScriptFile(cmd, literalWord(path), `${cmd.name} ${name}`);
  }
}

/** Interpreter code that arrived by a script road (stdin, a written file): the interpreter row judges it. */
function interpreterCode(cmd: SimpleCommand, code: string, lang: Lang): void {
  const before = cmd.env.owner;
  cmd.env.owner = 'interpreter';
  try {
    classifyInterpreterCode(cmd, code, lang);
  } finally {
    cmd.env.owner = before;
  }
}
