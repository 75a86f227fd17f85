/**
 * Shells and interpreters: `sh -c SCRIPT`, `bash FILE`, `python -c CODE`, `node -e`, `perl -e`,
 * PowerShell, awk; and the roads a script reaches them by: a file written or downloaded earlier
 * in the line, `/dev/stdin` and `/dev/fd/N`, `<(…)`, and stdin (pipes, heredocs, here-strings).
 */
import type { VarValue } from './scope.js';
import { childScope } from './scope.js';
import type { SimpleCommand, Stdin } from './simple-command.js';
import { argTexts, report, resolveWord, staticText } from './simple-command.js';
import type { WordValue } from './words.js';
import { literalWord } from './words.js';
import { checkScriptFile, classifyStdinCode, nestedFindings, runScriptText, runScriptWord } from './exec.js';
import { classifyInterpreterCode } from './cmd-interp.js';
import type { Lang } from './cmd-interp.js';
import { checkWrite } from './cmd-fs.js';
import { classifyPackages } from './cmd-misc.js';

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
  if (abs === null) return;
  if (env.downloads.has(abs)) {
    report(
      env,
      'confirm.remote-code',
      `${label} runs ${abs}, downloaded earlier in the line`,
      cmd.argv,
    );
    return;
  }
  runWrittenScript(cmd, abs, label, lang);
}

/** A script written earlier in the same line (`echo … > x.sh && bash x.sh`) is classified. */
export function runWrittenScript(cmd: SimpleCommand, abs: string, label: string, lang?: Lang): void {
  const written = cmd.env.written.get(abs);
  if (written === undefined) return;
  if (written.dynamic)
    report(
      cmd.env,
      'confirm.dynamic-code',
      `${label} runs ${abs}, written with dynamic content`,
      cmd.argv,
    );
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
      return;
    case 'file':
      if (stdin.path !== null && env.downloads.has(stdin.path))
        report(
          env,
          'confirm.remote-code',
          `${label} runs ${stdin.path}, downloaded earlier`,
          cmd.argv,
        );
      else if (stdin.path !== null) runWrittenScript(cmd, stdin.path, label, lang);
      return;
    case 'static':
      if (stdin.dynamic)
        report(env, 'confirm.dynamic-code', `${label} runs a script with dynamic parts`, cmd.argv);
      if (lang !== undefined) interpreterCode(cmd, stdin.text, lang);
      else runScriptText(cmd, stdin.text, `${label} stdin`, childScope(cmd.scope));
      return;
  }
}

