/**
 * The roads by which git runs a command it was given as text: environment variables
 * (`GIT_SSH_COMMAND`, `GIT_EXTERNAL_DIFF`, `GIT_EDITOR`, pagers, `GIT_CONFIG_KEY_n`), options of
 * subcommands (`difftool --extcmd`, `grep -O`, `rebase --exec`, `bisect run`, `submodule
 * foreach`, `filter-branch --tree-filter`, `--upload-pack`) and `ext::` remote URLs. Each is
 * classified as the script git would run; a dynamic one confirms.
 */
import type { SimpleCommand } from './simple-command.js';
import { report, staticText } from './simple-command.js';
import type { WordValue } from './words.js';
import { literalWord } from './words.js';
import { scanOptions } from './options.js';
import { runArgv, runScriptText, runScriptWord } from './exec.js';
import { childScope } from './scope.js';

/** Variables whose value git runs through a shell (or as a program, for GIT_SSH). */
const SHELL_VARS = [
  'GIT_SSH_COMMAND',
  'GIT_SSH',
  'GIT_EXTERNAL_DIFF',
  'GIT_EDITOR',
  'GIT_SEQUENCE_EDITOR',
  'GIT_PAGER',
  'PAGER',
  'EDITOR',
  'VISUAL',
  'GIT_ASKPASS',
  'SSH_ASKPASS',
  'GIT_PROXY_COMMAND',
];

/** A script-valued word: classified, or confirmed when it cannot be known. */
function runValue(cmd: SimpleCommand, value: WordValue, label: string): void {
  runScriptWord(cmd, value, label);
}

/** Scripts git takes from variables assigned in this line (`GIT_EDITOR='…' git commit`). */
export function gitEnvScripts(cmd: SimpleCommand, checkConfig: (key: string, value: WordValue) => void): void {
  const vars = cmd.scope.vars;
  for (const name of SHELL_VARS) {
    const v = vars.get(name);
    if (v === undefined) continue;
    // a prefix assignment keeps the inherited value as an alternative; that one is the user's
    const word: WordValue =
      v.values.length === 0
        ? { ...literalWord(''), values: [], dynamic: true, sketch: '', display: `$${name}` }
        : { ...literalWord(v.values[0] ?? ''), values: v.values };
    // the command runs once: a git inside it does not run it again
    const scope = childScope(cmd.scope);
    for (const n of SHELL_VARS) scope.vars.delete(n);
    runScriptWord(cmd, word, `git with ${name}`, undefined, scope);
  }
  // any GIT_* variable assigned an ext:: URL (GIT_CONFIG_VALUE_n, a URL a script reads)
  for (const [name, v] of vars) {
    if (!name.startsWith('GIT_') || /^GIT_CONFIG_VALUE_\d+$/.test(name)) continue;
    for (const value of v.values) if (value.startsWith('ext::')) runExtUrl(cmd, value);
  }
  // GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=core.pager GIT_CONFIG_VALUE_0='…': config through the env
  for (const [name, v] of vars) {
    const m = /^GIT_CONFIG_KEY_(\d+)$/.exec(name);
    if (m === null) continue;
    const key = v.values[0];
    const value = vars.get(`GIT_CONFIG_VALUE_${m[1]}`);
    if (key === undefined || value === undefined) continue;
    checkConfig(
      key,
      value.values.length === 0
        ? { ...literalWord(''), values: [], dynamic: true }
        : { ...literalWord(value.values[0] ?? ''), values: value.values },
    );
  }
}

/**
 * The values of the options `longs` and `short` (`--name=V`, `--name V`, `-xV`, `-x V`, `-qx V`),
 * wherever they appear before `--`, read with the one scanner.
 */
function optionValues(rest: readonly WordValue[], longs: readonly string[], short?: string): WordValue[] {
  const names = short === undefined ? longs : [...longs, short];
  const scan = scanOptions(rest, { values: names, stopAtOperand: false });
  return scan.items.flatMap((it) => (it.value !== undefined && names.includes(it.name) ? [it.value] : []));
}

