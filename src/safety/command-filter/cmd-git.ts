import type { SimpleCommand } from './simple-command.js';
import { report, shortFlags, staticText } from './simple-command.js';
import type { WordValue } from './words.js';
import { literalWord, wordText } from './words.js';
import { childScope } from './scope.js';
import { resolvePath } from './paths.js';
import { runScriptWord } from './exec.js';
import { checkWrite } from './cmd-fs.js';
import { gitEnvScripts, gitSubcommandScripts, runExtUrl } from './cmd-git-exec.js';
import type { OptionScan } from './options.js';
import { scanOptions } from './options.js';
import { GIT_GLOBAL_OPTIONS } from './command-options.js';

/** Config keys whose value git runs through a shell (or as a program). */
const SHELL_KEYS =
  /^(?:core\.(?:pager|editor|sshcommand|fsmonitor|askpass|hookspath)|sequence\.editor|diff\.external|diff\.[^.]+\.(?:textconv|command)|merge\.[^.]+\.driver|filter\.[^.]+\.(?:clean|smudge|process)|credential(?:\.[^.]+)?\.helper|gpg(?:\.[^.]+)?\.program|pager\.[^.]+|interactive\.difffilter|uploadpack\.packobjectshook|web\.browser|browser\.[^.]+\.cmd|man\.[^.]+\.cmd|difftool\.[^.]+\.cmd|mergetool\.[^.]+\.cmd|protocol\.ext\.allow|ssh\.variant)$/i;

interface GitConfig {
  readonly key: string;
  readonly value: WordValue;
}

function splitConfig(w: WordValue): GitConfig | undefined {
  const t = staticText(w) ?? wordText(w);
  const eq = t.indexOf('=');
  if (eq === -1) return undefined;
  const key = t.slice(0, eq);
  const raw = t.slice(eq + 1);
  return {
    key,
    value: w.dynamic ? { ...w, values: [], sketch: raw, display: raw } : literalWord(raw),
  };
}

/** Handles `-c key=value`: shell-valued keys and `alias.x=!…` bodies are classified. */
function checkConfig(cmd: SimpleCommand, c: GitConfig, aliases: Map<string, string>): void {
  const key = c.key.toLowerCase();
  const value = staticText(c.value);
  if (key.startsWith('alias.')) {
    if (value === undefined) {
      report(cmd.env, 'confirm.dynamic-code', `git alias ${c.key} is dynamic`, cmd.argv);
      return;
    }
    if (value.startsWith('!')) runScriptWord(cmd, literalWord(value.slice(1)), `git ${c.key}`);
    else aliases.set(c.key.slice(6), value);
    return;
  }
  // any value that is an ext:: URL (remote.x.url, url.x.insteadOf, …) is a command git may run
  if (value?.startsWith('ext::') === true) runExtUrl(cmd, value);
  // url.<ext::…>.insteadOf=x: fetching x fetches (runs) the ext:: base
  const base = /^url\.(ext::.*)\.(?:pushinsteadof|insteadof)$/i.exec(c.key)?.[1];
  if (base !== undefined) runExtUrl(cmd, base);
  if (SHELL_KEYS.test(key)) {
    if (value === undefined) report(cmd.env, 'confirm.dynamic-code', `git -c ${c.key} is dynamic`, cmd.argv);
    else runScriptWord(cmd, literalWord(value.replace(/^!/, '')), `git -c ${c.key}`);
  }
}

function flagSet(
  args: readonly WordValue[],
  valueShorts = '',
): { shorts: Set<string>; longs: string[]; positional: WordValue[]; afterDashDash: WordValue[] } {
  const shorts = new Set<string>();
  const longs: string[] = [];
  const positional: WordValue[] = [];
  const afterDashDash: WordValue[] = [];
  let end = false;
  for (const a of args) {
    const t = staticText(a);
    if (end) {
      afterDashDash.push(a);
      continue;
    }
    if (t === '--') {
      end = true;
      continue;
    }
    if (t !== undefined && t.startsWith('--')) {
      longs.push(t);
      continue;
    }
    const cluster = t === undefined ? null : shortFlags(t);
    if (cluster !== null) {
      for (const ch of cluster) {
        shorts.add(ch);
        if (valueShorts.includes(ch)) break; // rest of the cluster is the option's value
      }
      continue;
    }
    positional.push(a);
  }
  return { shorts, longs, positional, afterDashDash };
}

const hasLong = (longs: readonly string[], ...names: string[]): boolean =>
  longs.some((l) => names.some((n) => l === n || l.startsWith(n + '=')));