export function classifyShell(cmd: SimpleCommand): void {
  const { args, name } = cmd;
  startupFile(cmd);
  let commandMode = false;
  let stdinMode = false;
  let i = 0;
  for (; i < args.length; i++) {
    const t = staticText(args[i]);
    if (t === undefined) break;
    if (t === '--' || t === '-') {
      i++;
      break;
    }
    if (/^[-+]O$|^[-+]o$/.test(t) || t === '--rcfile' || t === '--init-file') {
      i++;
      continue;
    }
    if (t.startsWith('--')) continue;
    if (/^[-+][A-Za-z]+$/.test(t)) {
      if (t.startsWith('-') && t.includes('c')) commandMode = true;
      if (t.startsWith('-') && t.includes('s')) stdinMode = true;
      continue;
    }
    break;
  }
  const operand = args[i];
  const rest = args.slice(i + 1);
  if (commandMode) {
    if (operand === undefined) {
      if (cmd.mode.stdinOperands)
        report(
          cmd.env,
          'confirm.dynamic-code',
          `xargs ${name} -c runs text read from stdin`,
          cmd.argv,
        );
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

export function classifyInterpreter(cmd: SimpleCommand, lang: Lang): void {
  const { args, name, env } = cmd;
  const t = argTexts(args);
  const codes: WordValue[] = [];
  let scriptIndex = -1;
  let module: string | undefined;
  let inPlace = false;
  const valueOpts: Record<Lang, readonly string[]> = {
    python: ['-W', '-X', '-Q'],
    node: [
      '-r',
      '--require',
      '--import',
      '--loader',
      '--experimental-loader',
      '--input-type',
      '--env-file',
      '-C',
      '--conditions',
      '--title',
    ],
    perl: ['-I', '-M', '-m', '-x'],
    ruby: ['-r', '-I', '-C', '-E', '-F'],
    php: ['-d', '-c', '-z'],
    lua: ['-l'],
    pwsh: [],
  };
  if (lang === 'pwsh') return classifyPowerShellArgs(cmd);
  const vo = new Set(valueOpts[lang]);
  let i = 0;
  if ((name === 'deno' || name === 'bun') && t[0] === 'eval') {
    const code = args[1];
    if (code !== undefined) codes.push(code);
    i = args.length;
  }
  for (; i < args.length; i++) {
    const x = t[i] ?? '';
    const w = args[i];
    if (w === undefined) break;
    if (x === '--') {
      scriptIndex = i + 1;
      break;
    }
    if (x === '-') break;
    if (!x.startsWith('-')) {
      scriptIndex = i;
      break;
    }
    const codeFlag =
      (lang === 'python' && (x === '-c' || /^-[a-zA-Z]*c$/.test(x))) ||
      (lang === 'node' && ['-e', '--eval', '-p', '--print', '-pe'].includes(x)) ||
      ((lang === 'perl' || lang === 'ruby') && /^-[a-zA-Z0-9.]*[eE]$/.test(x)) ||
      (lang === 'php' && x === '-r') ||
      (lang === 'lua' && x === '-e');
    if (lang === 'perl' && /^-[a-zA-Z]*i/.test(x)) inPlace = true;
    if (codeFlag) {
      const code = args[i + 1];
      if (code !== undefined) codes.push(code);
      i++;
      if (lang === 'python') break;
      continue;
    }
    if (lang === 'python' && x.startsWith('-c') && x.length > 2) {
      codes.push(literalWord(x.slice(2)));
      break;
    }
    if (lang === 'python' && (x === '-m' || /^-[a-zA-Z]*m$/.test(x))) {
      module = t[i + 1];
      scriptIndex = -2;
      const modArgs = args.slice(i + 2);
      if (module === 'pip' || module === 'ensurepip') {
        classifyPackages({
          ...cmd,
          name: 'pip',
          argv: [literalWord('pip'), ...modArgs],
          args: modArgs,
        });
      } else if (module === 'venv' || module === 'http.server' || module === 'json.tool') {
        /* harmless */
      } else if (module === 'twine') {
        classifyPackages({
          ...cmd,
          name: 'twine',
          argv: [literalWord('twine'), ...modArgs],
          args: modArgs,
        });
      }
      break;
    }
    if (vo.has(x)) i++;
  }
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
    const files = args.slice(
      args.indexOf(codes[codes.length - 1] ?? args[0] ?? literalWord('')) + 1,
    );
    for (const f of files) checkWrite(cmd, f, 'perl -i edits');
  }
  if (codes.length > 0 || module !== undefined) return;
  if (scriptIndex >= 0) {
    const file = args[scriptIndex];
    if (file !== undefined) checkScriptFile(cmd, file, name, lang);
    return;
  }
  if (cmd.mode.stdinOperands) return;
  classifyStdinCode(cmd, name, lang);
}

/** pwsh/powershell: `-Command CODE…`, `-EncodedCommand B64` (obfuscation), `-File F`. */
function classifyPowerShellArgs(cmd: SimpleCommand): void {
  const { args, env } = cmd;
  for (let i = 0; i < args.length; i++) {
    const x = (staticText(args[i]) ?? '').toLowerCase();
    if (/^-(?:e|ec|enc|encodedcommand|encodedcomman|encodedcomma|encoded)$/.test(x)) {
      report(env, 'block.obfuscation', `${cmd.name} -EncodedCommand runs base64-encoded code`, cmd.argv);
      return;
    }
    if (/^-(?:c|command)$/.test(x) || !x.startsWith('-')) {
      const codeWords = args.slice(/^-/.test(x) ? i + 1 : i);
      if (/^-(?:c|command)$/.test(x) || i === 0) {
        const code = codeWords.map((w) => w.values[0] ?? w.sketch).join(' ');
        if (codeWords.some((w) => w.dynamic)) report(env, 'confirm.dynamic-code', `${cmd.name} runs dynamic code`, cmd.argv);
        classifyInterpreterCode(cmd, code, 'pwsh');
      }
      return;
    }
    if (/^-(?:f|file)$/.test(x)) return;
  }
}

/** awk programs are data, except what they hand to a shell: system(), print | "cmd", "cmd" | getline. */
export function classifyAwk(cmd: SimpleCommand): void {
  const { args, env } = cmd;
  const t = argTexts(args);
  let program: WordValue | undefined;
  for (let i = 0; i < args.length; i++) {
    const x = t[i] ?? '';
    if (x === '-f' || x === '--file') return; // program in a file: a workspace script
    if (x === '-F' || x === '-v' || x === '--assign' || x === '--field-separator') {
      i++;
      continue;
    }
    if (x.startsWith('-') && x !== '-') continue;
    program = args[i];
    break;
  }
  if (program === undefined) return;
  const code = program.values[0] ?? program.sketch;
  const literal =
    /\bsystem\s*\(\s*"((?:[^"\\]|\\.)*)"\s*\)|\|\s*"((?:[^"\\]|\\.)*)"|"((?:[^"\\]|\\.)*)"\s*\|\s*getline/g;
  let m: RegExpExecArray | null;
  while ((m = literal.exec(code)) !== null) {
    const shell = (m[1] ?? m[2] ?? m[3] ?? '').replace(/\\(.)/g, '$1');
    if (
      m[2] !== undefined &&
      /^\s*(?:sudo\s+)?(?:sh|bash|zsh|dash|ksh|python\d*|perl|ruby|node)\s*$/.test(shell)
    ) {
      report(env, 'confirm.dynamic-code', `awk pipes data into ${shell.trim()}`, cmd.argv);
      continue;
    }
    const inner = nestedFindings(cmd, literalWord(shell), 'awk');
    const blocking = inner.find((f) => f.rule.startsWith('block.'));
    if (blocking !== undefined) {
      report(
        env,
        'block.interpreter-one-liner',
        `awk runs \`${shell}\`: ${blocking.detail ?? blocking.rule}`,
        cmd.argv,
      );
      return;
    }
    for (const f of inner) env.findings.push(f);
  }
  if (/\bsystem\s*\(\s*[^"\s)]/.test(code) || /\|\s*[^"\s|&]/.test(code.replace(/\|\|/g, ''))) {
    if (/\bsystem\s*\(\s*[^"\s)]/.test(code) || /\|\s*(?:cmd|\$)/.test(code)) {
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
