// Plants every git feature that runs a program into a repository, each one touching its own
// marker file when it runs: hooks (in .git/hooks and through core.hooksPath), core.fsmonitor, a
// clean/smudge/process filter and a textconv, diff.external, a merge driver, a pager, an editor
// and an alias, with a .gitattributes that routes every path through them.
import { chmodSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Every marker name a planted program writes. */
export const PLANTED = [
  'hook',
  'hookspath',
  'fsmonitor',
  'clean',
  'smudge',
  'process',
  'textconv',
  'external',
  'merge',
  'pager',
  'editor',
  'alias',
] as const;

const HOOKS = [
  'pre-commit',
  'post-commit',
  'commit-msg',
  'post-checkout',
  'post-merge',
  'pre-rebase',
  'post-rewrite',
  'reference-transaction',
  'pre-auto-gc',
  'post-index-change',
  'pre-push',
];

function script(file: string, marker: string, tail = ''): string {
  writeFileSync(file, `#!/bin/sh\ntouch '${marker}'\n${tail}`);
  chmodSync(file, 0o755);
  return file;
}

/** Plants into the repository at `repo` (its .git is `<repo>/.git`); markers go to `markers`. */
export function plantGit(repo: string, markers: string): void {
  mkdirSync(markers, { recursive: true });
  const git = path.join(repo, '.git');
  const m = (name: string): string => path.join(markers, name);
  mkdirSync(path.join(git, 'hooks'), { recursive: true });
  for (const hook of HOOKS) script(path.join(git, 'hooks', hook), m('hook'));
  const other = path.join(git, 'planted-hooks');
  mkdirSync(other, { recursive: true });
  for (const hook of HOOKS) script(path.join(other, hook), m('hookspath'));
  const fsmonitor = script(path.join(git, 'fsmonitor.sh'), m('fsmonitor'));
  const clean = script(path.join(git, 'clean.sh'), m('clean'), 'cat\n');
  const smudge = script(path.join(git, 'smudge.sh'), m('smudge'), 'cat\n');
  const textconv = script(path.join(git, 'textconv.sh'), m('textconv'), 'cat "$1"\n');
  const external = script(path.join(git, 'external.sh'), m('external'));
  const merge = script(path.join(git, 'merge.sh'), m('merge'), 'exit 0\n');
  const pager = script(path.join(git, 'pager.sh'), m('pager'), 'cat\n');
  const editor = script(path.join(git, 'editor.sh'), m('editor'));
  const config = `
[core]
\thooksPath = ${other}
\tfsmonitor = ${fsmonitor}
\tpager = ${pager}
\teditor = ${editor}
[filter "x"]
\tclean = ${clean}
\tsmudge = ${smudge}
[filter "y"]
\tprocess = ${script(path.join(git, 'process.sh'), m('process'))}
[diff "x"]
\ttextconv = ${textconv}
[diff]
\texternal = ${external}
[merge "x"]
\tdriver = ${merge} %O %A %B
[alias]
\tst = !touch '${m('alias')}'
\tdiff-tree = !touch '${m('alias')}'
`;
  writeFileSync(
    path.join(git, 'config'),
    `${existsSync(path.join(git, 'config')) ? '' : ''}[core]\n\trepositoryformatversion = 0\n\tbare = false\n${config}`,
  );
  writeFileSync(path.join(repo, '.gitattributes'), '* filter=x diff=x merge=x\n*.md filter=y\n');
}

/** The markers that exist (each one a planted program that ran). */
export function ranMarkers(markers: string): string[] {
  return existsSync(markers) ? readdirSync(markers).sort() : [];
}
