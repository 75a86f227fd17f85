// orchestrate's own git never runs what a repository's config, hooks or attributes name: the
// person's checkout planted with every program-running git feature is copied, committed,
// diffed, merged and applied to, and no marker appears. A control run of plain git on the same
// repository proves the plants are live.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { applyChanges } from '../../src/copy/apply-changes.js';
import { createSessionCopy } from '../../src/copy/create-copy.js';
import { PrivateRepo, RepoTamperedError } from '../../src/copy/private-repo.js';
import { runSafeGit } from '../../src/process/safe-git.js';
import { plantGit, ranMarkers } from '../helpers/plant-git.js';

const roots: string[] = [];
afterEach(() => {
  for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true });
});

function git(cwd: string, ...args: string[]): { status: number | null; stdout: string } {
  const r = spawnSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, GIT_AUTHOR_NAME: 'p', GIT_AUTHOR_EMAIL: 'p@x', GIT_COMMITTER_NAME: 'p', GIT_COMMITTER_EMAIL: 'p@x' },
  });
  return { status: r.status, stdout: r.stdout };
}

function world(): { root: string; repo: string; markers: string } {
  const root = mkdtempSync(path.join(os.tmpdir(), 'orch-safegit-'));
  roots.push(root);
  const repo = path.join(root, 'project');
  spawnSync('git', ['init', '-q', repo]);
  writeFileSync(path.join(repo, 'a.txt'), 'one\ntwo\nthree\n');
  git(repo, 'add', '-A');
  git(repo, 'commit', '-qm', 'first');
  return { root, repo, markers: path.join(root, 'markers') };
}

describe('the safe git runner', () => {
  it('control: plain git on the planted repository runs the plants (so the test can fail)', () => {
    const { repo, markers } = world();
    plantGit(repo, markers);
    writeFileSync(path.join(repo, 'a.txt'), 'changed\n');
    git(repo, 'add', '-A'); // fsmonitor
    git(repo, '-c', 'core.fsmonitor=false', 'add', '-A'); // clean filter
    git(repo, 'commit', '-qm', 'second'); // hooks through core.hooksPath
    writeFileSync(path.join(repo, 'n.md'), 'notes\n');
    git(repo, '-c', 'core.fsmonitor=false', 'add', 'n.md'); // process filter
    git(repo, '-c', 'diff.external=', 'diff', '--textconv', 'HEAD~1', 'HEAD');
    git(repo, 'diff', '--ext-diff', 'HEAD~1', 'HEAD');
    git(repo, 'st');
    expect(ranMarkers(markers)).toEqual(['alias', 'clean', 'external', 'fsmonitor', 'hookspath', 'process', 'smudge']);
  });

  it('copies, commits, diffs, merges and applies a planted repository without running anything it names', () => {
    const { root, repo, markers } = world();
    plantGit(repo, markers);
    // the person's uncommitted work, so the copy has to read the work tree
    writeFileSync(path.join(repo, 'a.txt'), 'one\ntwo\nthree\nfour\n');
    writeFileSync(path.join(repo, 'new.txt'), 'untracked\n');
    const { info } = createSessionCopy({
      target: repo,
      workspace: path.join(repo, '.orchestrate'),
      stateRoot: path.join(root, 'state'),
      sessionId: 's1',
    });
    // the agents' own .git in the copy, planted as well
    plantGit(info.workDir, markers);
    const repoOf = PrivateRepo.open(info.gitDir, info.fingerprint);
    writeFileSync(path.join(info.workDir, 'a.txt'), 'zero\none\ntwo\nthree\nfour\n');
    writeFileSync(path.join(info.workDir, 'b.txt'), 'agent\n');
    const commit = repoOf.commitWorkTree(
      { dir: info.workDir, index: info.index },
      info.branch,
      info.baseline,
      { name: 'claude', email: 'c@x' },
      'work\n',
    );
    expect(commit).toBeDefined();
    repoOf.text(['diff', '--no-ext-diff', '--no-textconv', info.baseline, commit as string]);
    repoOf.run(['diff', '--no-ext-diff', '--no-textconv', info.baseline], { dir: info.workDir, index: info.index });
    repoOf.run(['merge-tree', '--write-tree', info.baseline, commit as string]);
    runSafeGit(['status'], { cwd: repo });
    // an alias is never expanded: only git's own commands are run at all
    expect(runSafeGit(['st'], { cwd: repo }).ok).toBe(false);
    writeFileSync(path.join(info.workDir, 'c.md'), 'notes\n');
    // the person changed the file meanwhile: a three-way merge, with merge-file
    writeFileSync(path.join(repo, 'a.txt'), 'one\ntwo\nthree\nfour\nfive\n');
    const out = applyChanges(
      repoOf,
      { from: info.baseline, to: commit as string, baseline: info.baseline, ...(info.head ? { head: info.head } : {}) },
      repo,
      path.join(root, 'session'),
      '.orchestrate',
    );
    expect(out.conflicts).toEqual([]);
    expect(out.merged).toEqual(['a.txt']);
    expect(readFileSync(path.join(repo, 'a.txt'), 'utf8')).toBe('zero\none\ntwo\nthree\nfour\nfive\n');
    expect(out.refused).toEqual([]);
    expect(ranMarkers(markers)).toEqual([]);
  });

  it('refuses to run git on its own repository once its config was changed behind its back', () => {
    const { root, repo } = world();
    const { info } = createSessionCopy({
      target: repo,
      workspace: path.join(repo, '.orchestrate'),
      stateRoot: path.join(root, 'state'),
      sessionId: 's1',
    });
    writeFileSync(
      path.join(info.gitDir, 'config'),
      `${readFileSync(path.join(info.gitDir, 'config'), 'utf8')}[filter "x"]\n\tclean = touch /tmp/x\n`,
    );
    expect(() => PrivateRepo.open(info.gitDir, info.fingerprint)).toThrow(RepoTamperedError);
  });
});
