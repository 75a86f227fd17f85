// A separate copy for a parallel assignment is made with as few git processes as it takes (each
// fork costs orchestrate more the bigger it grows): one read-tree per copy, its ref written as a
// ref file, the agents' `.git` from one `git init` per session. Real git must accept all of it:
// the agents' repository (status, log, diff, commit), orchestrate's ref (rev-parse, for-each-ref,
// a resumed session reading it), and it must match what `git init` + `update-ref` made before.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createSessionCopy, giveAgentsARepo } from '../../src/copy/create-copy.js';
import { writeLooseRef } from '../../src/copy/loose-ref.js';
import type { Plan } from '../../src/plan/types.js';
import { WorkCopies } from '../../src/supervisor/work-copies.js';

const roots: string[] = [];
const PATH = process.env['PATH'];
afterEach(() => {
  process.env['PATH'] = PATH;
  for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true });
});

/** Real git as a person runs it (no config of this machine's user). */
function git(cwd: string, ...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: {
      PATH: PATH ?? '/usr/bin:/bin',
      HOME: path.join(cwd, '..', 'home'),
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_AUTHOR_NAME: 'p',
      GIT_AUTHOR_EMAIL: 'p@x',
      GIT_COMMITTER_NAME: 'p',
      GIT_COMMITTER_EMAIL: 'p@x',
    },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function plan(ids: string[]): Plan {
  return {
    version: 1,
    task: 't',
    tier: { name: 'pair', agents: ['claude'], reason: '' },
    weights: {},
    timeoutMs: 60_000,
    fallbackOrder: [],
    source: 'plan-file',
    assignments: ids.map((id) => ({
      id,
      agent: 'claude',
      role: 'custom',
      phase: 1,
      title: id,
      weight: 1,
      budgetMs: 60_000,
      dependsOn: [],
      instructions: '',
      reason: '',
    })),
  } as unknown as Plan;
}

/**
 * A git target with a commit and an uncommitted change, and its session copy. `holdReadTreeOf`:
 * that copy's read-tree waits until `<root>/go` exists (or the test's folder is gone).
 */
function session(holdReadTreeOf?: string): { root: string; copies: WorkCopies; log: string } {
  const root = mkdtempSync(path.join(os.tmpdir(), 'orch-launchcopy-'));
  roots.push(root);
  const target = path.join(root, 'project');
  mkdirSync(target);
  git(root, 'init', '-q', target);
  writeFileSync(path.join(target, 'a.txt'), 'one\n');
  mkdirSync(path.join(target, 'src'));
  writeFileSync(path.join(target, 'src', 'b.txt'), 'two\n');
  git(target, 'add', '-A');
  git(target, 'commit', '-qm', 'first');
  writeFileSync(path.join(target, 'a.txt'), 'one, edited\n');
  const { info } = createSessionCopy({ target, workspace: path.join(root, 'ws'), stateRoot: path.join(root, 'state'), sessionId: 's1' });
  // every git orchestrate starts from here on is logged by a shim first on PATH, then run
  const shims = path.join(root, 'shims');
  mkdirSync(shims);
  const log = path.join(root, 'git.log');
  const real = spawnSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).stdout.trim();
  const hold = holdReadTreeOf
    ? `case "$*:$GIT_INDEX_FILE" in *read-tree*work-${holdReadTreeOf}.index) while [ ! -e '${root}/go' ] && [ -d '${root}' ]; do sleep 0.05; done;; esac\n`
    : '';
  writeFileSync(
    path.join(shims, 'git'),
    `#!/bin/sh\nfor a; do case "$a" in -c|*=*) ;; *) echo "$a" >> '${log}'; break;; esac; done\n${hold}exec '${real}' "$@"\n`,
  );
  chmodSync(path.join(shims, 'git'), 0o755);
  writeFileSync(log, '');
  process.env['PATH'] = `${shims}:${PATH}`;
  return { root, copies: new WorkCopies(info, plan(['a', 'b'])), log };
}

const gitRuns = (log: string): string[] => readFileSync(log, 'utf8').split('\n').filter(Boolean);

