/**
 * Programs that turn text into shell commands by a road other than `sh -c`: make recipes read
 * from stdin or `--eval`, sed's `e` command and `s///e` flag, editors run in batch mode
 * (`vim -c '!…'`, `emacs --eval '(shell-command …)'`), job schedulers and terminal multiplexers
 * (`at`, `batch`, `tmux new`, `screen -dm`), and ssh's locally run `ProxyCommand`. The text is
 * classified as the script it becomes; text that cannot be known confirms.
 */
import type { SimpleCommand } from './simple-command.js';
import { report, staticText } from './simple-command.js';
import type { WordValue } from './words.js';
import { literalWord } from './words.js';
import { scanOptions } from './options.js';
import type { OptionScan } from './options.js';
import { EMACS_OPTIONS, SCREEN_OPTIONS } from './command-options.js';
import { checkScriptFile, classifyStdinCode, runArgv, runnerConfirm, runScriptText, runScriptWord } from './exec.js';
import { childScope } from './scope.js';

const STR = /"((?:[^"\\]|\\.)*)"/g;

/** A script word, or a dynamic one that confirms. */
function script(cmd: SimpleCommand, text: string | undefined, label: string): void {
  if (text === undefined) report(cmd.env, 'confirm.dynamic-code', `${label} is dynamic`, cmd.argv);
  else runScriptWord(cmd, literalWord(text), label);
}

/** Recipe lines of a makefile text (tab-indented lines and `target: deps ; recipe`). */
export function makeRecipes(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    if (line.startsWith('\t')) out.push(line.slice(1));
    else {
      const m = /^[^#=\t][^=]*?:(?!=)[^;]*;(.*)$/.exec(line);
      if (m !== null) out.push(m[1] ?? '');
    }
  }
  // @, - and + prefixes are make's; $$ is a shell $
  return out
    .map((r) =>
      r
        .trim()
        .replace(/^[@+-]+/, '')
        .replace(/\$\$/g, '$'),
    )
    .filter((r) => r !== '');
}

/** make: a makefile from stdin (`-f -`, `-f /dev/stdin`) or `--eval TEXT` is classified by its recipes. */
export function classifyMake(cmd: SimpleCommand): void {
  const scan = scanOptions(cmd.args, {
    values: ['-f', '--file', '--makefile', '-C', '--directory', '-I', '--include-dir', '-j', '--jobs', '-l', '-o', '-W', '--eval', '-E'],
    stopAtOperand: false,
  });
  const runText = (text: string, label: string): void => {
    for (const r of makeRecipes(text)) runScriptText(cmd, r, label, childScope(cmd.scope));
  };
  for (const ev of [scan.valueOf('--eval'), scan.valueOf('-E')]) if (ev !== undefined) runText(ev.replace(/\\n/g, '\n'), 'make --eval');
  const file = scan.valueOf('-f') ?? scan.valueOf('--file') ?? scan.valueOf('--makefile');
  if (file === undefined) return;
  if (file === '-' || file === '/dev/stdin' || /^\/(?:dev\/fd|proc\/self\/fd)\/0$/.test(file)) {
    const input = cmd.stdin();
    if (input.kind === 'static') {
      if (input.dynamic) report(cmd.env, 'confirm.dynamic-code', 'make reads a makefile with dynamic parts', cmd.argv);
      runText(input.text, 'make -f -');
    } else if (input.kind === 'file') {
      // `make -f - < FILE`: a file written earlier in the line is read; one named at run time could hold anything
      const written = input.path === null ? undefined : cmd.env.written.get(input.path);
      if (input.path === null) report(cmd.env, 'confirm.dynamic-code', 'make reads a makefile named at run time', cmd.argv);
      else if (written !== undefined) runText(written.text, 'make -f -');
    } else if (input.kind !== 'none') {
      classifyStdinCode(cmd, 'make -f -', undefined, input);
    }
  }
}