/** git: global options (`-C DIR` moves the cwd, `-c KEY=VALUE` may be a script); destructive subcommands block, push confirms. */
export function classifyGit(cmd: SimpleCommand, globals: OptionScan, depth = 0): void {
  const { args, env } = cmd;
  let scope = cmd.scope;
  const aliases = new Map<string, string>();
  for (const opt of globals.items) {
    if (opt.name === '-C') {
      const dir = staticText(opt.value);
      scope = childScope(scope);
      scope.cwd = dir === undefined ? null : resolvePath(dir, cmd.scope);
    } else if (opt.name === '-c' && opt.value !== undefined) {
      const c = splitConfig(opt.value);
      if (c !== undefined) checkConfig({ ...cmd, scope }, c, aliases);
    } else if (['--help', '-h', '--version', '-v'].includes(opt.name)) return;
  }
  const i = globals.end;
  if (depth === 0) gitEnvScripts({ ...cmd, scope }, (key, value) => checkConfig({ ...cmd, scope }, { key, value }, aliases));
  const subWord = args[i];
  if (subWord === undefined) return;
  const sub = staticText(subWord);
  const rest = args.slice(i + 1);
  const c: SimpleCommand = { ...cmd, scope };
  if (sub === undefined) {
    if (subWord.dynamic) report(env, 'confirm.dynamic-code', 'git subcommand is dynamic', cmd.argv);
    return;
  }
  const alias = aliases.get(sub);
  if (alias !== undefined && depth < 3) {
    const expanded = alias
      .split(/\s+/)
      .filter((s) => s !== '')
      .map((s) => literalWord(s));
    const aliased = [...expanded, ...rest];
    classifyGit({ ...c, args: aliased }, scanOptions(aliased, GIT_GLOBAL_OPTIONS), depth + 1);
    return;
  }
  classifyGitSubcommand(c, sub, rest);
}

function blockGit(cmd: SimpleCommand, detail: string): void {
  report(cmd.env, 'block.git-destructive', detail, cmd.argv);
}

