import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildReviewDiff } from '../../src/review/review-diff.js';

let root: string;
let target: string;

beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'review-diff-'));
  target = path.join(root, 'project');
  mkdirSync(target);
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const write = (rel: string, content: string | Buffer): void => {
  mkdirSync(path.dirname(path.join(target, rel)), { recursive: true });
  writeFileSync(path.join(target, rel), content);
};
const git = (...args: string[]): string =>
  execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], { cwd: target, encoding: 'utf8' });
const none = { added: [], modified: [], deleted: [] };

describe('buildReviewDiff in a git repo', () => {
  beforeEach(() => {
    write('src/app.js', 'export const a = 1;\n');
    write('README.md', 'hello\n');
    git('init', '-q');
    git('add', '.');
    git('commit', '-qm', 'init');
  });

  it('shows git diff of tracked files and the contents of untracked added files', () => {
    write('src/app.js', 'export const a = 2;\n');
    write('src/new.js', 'export const b = 3;\n');
    rmSync(path.join(target, 'README.md'));
    const diff = buildReviewDiff({
      target,
      isGitRepo: true,
      changes: { added: ['src/new.js'], modified: ['src/app.js'], deleted: ['README.md'] },
    });
    expect(diff.text).toContain('=== modified: src/app.js (git diff)');
    expect(diff.text).toContain('-export const a = 1;\n+export const a = 2;');
    expect(diff.text).toContain('=== added: src/new.js (current content)\nexport const b = 3;');
    expect(diff.text).toContain('=== deleted: README.md (git diff)');
    expect(diff.stats).toMatchObject({ added: 1, modified: 1, deleted: 1, bytesCut: 0 });
    expect(diff.cut).toEqual([]);
    expect(diff.files).toEqual([
      { path: 'src/app.js', change: 'modified' },
      { path: 'src/new.js', change: 'added' },
      { path: 'README.md', change: 'deleted' },
    ]);
  });

  it('works when the target is a subdirectory of the repo', () => {
    target = path.join(target, 'src');
    write('app.js', 'export const a = 9;\n');
    const diff = buildReviewDiff({ target, isGitRepo: true, changes: { ...none, modified: ['app.js'] } });
    expect(diff.text).toContain('=== modified: app.js (git diff)');
    expect(diff.text).toContain('+export const a = 9;');
  });

  it('says a tracked file without a difference was only touched or committed, without showing it', () => {
    git('commit', '--allow-empty', '-qm', 'noop');
    const diff = buildReviewDiff({ target, isGitRepo: true, changes: { ...none, modified: ['README.md'] } });
    expect(diff.text).toBe('=== modified: README.md (no difference to HEAD: only touched, or already committed)');
    expect(diff.cut).toEqual([]);
  });

  it('runs no command planted in .git/config (fsmonitor)', () => {
    const marker = path.join(root, 'planted-ran');
    const hook = path.join(root, 'hook.sh');
    writeFileSync(hook, `#!/bin/sh\ntouch '${marker}'\nexit 1\n`);
    chmodSync(hook, 0o755);
    git('config', 'core.fsmonitor', hook);
    write('src/app.js', 'export const a = 2;\n');
    const diff = buildReviewDiff({ target, isGitRepo: true, changes: { ...none, modified: ['src/app.js'] } });
    expect(diff.text).toContain('+export const a = 2;');
    expect(existsSync(marker)).toBe(false);
  });

  it('falls back to contents when git fails', () => {
    write('src/app.js', 'export const a = 5;\n');
    const diff = buildReviewDiff({
      target,
      isGitRepo: true,
      changes: { ...none, modified: ['src/app.js'] },
      git: () => ({ ok: false, stdout: '' }),
    });
    expect(diff.text).toContain('=== modified: src/app.js (current content)\nexport const a = 5;');
  });
});

