import type { SimpleCommand } from './simple-command.js';
import { report, staticText } from './simple-command.js';
import type { WordValue } from './words.js';
import { literalWord, wordText } from './words.js';
import { childScope } from './scope.js';
import { resolvePath } from './paths.js';
import { runScriptWord } from './exec.js';
import { checkWrite } from './cmd-fs.js';
import { gitEnvScripts, gitSubcommandScripts, runExtUrl } from './cmd-git-exec.js';
import type { OptionScan } from './options.js';
import { scanOptions } from './options.js';
import { GIT_GLOBAL_OPTIONS, GIT_SUBCOMMAND_OPTIONS } from './command-options.js';

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

/** A subcommand's options read with the one scanner: which were given, its operands, the words after `--`. */
function subOptions(
  sub: string,
  args: readonly WordValue[],
): { has: (...names: string[]) => boolean; positional: WordValue[]; afterDashDash: WordValue[] } {
  const scan = scanOptions(args, GIT_SUBCOMMAND_OPTIONS[sub] ?? { stopAtOperand: false });
  const dash = args.findIndex((w) => staticText(w) === '--');
  const afterDashDash = dash === -1 ? [] : args.slice(dash + 1);
  return {
    // one-letter options by the scanner's items (a value letter ends a cluster: `-bf` is -b f), long ones also as --x=v
    has: (...names) => names.some((n) => scan.items.some((it) => it.name === n)),
    positional: scan.operands.slice(0, scan.operands.length - afterDashDash.length),
    afterDashDash,
  };
}

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
      const f = subOptions(sub, rest);
      if (f.has('-n', '--dry-run')) return;
      if (f.has('-f', '--force')) return blockGit(cmd, 'git clean -f deletes untracked files');
      return;
    }
    case 'checkout': {
      const f = subOptions(sub, rest);
      if (f.has('-f', '--force')) return blockGit(cmd, 'git checkout -f discards local changes');
      if (f.afterDashDash.length > 0) return blockGit(cmd, 'git checkout -- <path> discards local changes');
      if (f.has('--pathspec-from-file')) return blockGit(cmd, 'git checkout --pathspec-from-file discards local changes');
      if (f.has('-b', '-B', '--orphan')) return;
      // `--track direct`, `--recurse-submodules checkout`: a mode word after these optional-value
      // options is read as their value (as the source suites expect), not as a ref or a path
      const positional = f.positional.filter((w) => {
        const before = staticText(rest[rest.indexOf(w) - 1]) ?? '';
        return !(
          ['--track', '--recurse-submodules'].includes(before) && /^(?:direct|inherit|checkout|on-demand)$/.test(staticText(w) ?? '')
        );
      });
      if (positional.length >= 2) return blockGit(cmd, 'git checkout <ref> <path> overwrites files');
      const only = staticText(positional[0]);
      if (only !== undefined && (only === '.' || only.startsWith('./') || only === '*' || only.startsWith(':/'))) {
        return blockGit(cmd, 'git checkout <path> discards local changes');
      }
      return;
    }
    case 'restore': {
      const f = subOptions(sub, rest);
      const staged = f.has('-S', '--staged');
      const worktree = f.has('-W', '--worktree');
      if (!staged || worktree) {
        if (f.positional.length > 0 || f.afterDashDash.length > 0 || f.has('--pathspec-from-file')) {
          return blockGit(cmd, 'git restore discards working-tree changes');
        }
      }
      return;
    }
    case 'switch': {
      const f = subOptions(sub, rest);
      if (f.has('-f', '--force', '--discard-changes')) {
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
      const f = subOptions(sub, rest);
      const del = f.has('-d', '--delete');
      const force = f.has('-f', '--force');
      if (f.has('-D') || (del && force)) return blockGit(cmd, 'git branch -D deletes an unmerged branch');
      return;
    }
    case 'worktree': {
      if (texts[0] === 'remove') {
        const f = subOptions(sub, rest.slice(1));
        if (f.has('-f', '--force')) return blockGit(cmd, 'git worktree remove --force deletes uncommitted work');
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
      const f = subOptions(sub, rest);
      if (f.has('-n', '--dry-run')) return;
      if (f.has('-f', '--force')) {
        report(env, 'block.git-force-push', 'git push --force', cmd.argv);
        return;
      }
      if (f.has('--mirror')) {
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
      // --output FILE (format-patch's -o DIR): where it writes
      const scan = scanOptions(rest, { values: ['--output', '-o'], stopAtOperand: false });
      for (const it of scan.items) if (it.value !== undefined) checkWrite(cmd, it.value, `git ${sub} --output`);
      return;
    }
    default:
      return;
  }
}