function classifyGitSubcommand(cmd: SimpleCommand, sub: string, rest: readonly WordValue[]): void {
  const texts = rest.map((w) => staticText(w) ?? '');
  if (texts.includes('--help') || texts.includes('-h')) return;
  if (gitSubcommandScripts(cmd, sub, rest)) return;
  const { env } = cmd;
  switch (sub) {
    case 'reset': {
      if (texts.includes('--hard')) return blockGit(cmd, 'git reset --hard discards uncommitted changes');
      if (texts.includes('--merge')) return blockGit(cmd, 'git reset --merge discards uncommitted changes');
      return;
    }
    case 'clean': {
      const f = flagSet(rest, 'eE');
      if (f.shorts.has('n') || hasLong(f.longs, '--dry-run')) return;
      if (f.shorts.has('f') || hasLong(f.longs, '--force')) return blockGit(cmd, 'git clean -f deletes untracked files');
      return;
    }
    case 'checkout': {
      const f = flagSet(rest, 'bBU');
      if (f.shorts.has('f') || hasLong(f.longs, '--force')) return blockGit(cmd, 'git checkout -f discards local changes');
      if (f.afterDashDash.length > 0) return blockGit(cmd, 'git checkout -- <path> discards local changes');
      if (hasLong(f.longs, '--pathspec-from-file')) return blockGit(cmd, 'git checkout --pathspec-from-file discards local changes');
      if (f.shorts.has('b') || f.shorts.has('B') || hasLong(f.longs, '--orphan')) return;
      const valued = new Set(['--conflict', '--recurse-submodules', '--track', '--unified', '--inter-hunk-context']);
      const modeValue = /^(?:merge|diff3|zdiff3|checkout|on-demand|direct|inherit|\d+)$/;
      const positional: WordValue[] = [];
      for (let k = 0; k < rest.length; k++) {
        const t = texts[k] ?? '';
        const w = rest[k];
        if (w === undefined || t === '--') break;
        if (t.startsWith('-')) {
          if (valued.has(t) && modeValue.test(texts[k + 1] ?? '')) k++;
          continue;
        }
        positional.push(w);
      }
      if (positional.length >= 2) return blockGit(cmd, 'git checkout <ref> <path> overwrites files');
      const only = staticText(positional[0]);
      if (only !== undefined && (only === '.' || only.startsWith('./') || only === '*' || only.startsWith(':/'))) {
        return blockGit(cmd, 'git checkout <path> discards local changes');
      }
      return;
    }
    case 'restore': {
      const f = flagSet(rest, 's');
      const staged = f.shorts.has('S') || hasLong(f.longs, '--staged');
      const worktree = f.shorts.has('W') || hasLong(f.longs, '--worktree');
      if (!staged || worktree) {
        if (f.positional.length > 0 || f.afterDashDash.length > 0 || hasLong(f.longs, '--pathspec-from-file')) {
          return blockGit(cmd, 'git restore discards working-tree changes');
        }
      }
      return;
    }
    case 'switch': {
      const f = flagSet(rest, 'cC');
      if (f.shorts.has('f') || hasLong(f.longs, '--force', '--discard-changes')) {
        return blockGit(cmd, 'git switch --discard-changes discards local changes');
      }
      return;
    }
    case 'stash': {
      const action = texts[0];
      if (action === 'drop' || action === 'clear') return blockGit(cmd, `git stash ${action} deletes stashed work`);
      return;
    }
    case 'branch': {
      const f = flagSet(rest);
      const del = f.shorts.has('d') || hasLong(f.longs, '--delete');
      const force = f.shorts.has('f') || hasLong(f.longs, '--force');
      if (f.shorts.has('D') || (del && force)) return blockGit(cmd, 'git branch -D deletes an unmerged branch');
      return;
    }
    case 'worktree': {
      if (texts[0] === 'remove') {
        const f = flagSet(rest.slice(1));
        if (f.shorts.has('f') || hasLong(f.longs, '--force')) return blockGit(cmd, 'git worktree remove --force deletes uncommitted work');
      }
      return;
    }
    case 'read-tree': {
      if (texts.includes('--reset') && (texts.includes('-u') || texts.some((t) => /^-[a-z]*u/.test(t)))) {
        return blockGit(cmd, 'git read-tree --reset -u is reset --hard');
      }
      return;
    }
    case 'update-ref': {
      if (texts.includes('-d')) return blockGit(cmd, 'git update-ref -d deletes a ref');
      return;
    }
    case 'push': {
      const f = flagSet(rest, 'o');
      if (f.shorts.has('n') || hasLong(f.longs, '--dry-run')) return;
      if (f.shorts.has('f') || f.longs.some((l) => l === '--force' || l.startsWith('--force='))) {
        report(env, 'block.git-force-push', 'git push --force', cmd.argv);
        return;
      }
      if (hasLong(f.longs, '--mirror')) {
        report(env, 'block.git-force-push', 'git push --mirror overwrites every remote ref', cmd.argv);
        return;
      }
      const refspecs = [...f.positional.slice(1), ...f.afterDashDash];
      if (refspecs.some((w) => (staticText(w) ?? '').startsWith('+'))) {
        report(env, 'block.git-force-push', 'git push +refspec forces the update', cmd.argv);
        return;
      }
      report(env, 'confirm.external-action', 'git push', cmd.argv);
      return;
    }
    case 'reflog': {
      if (texts[0] === 'expire' && texts.some((t) => /^--expire(?:-unreachable)?=(?:now|all|0)/.test(t))) {
        report(env, 'confirm.git-recovery-data', 'git reflog expire --expire=now', cmd.argv);
      } else if (texts[0] === 'delete') {
        report(env, 'confirm.git-recovery-data', 'git reflog delete', cmd.argv);
      }
      return;
    }
    case 'gc':
    case 'prune': {
      if (texts.some((t) => /^--prune=(?:now|all)/.test(t)) || (sub === 'prune' && texts.some((t) => /^--expire=(?:now|all)/.test(t)))) {
        report(env, 'confirm.git-recovery-data', `git ${sub} prunes unreachable objects now`, cmd.argv);
      }
      return;
    }
    case 'config': {
      const scopeFlag = texts.some((t) => t === '--global' || t === '--system' || t.startsWith('--file') || t === '-f');
      const readOnly = texts.some((t) =>
        ['--get', '--get-all', '--get-regexp', '-l', '--list', '--show-origin', 'get', 'list'].includes(t),
      );
      const keys = rest.filter((w) => !(staticText(w) ?? '-').startsWith('-'));
      const key = staticText(keys[0]) ?? '';
      const valueWord = keys[1];
      if (!readOnly && key.toLowerCase().startsWith('alias.') && valueWord !== undefined) {
        const v = staticText(valueWord);
        if (v?.startsWith('!')) runScriptWord(cmd, literalWord(v.slice(1)), `git config ${key}`);
      } else if (!readOnly && SHELL_KEYS.test(key) && valueWord !== undefined) {
        runScriptWord(cmd, valueWord, `git config ${key}`);
      }
      const value = readOnly ? undefined : staticText(valueWord);
      const base = readOnly ? undefined : /^url\.(ext::.*)\.(?:pushinsteadof|insteadof)$/i.exec(key)?.[1];
      for (const url of [value, base]) if (url?.startsWith('ext::') === true) runExtUrl(cmd, url);
      if (scopeFlag && !readOnly && keys.length >= 2) {
        report(env, 'confirm.write-outside', 'git config --global writes ~/.gitconfig', cmd.argv);
      }
      return;
    }
    case 'log':
    case 'diff':
    case 'show':
    case 'format-patch': {
      for (let k = 0; k < texts.length; k++) {
        const t = texts[k] ?? '';
        if (t === '--output' || t === '-o') {
          const w = rest[k + 1];
          if (w !== undefined) checkWrite(cmd, w, `git ${sub} --output`);
        } else if (t.startsWith('--output=')) checkWrite(cmd, literalWord(t.slice(9)), `git ${sub} --output`);
      }
      return;
    }
    default:
      return;
  }
}