describe('buildReviewDiff outside git', () => {
  it('shows the current contents of added and modified files and names deleted ones', () => {
    write('a.txt', 'alpha\n');
    write('b.txt', 'beta\n');
    const diff = buildReviewDiff({ target, isGitRepo: false, changes: { added: ['a.txt'], modified: ['b.txt'], deleted: ['gone.txt'] } });
    expect(diff.text).toBe(
      '=== modified: b.txt (current content)\nbeta\n=== added: a.txt (current content)\nalpha\n=== deleted: gone.txt (deleted)',
    );
  });

  it('cuts a file at the per-file limit and names the cut', () => {
    write('big.txt', 'line\n'.repeat(1000));
    const diff = buildReviewDiff({ target, isGitRepo: false, changes: { ...none, added: ['big.txt'] }, perFileBytes: 100 });
    expect(diff.stats.bytesShown).toBe(100);
    expect(diff.stats.bytesCut).toBe(4900);
    expect(diff.cut).toEqual(['big.txt: 100 of 5000 bytes shown (per-file limit 100 bytes)']);
    expect(diff.text).toContain('[… 4900 more bytes of big.txt not shown: per-file limit 100 bytes]');
    expect(diff.text).toContain('Not shown in full (1):\n  - big.txt: 100 of 5000 bytes shown');
  });

  it('stops at the total limit and names every file left out', () => {
    for (const name of ['a', 'b', 'c', 'd']) write(`${name}.txt`, `${name}\n`.repeat(200));
    const diff = buildReviewDiff({
      target,
      isGitRepo: false,
      changes: { ...none, added: ['a.txt', 'b.txt', 'c.txt', 'd.txt'] },
      maxBytes: 1000,
      perFileBytes: 400,
    });
    expect(diff.stats.bytesShown).toBe(1000);
    expect(diff.cut).toEqual([
      'c.txt: 200 of 400 bytes shown (review size limit 1000 bytes)',
      'd.txt: not shown (400 bytes; review size limit reached)',
    ]);
    expect(diff.text).toContain("=== added: d.txt (not shown: the review's 1000-byte limit is reached)");
    expect(diff.stats.bytesShown + diff.stats.bytesCut).toBe(1600);
  });

  it('never cuts inside a multi-byte character', () => {
    write('u.txt', 'é'.repeat(100));
    const diff = buildReviewDiff({ target, isGitRepo: false, changes: { ...none, added: ['u.txt'] }, perFileBytes: 51 });
    expect(diff.text).toContain(`\n${'é'.repeat(25)}\n[…`);
    expect(diff.text).not.toContain('\uFFFD');
  });

  it('names binaries instead of showing them', () => {
    write('img.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 1, 2]));
    const diff = buildReviewDiff({ target, isGitRepo: false, changes: { ...none, added: ['img.png'] } });
    expect(diff.text).toBe(
      '=== added: img.png (binary (8 bytes), not shown)\n\nNot shown in full (1):\n  - img.png: binary (8 bytes), not shown',
    );
  });

  it('does not follow symlinks, to files or through directories outside the target', () => {
    writeFileSync(path.join(root, 'secret.txt'), 'TOP SECRET\n');
    mkdirSync(path.join(root, 'outside'));
    writeFileSync(path.join(root, 'outside', 'x.txt'), 'ALSO SECRET\n');
    symlinkSync(path.join(root, 'secret.txt'), path.join(target, 'link.txt'));
    symlinkSync(path.join(root, 'outside'), path.join(target, 'dir'));
    const diff = buildReviewDiff({ target, isGitRepo: false, changes: { ...none, added: ['dir/x.txt', 'link.txt', '../secret.txt'] } });
    expect(diff.text).not.toContain('SECRET');
    expect(diff.text).toContain(`=== added: link.txt (symlink, not followed)\nsymlink → ${path.join(root, 'secret.txt')}`);
    expect(diff.cut).toEqual([
      'dir/x.txt: outside the project (through a symlink), not read',
      '../secret.txt: outside the project, not read',
    ]);
  });

  it('says when nothing changed', () => {
    expect(buildReviewDiff({ target, isGitRepo: false, changes: none }).text).toBe('(no file changed)');
  });
});