/** sed: the `e` command runs its argument (or the pattern space), `s///e` runs the result. */
export function classifySedExec(cmd: SimpleCommand, scan: OptionScan): void {
  const exprs = sedExpressions(scan);
  for (const e of exprs) {
    const text = staticText(e);
    if (text === undefined) {
      if (/(?:^|[;\n}])\s*e\b|\/e\b/.test(e.sketch)) report(cmd.env, 'confirm.dynamic-code', 'sed script with e is dynamic', cmd.argv);
      continue;
    }
    sedExecs(cmd, text);
  }
}

/** sed's scripts: each `-e`/`--expression` value, else (without `-f`) the first operand. */
export function sedExpressions(scan: OptionScan): WordValue[] {
  const exprs = scan.items.flatMap((it) => ((it.name === '-e' || it.name === '--expression') && it.value !== undefined ? [it.value] : []));
  if (exprs.length === 0 && !scan.has('-f', '--file') && scan.operands[0] !== undefined) exprs.push(scan.operands[0]);
  return exprs;
}

const ADDR = String.raw`(?:\d+(?:~\d+)?|\$|/(?:[^/\\]|\\.)*/I?M?|\\(.)(?:(?!\1).)*\1)`;

function sedExecs(cmd: SimpleCommand, text: string): void {
  // s commands first (their text may contain anything); an e flag executes the pattern space
  const sub = /(?:^|[;\n{}]|\s)\s*(?:[^;\n{}]*?)s([^\\\n])((?:(?!\1)[^\\]|\\.)*)\1((?:(?!\1)[^\\]|\\.)*)\1([a-zA-Z0-9]*)/g;
  let rest = text;
  let m: RegExpExecArray | null;
  while ((m = sub.exec(text)) !== null) {
    if ((m[4] ?? '').includes('e')) {
      report(cmd.env, 'confirm.dynamic-code', 'sed s///e runs the substituted line as a command', cmd.argv);
      runScriptWord(cmd, literalWord(m[3] ?? ''), 'sed s///e');
    }
    rest = rest.replace(m[0], ';');
  }
  for (const raw of rest.split(/[;\n]/)) {
    const c = raw
      .trim()
      .replace(/^[{}]+\s*/, '')
      .replace(new RegExp(`^${ADDR}(?:\\s*,\\s*${ADDR})?\\s*!?\\s*`), '');
    const e = /^e(?:\s+(.*))?$/.exec(c);
    if (e === null) continue;
    if (e[1] === undefined || e[1].trim() === '')
      report(cmd.env, 'confirm.dynamic-code', 'sed e runs the pattern space as a command', cmd.argv);
    else runScriptWord(cmd, literalWord(e[1]), 'sed e');
  }
}