/**
 * An `ext::` URL runs its text as a command, wherever git meets the URL (an operand, `-c
 * remote.x.url=`, `git config`, `GIT_CONFIG_VALUE_n`). It is read as git splits it and, the
 * stricter reading, as the shell line it spells once `% ` is a space: a block-class command in
 * it blocks however the splitting is read.
 */
export function runExtUrl(cmd: SimpleCommand, url: string): void {
  runArgv(cmd, extCommand(url), {});
  const line = url.slice(5).replace(/%([ %])/g, '$1');
  runScriptText(cmd, line, 'git ext:: URL', childScope(cmd.scope));
}

/** `ext::sh -c rm% -rf% ~`: git splits on spaces (`% ` is a space, `%%` a percent) and runs it. */
function extCommand(url: string): WordValue[] {
  const words: string[] = [];
  let cur = '';
  const body = url.slice(5);
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === '%' && i + 1 < body.length) {
      const n = body[++i];
      cur += n === ' ' ? ' ' : n === '%' ? '%' : `%${n}`;
    } else if (c === ' ') {
      if (cur !== '') words.push(cur);
      cur = '';
    } else cur += c;
  }
  if (cur !== '') words.push(cur);
  return words.map((w) => literalWord(w));
}

/**
 * Commands a git subcommand runs from its own options or operands. Returns true when the
 * subcommand is fully handled here (nothing else to check for it).
 */
export function gitSubcommandScripts(cmd: SimpleCommand, sub: string, rest: readonly WordValue[]): boolean {
  const label = `git ${sub}`;
  // ext:: URLs run a local command for clone/fetch/pull/push/ls-remote/remote add/submodule add
  for (const w of rest) {
    const t = staticText(w);
    if (t?.startsWith('ext::')) runExtUrl(cmd, t);
    else if (t === undefined && /(?:^|\s)ext::/.test(w.sketch))
      report(cmd.env, 'confirm.dynamic-code', `${label} uses a dynamic ext:: URL`, cmd.argv);
  }
  for (const w of optionValues(rest, ['--upload-pack', '--receive-pack', '--exec'], sub === 'clone' ? '-u' : undefined)) {
    if (sub !== 'rebase') runValue(cmd, w, `${label} --upload-pack/--receive-pack/--exec`);
  }
  switch (sub) {
    case 'difftool':
    case 'mergetool':
      for (const w of optionValues(rest, ['--extcmd'], '-x')) runValue(cmd, w, `${label} --extcmd`);
      return false;
    case 'grep':
      for (const w of optionValues(rest, ['--open-files-in-pager'], '-O')) runValue(cmd, w, 'git grep -O');
      return true;
    case 'filter-branch':
    case 'filter-repo':
      for (const w of optionValues(rest, [
        '--setup',
        '--env-filter',
        '--tree-filter',
        '--index-filter',
        '--parent-filter',
        '--msg-filter',
        '--commit-filter',
        '--tag-name-filter',
      ]))
        runValue(cmd, w, `git ${sub}`);
      return true;
    case 'rebase':
      for (const w of optionValues(rest, ['--exec'], '-x')) runValue(cmd, w, 'git rebase --exec');
      return false;
    case 'submodule': {
      const texts = rest.map((w) => staticText(w) ?? '');
      const idx = texts.indexOf('foreach');
      if (idx === -1) return false;
      const script = rest.slice(idx + 1).filter((w) => !(staticText(w) ?? '').startsWith('--'));
      if (script.length === 1 && script[0] !== undefined) runValue(cmd, script[0], 'git submodule foreach');
      else if (script.length > 1) runArgv(cmd, script, {});
      return true;
    }
    case 'bisect':
      if (staticText(rest[0]) === 'run' && rest.length > 1) runArgv(cmd, rest.slice(1), {});
      return true;
    default:
      return false;
  }
}