describe('separate copies made at launch', () => {
  it('cost one read-tree each after one git init per session, and real git works in the agents repository', async () => {
    const { copies, log } = session();
    const a = await copies.prepare('a');
    const b = await copies.prepare('b');
    // the session branch's tip is read once per process
    expect(gitRuns(log)).toEqual(['rev-parse', 'read-tree', 'init', 'read-tree']);
    expect(a.separate && b.separate).toBe(true);
    expect(readFileSync(path.join(a.dir, 'a.txt'), 'utf8')).toBe('one, edited\n');

    // the agents' repository, as an agent uses it
    expect(git(a.dir, 'status', '--porcelain')).toMatchObject({ status: 0, stdout: '' });
    expect(git(a.dir, 'log', '--format=%H').stdout.trim().split('\n')[0]).toBe(a.base);
    expect(git(a.dir, 'rev-parse', '--abbrev-ref', 'HEAD').stdout.trim()).toBe('s1-a');
    writeFileSync(path.join(a.dir, 'src', 'b.txt'), 'two, by the agent\n');
    expect(git(a.dir, 'diff', '--stat').stdout).toContain('src/b.txt');
    expect(git(a.dir, 'commit', '-qam', 'agent work').status).toBe(0);
    expect(git(a.dir, 'log', '--format=%s', '-1').stdout).toBe('agent work\n');
    expect(git(a.dir, 'fsck', '--connectivity-only').status).toBe(0);
    // the other copy's repository is its own
    expect(git(b.dir, 'rev-parse', '--abbrev-ref', 'HEAD').stdout.trim()).toBe('s1-b');
    expect(git(b.dir, 'status', '--porcelain').stdout).toBe('');
  });

  it("are made side by side: one copy's git does not wait for another copy's", async () => {
    const { root, copies } = session('a');
    const makingA = copies.prepare('a');
    // a's read-tree is held; b's copy is made meanwhile (one queue for all git would wait forever)
    const b = await copies.prepare('b');
    expect(readFileSync(path.join(b.dir, 'a.txt'), 'utf8')).toBe('one, edited\n');
    expect(existsSync(path.join(root, 'state'))).toBe(true);
    const aDir = path.join(path.dirname(b.dir), 'work-a');
    expect(existsSync(path.join(aDir, 'a.txt'))).toBe(false);
    writeFileSync(path.join(root, 'go'), '');
    const a = await makingA;
    expect(a.dir).toBe(aDir);
    expect(git(a.dir, 'status', '--porcelain')).toMatchObject({ status: 0, stdout: '' });
  });

  it('the agents repository has the same files and settings as git init + update-ref made', async () => {
    const { root, copies } = session();
    const a = await copies.prepare('a');
    const old = path.join(root, 'old');
    mkdirSync(old);
    giveAgentsARepo(old, copies.info.gitDir, a.index, 'refs/heads/s1-a', a.base);
    const listing = (d: string): string[] =>
      (readdirSync(path.join(d, '.git'), { recursive: true }) as string[]).filter((f) => !f.startsWith('objects/pack')).sort();
    expect(listing(a.dir)).toEqual(listing(old));
    for (const f of ['HEAD', 'config', 'refs/heads/s1-a', 'objects/info/alternates'])
      expect(readFileSync(path.join(a.dir, '.git', f), 'utf8')).toBe(readFileSync(path.join(old, '.git', f), 'utf8'));
    const stamp = (s: string): string => s.replace(/ \d+ \+0000\n$/, ' T +0000\n');
    for (const f of ['logs/HEAD', 'logs/refs/heads/s1-a'])
      expect(stamp(readFileSync(path.join(a.dir, '.git', f), 'utf8'))).toBe(stamp(readFileSync(path.join(old, '.git', f), 'utf8')));
    expect(git(a.dir, 'reflog', '-1', '--format=%H').stdout.trim()).toBe(a.base);
  });

  it("orchestrate's assignment ref is a ref git reads, and a resumed session commits on it", async () => {
    const { copies } = session();
    const a = await copies.prepare('a');
    const gd = copies.info.gitDir;
    expect(git(gd, '--git-dir', gd, 'rev-parse', '--verify', a.ref).stdout.trim()).toBe(a.base);
    expect(git(gd, '--git-dir', gd, 'for-each-ref', '--format=%(refname)', 'refs/orchestrate/').stdout).toBe(`${a.ref}\n`);
    writeFileSync(path.join(a.dir, 'new.txt'), 'new\n');
    // a new process (resume) reads the ref from disk
    const resumed = new WorkCopies(copies.info, plan(['a', 'b']));
    const made = await resumed.commitRun('a', 'claude', 'run 1\n');
    expect(made.changes.added).toEqual(['new.txt']);
    expect(git(gd, '--git-dir', gd, 'rev-parse', a.ref).stdout.trim()).toBe(made.commit);
    expect(git(gd, '--git-dir', gd, 'rev-parse', `${a.ref}^`).stdout.trim()).toBe(a.base);
  });
});

describe('writeLooseRef', () => {
  const oid = 'a'.repeat(40);
  function bare(): string {
    const root = mkdtempSync(path.join(os.tmpdir(), 'orch-looseref-'));
    roots.push(root);
    git(root, 'init', '-q', '--bare', path.join(root, 'g'));
    return path.join(root, 'g');
  }

  it('writes only names and ids git accepts, under refs/orchestrate/, leaving the rest to update-ref', () => {
    const gd = bare();
    for (const ref of [
      'refs/heads/x',
      'refs/orchestrate',
      'refs/orchestrate/a/..',
      'refs/orchestrate/.a',
      'refs/orchestrate/a.lock',
      'refs/orchestrate/a.',
    ])
      expect(writeLooseRef(gd, ref, oid), ref).toBe(false);
    expect(writeLooseRef(gd, 'refs/orchestrate/x', 'not-an-id')).toBe(false);
    expect(readdirSync(path.join(gd, 'refs'))).not.toContain('orchestrate');
    expect(writeLooseRef(gd, 'refs/orchestrate/assignments/a-1', oid)).toBe(true);
    expect(readFileSync(path.join(gd, 'refs/orchestrate/assignments/a-1'), 'utf8')).toBe(`${oid}\n`);
  });

  it("asks git when refs are not loose files, and fails like update-ref while git's lock is held", () => {
    const gd = bare();
    writeFileSync(path.join(gd, 'config'), `${readFileSync(path.join(gd, 'config'), 'utf8')}[extensions]\n\trefStorage = reftable\n`);
    expect(writeLooseRef(gd, 'refs/orchestrate/a', oid)).toBe(false);
    const gd2 = bare();
    mkdirSync(path.join(gd2, 'refs/orchestrate'));
    writeFileSync(path.join(gd2, 'refs/orchestrate/a.lock'), '');
    expect(() => writeLooseRef(gd2, 'refs/orchestrate/a', oid)).toThrow(/EEXIST/);
    expect(readdirSync(path.join(gd2, 'refs/orchestrate'))).toEqual(['a.lock']);
  });
});