/** Shell commands inside one ex command (`!cmd`, `r !cmd`, `w !cmd`, `system('…')`, `terminal cmd`). */
function exShellCommands(ex: string): string[] {
  const out: string[] = [];
  const c = ex
    .trim()
    .replace(/^[:\s]+/, '')
    .replace(/^(?:sil(?:ent)?!?\s+|exe(?:cute)?\s+)/, '');
  const bang = /^(?:\d+|%|\.|\$)?(?:,(?:\d+|\$|\.))?\s*(?:(?:r|re|rea|read|w|wr|wri|writ|write)\s*)?!(.*)$/.exec(c);
  if (bang !== null) out.push(bang[1] ?? '');
  const term = /^(?:ter|term|termi|termin|termina|terminal)(?:\s+\+\+\S+)*\s+(.+)$/.exec(c);
  if (term !== null) out.push(term[1] ?? '');
  for (const s of c.matchAll(/\b(?:system|systemlist|jobstart|termopen)\s*\(\s*(?:'((?:[^']|'')*)'|"((?:[^"\\]|\\.)*)")/g))
    out.push((s[1] ?? s[2] ?? '').replace(/''/g, "'"));
  if (/^(?:sh|shell)$/.test(c)) out.push('sh');
  return out;
}

/** vim/nvim/ex/view: `-c CMD`, `+CMD`, `--cmd CMD` run ex commands; their shell escapes are classified. */
export function classifyEditor(cmd: SimpleCommand): void {
  if (cmd.name === 'rvim' || cmd.name === 'rview') return; // restricted: no shell commands
  const exCmds: WordValue[] = [];
  cmd.args.forEach((w, k) => {
    const t = staticText(w);
    if ((t === '-c' || t === '--cmd') && cmd.args[k + 1] !== undefined) exCmds.push(cmd.args[k + 1] as WordValue);
    else if (t === undefined ? w.sketch.startsWith('+') : t.startsWith('+') && t.length > 1 && !/^\+\d+$/.test(t))
      exCmds.push(t === undefined ? w : literalWord(t.slice(1)));
    else if (t !== undefined && /^-[a-zA-Z]*c$/.test(t) && t.length > 2 && !t.startsWith('--') && cmd.args[k + 1] !== undefined)
      exCmds.push(cmd.args[k + 1] as WordValue); // ex -sc '…'
  });
  for (const w of exCmds) {
    const text = staticText(w);
    if (text === undefined) {
      report(cmd.env, 'confirm.dynamic-code', `${cmd.name} runs a dynamic editor command`, cmd.argv);
      continue;
    }
    for (const ex of text.split('|')) for (const sh of exShellCommands(ex)) runScriptWord(cmd, literalWord(sh), `${cmd.name} !`);
  }
}

/** emacs --eval: shell-command/call-process/start-process strings, delete-directory/delete-file. */
export function classifyEmacs(cmd: SimpleCommand): void {
  scanOptions(cmd.args, EMACS_OPTIONS).items.forEach(({ name, value: expr }) => {
    if ((name !== '--eval' && name !== '-eval') || expr === undefined) return;
    const code = staticText(expr);
    if (code === undefined) {
      report(cmd.env, 'confirm.dynamic-code', 'emacs --eval is dynamic', cmd.argv);
      return;
    }
    for (const m of code.matchAll(/\((?:async-)?shell-command(?:-to-string)?\s+"((?:[^"\\]|\\.)*)"/g))
      runScriptWord(cmd, literalWord(unq(m[1])), 'emacs shell-command');
    for (const m of code.matchAll(/\((?:call-process|start-process|process-lines|make-process)\s+([^)]*)\)/g)) {
      const strs = [...(m[1] ?? '').matchAll(STR)].map((s) => unq(s[1]));
      const prog = m[0].startsWith('(start-process') ? strs.slice(2) : strs;
      if (prog.length > 0)
        runArgv(
          cmd,
          prog.map((s) => literalWord(s)),
          {},
        );
    }
    for (const m of code.matchAll(/\(delete-directory\s+"((?:[^"\\]|\\.)*)"\s*(t|nil)?/g))
      runArgv(cmd, [literalWord('rm'), literalWord(m[2] === 't' ? '-rf' : '-f'), literalWord('--'), literalWord(fileName(cmd, m[1]))], {});
    for (const m of code.matchAll(/\(delete-file\s+"((?:[^"\\]|\\.)*)"/g))
      runArgv(cmd, [literalWord('rm'), literalWord('-f'), literalWord('--'), literalWord(fileName(cmd, m[1]))], {});
  });
}

function unq(s: string | undefined): string {
  return (s ?? '').replace(/\\(.)/g, '$1');
}

/** Emacs expands `~` in file names. */
function fileName(cmd: SimpleCommand, s: string | undefined): string {
  return unq(s).replace(/^~(?=\/|$)/, cmd.env.ctx.home);
}

/** at/batch: the job is stdin (or `-f file`); it is classified as a script. */
export function classifyAt(cmd: SimpleCommand): void {
  const scan = scanOptions(cmd.args, { values: ['-f', '-q', '-t', '-M'], stopAtOperand: false });
  if (scan.has('-l', '-r', '-d', '-c')) return; // atq/atrm/cat forms
  const file = scan.wordOf('-f');
  runnerConfirm(cmd, `${cmd.name} job`);
  if (file !== undefined) checkScriptFile(cmd, file, cmd.name);
  else classifyStdinCode(cmd, cmd.name);
}

