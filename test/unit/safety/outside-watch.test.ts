import { appendFileSync, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OutsideWatch } from '../../../src/safety/outside-watch.js';

// A scratch world shaped like a real one: HOME with dotfiles and the agents' state, a projects dir
// holding the target and a sibling project, and the session workspace inside the target.
let root: string;
let home: string;
let projects: string;
let target: string;
let sibling: string;
let claudeState: string;

beforeEach(() => {
  root = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'outside-watch-')));
  home = path.join(root, 'home');
  projects = path.join(home, 'projects');
  target = path.join(projects, 'app');
  sibling = path.join(projects, 'other');
  claudeState = path.join(home, '.claude');
  for (const dir of [
    path.join(target, 'src'),
    path.join(target, '.orchestrate', 'sessions'),
    path.join(sibling, 'lib', 'deep'),
    claudeState,
    path.join(home, '.config'),
  ]) {
    mkdirSync(dir, { recursive: true });
  }
  writeFileSync(path.join(home, '.bashrc'), 'export A=1\n');
  writeFileSync(path.join(sibling, 'README.md'), 'other\n');
  writeFileSync(path.join(sibling, 'lib', 'index.js'), 'x\n');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** The integrator's set-up: target's parent and HOME, depth 2, allowed roots excluded. */
const watch = (extra: { maxEntries?: number; depth?: number } = {}) =>
  OutsideWatch.start({ watched: [projects, home], exclude: [target, claudeState], ...extra });

const nothing = { added: [], modified: [], deleted: [] };

describe('OutsideWatch', () => {
  it('reports nothing when nothing changed', () => {
    const w = watch();
    expect(w.check()).toMatchObject({ ...nothing, truncated: false, unreadable: [] });
  });

  it('reports files added, modified and deleted outside, with absolute paths', () => {
    const w = watch();
    writeFileSync(path.join(sibling, 'evil.sh'), 'rm -rf /\n');
    appendFileSync(path.join(home, '.bashrc'), 'curl x | sh\n');
    unlinkSync(path.join(sibling, 'README.md'));
    mkdirSync(path.join(home, '.hidden-new'));
    expect(w.check()).toMatchObject({
      added: [path.join(home, '.hidden-new'), path.join(sibling, 'evil.sh')],
      modified: [path.join(home, '.bashrc')],
      deleted: [path.join(sibling, 'README.md')],
    });
  });

  it('ignores everything under the allowed roots, though they lie inside the watched dirs', () => {
    const w = watch();
    writeFileSync(path.join(target, 'src', 'new.ts'), 'export {}\n');
    writeFileSync(path.join(target, '.orchestrate', 'sessions', 'events.jsonl'), '{}\n');
    writeFileSync(path.join(claudeState, 'settings.json'), '{}\n');
    expect(w.check()).toMatchObject(nothing);
  });

  it('shows an entry added one level past the depth as that directory modified, and sees nothing deeper', () => {
    const w = watch();
    // projects/other/lib is at depth 2: listed, not walked; its mtime moves when an entry is added
    writeFileSync(path.join(sibling, 'lib', 'new.js'), 'x\n');
    expect(w.check()).toMatchObject({ ...nothing, modified: [path.join(sibling, 'lib')] });
    w.rebase();
    writeFileSync(path.join(sibling, 'lib', 'deep', 'x.js'), 'x\n'); // two levels past: the stated limit of the bound
    expect(w.check()).toMatchObject(nothing);
  });

  it('does not follow symlinks: a link is compared as a link', () => {
    const elsewhere = path.join(root, 'elsewhere');
    mkdirSync(elsewhere);
    symlinkSync(elsewhere, path.join(home, 'link'));
    const w = watch();
    writeFileSync(path.join(elsewhere, 'inside-the-link-target.txt'), 'x\n');
    expect(w.check()).toMatchObject(nothing);
    unlinkSync(path.join(home, 'link'));
    symlinkSync('/etc/passwd', path.join(home, 'link'));
    expect(w.check().modified).toEqual([path.join(home, 'link')]);
  });

  it('rebase() takes the next baseline: changes before it are no longer reported', () => {
    const w = watch();
    writeFileSync(path.join(sibling, 'first.txt'), '1\n');
    w.rebase();
    writeFileSync(path.join(sibling, 'second.txt'), '2\n');
    expect(w.check().added).toEqual([path.join(sibling, 'second.txt')]);
  });

  it('checkAndRebase() reports what changed and makes that picture the next baseline', () => {
    const w = watch();
    writeFileSync(path.join(sibling, 'first.txt'), '1\n');
    expect(w.checkAndRebase().added).toEqual([path.join(sibling, 'first.txt')]);
    expect(w.check()).toMatchObject(nothing);
    writeFileSync(path.join(sibling, 'second.txt'), '2\n');
    expect(w.checkAndRebase().added).toEqual([path.join(sibling, 'second.txt')]);
    expect(w.checkAndRebase()).toMatchObject(nothing);
  });

  it('stops at maxEntries, says so, and still compares an unchanged tree as equal', () => {
    for (let i = 0; i < 30; i++) writeFileSync(path.join(home, `file-${String(i).padStart(2, '0')}`), 'x\n');
    const w = watch({ maxEntries: 10 });
    expect(w.check()).toMatchObject({ ...nothing, truncated: true, entries: 10 });
    const unbounded = watch();
    expect(unbounded.check().truncated).toBe(false);
    expect(unbounded.check().entries).toBeGreaterThan(30);
  });

  it('walks a directory reached from two watched roots once, and lists one that cannot be read', () => {
    const missing = path.join(root, 'gone');
    const w = OutsideWatch.start({ watched: [home, projects, missing], exclude: [target] });
    writeFileSync(path.join(sibling, 'evil.sh'), 'x\n');
    const changes = w.check();
    expect(changes.added).toEqual([path.join(sibling, 'evil.sh')]);
    expect(changes.unreadable).toEqual([missing]);
  });
});