const TMUX_RUNS = new Set([
  'new',
  'new-session',
  'neww',
  'new-window',
  'splitw',
  'split-window',
  'respawn-pane',
  'respawnp',
  'respawn-window',
  'respawnw',
  'run',
  'run-shell',
  'popup',
  'display-popup',
  'send',
  'send-keys',
]);
const TMUX_VALUES = ['-s', '-n', '-c', '-t', '-x', '-y', '-e', '-F', '-l', '-p', '-L', '-S', '-f', '-w', '-h', '-d', '-T', '-b', '-N'];

/** tmux SUBCOMMAND … shell-command: the command a new session/window/pane runs, or keys sent to one. */
export function classifyTmux(cmd: SimpleCommand): void {
  const { args } = cmd;
  // tmux's own options first (-L socket, -S path, -f config take a value), then the subcommand
  const i = scanOptions(args, { values: ['-L', '-S', '-f'] }).end;
  const sub = staticText(args[i]);
  if (sub === undefined || !TMUX_RUNS.has(sub)) return;
  const scan = scanOptions(args.slice(i + 1), { values: TMUX_VALUES.filter((v) => v !== '-d' && v !== '-h' && v !== '-b' && v !== '-N') });
  let words = scan.operands;
  if (sub === 'send' || sub === 'send-keys')
    words = words.filter((w) => !/^(?:Enter|C-m|KPEnter|Escape|Space|Tab|C-[a-z])$/.test(staticText(w) ?? ''));
  if (words.length === 0) return;
  runnerConfirm(cmd, `tmux ${sub}`);
  const texts = words.map((w) => staticText(w));
  script(cmd, texts.some((t) => t === undefined) ? undefined : texts.join(' '), `tmux ${sub}`);
}

/** screen [-dmS name …] cmd args: the program screen starts. */
export function classifyScreen(cmd: SimpleCommand): void {
  const scan = scanOptions(cmd.args, SCREEN_OPTIONS);
  // attaching to or controlling a running session starts nothing
  if (scan.items.some((it) => ['-x', '-r', '-R', '-X'].includes(it.name)) || ['-ls', '-list', '-wipe'].some((f) => scan.flags.includes(f)))
    return;
  const inner = cmd.args.slice(scan.end);
  if (inner.length === 0) return;
  runnerConfirm(cmd, 'screen');
  runArgv(cmd, inner, {});
}

/**
 * `ssh -o ProxyCommand=…` (and LocalCommand, KnownHostsCommand): commands ssh, scp and sftp run
 * locally. `scan`: the options as the row's scanner read them; `optionWords`: the words where
 * options stand (an unknown `-o$X` there is read as an option too).
 */
export function sshLocalCommands(
  cmd: SimpleCommand,
  scan: OptionScan,
  optionWords: readonly WordValue[] = cmd.args.slice(0, scan.end),
): void {
  const values = scan.items.flatMap((it) => (it.name === '-o' && it.value !== undefined ? [it.value] : []));
  for (const w of optionWords)
    if (staticText(w) === undefined && w.sketch.startsWith('-o') && w.sketch.length > 2) values.push({ ...w, sketch: w.sketch.slice(2) });
  for (const opt of values) {
    const text = staticText(opt) ?? opt.sketch;
    const m = /^\s*(ProxyCommand|LocalCommand|KnownHostsCommand)\s*[=\s]\s*([^]*)$/i.exec(text);
    if (m === null) continue;
    const value = m[2] ?? '';
    if (staticText(opt) === undefined) {
      report(cmd.env, 'confirm.dynamic-code', `ssh ${m[1]} is dynamic`, cmd.argv);
      runScriptText(cmd, value, `ssh ${m[1]}`, childScope(cmd.scope));
      continue;
    }
    if (/^none$/i.test(value.trim())) continue;
    // %h %p %r %n tokens stand for the host, port, user: plain words to the shell
    runScriptWord(cmd, literalWord(value.replace(/%%/g, '%').replace(/%[hprnCdiklLuT]/g, 'x')), `ssh ${m[1]}`);
  }
}
