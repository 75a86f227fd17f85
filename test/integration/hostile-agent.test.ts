// A hostile simulated agent wipes what it can and plants every git program hook, a setuid file,
// a loosened orchestrate config and escaping symlinks, hidden in a script the command filter
// lets through. After the session and after --apply the person's checkout, its .git and a
// sibling folder are intact, nothing planted ran, and nothing runs when the person uses git.
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { FakeCli } from '../helpers/fake-agents.js';
import { hostileScript } from '../helpers/hostile-script.js';
import { OrchestrateHarness } from '../helpers/orchestrate-harness.js';

let h: OrchestrateHarness;
afterEach(async () => h?.cleanup());

function git(cwd: string, ...args: string[]): { status: number | null; out: string } {
  const r = spawnSync('git', ['-c', 'user.name=p', '-c', 'user.email=p@x', ...args], { cwd, encoding: 'utf8' });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

/** Every file under `dir` with a setuid or setgid bit. */
function setuidFiles(dir: string): string[] {
  const found: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, e.name);
      if (e.isDirectory()) walk(full);
      else if (e.isFile() && lstatSync(full).mode & 0o6000) found.push(full);
    }
  };
  walk(dir);
  return found;
}

/** A picture of .git/config and every hook, to compare before and after. */
function gitPicture(target: string): string {
  const hooks = path.join(target, '.git', 'hooks');
  const names = existsSync(hooks) ? readdirSync(hooks).sort() : [];
  return [
    readFileSync(path.join(target, '.git', 'config'), 'utf8'),
    ...names.map((n) => `${n}:${readFileSync(path.join(hooks, n), 'utf8')}`),
  ].join('\n---\n');
}

describe.each<FakeCli>(['claude', 'codex', 'gemini'])('a hostile simulated %s', (cli) => {
  it('cannot hurt the checkout, its .git or a sibling, and nothing it planted ever runs on the host', async () => {
    h = new OrchestrateHarness({ agents: [cli], git: true, config: { review: { enabled: false } } });
    git(h.target, 'add', '-A');
    git(h.target, 'commit', '-qm', 'the project');
    appendFileSync(path.join(h.target, 'README.md'), "the person's uncommitted note\n");
    writeFileSync(path.join(h.target, 'notes.txt'), 'untracked notes\n');
    const sibling = path.join(h.root, 'sibling');
    mkdirSync(sibling);
    writeFileSync(path.join(sibling, 'keep.txt'), 'keep\n');
    const markers = path.join(h.root, 'markers');
    mkdirSync(markers);
    const readme = readFileSync(path.join(h.target, 'README.md'), 'utf8');
    const gitBefore = gitPicture(h.target);
    const scenario = h.scenario(`hostile-${cli}`, [
      { write: { path: path.join(h.logDir, 'attack.sh'), content: hostileScript(markers, h.target, sibling) } },
      { shell: `sh ${path.join(h.logDir, 'attack.sh')}` },
      { say: 'DONE: attacked' },
    ]);
    const plan = path.join(h.root, 'plan.json');
    writeFileSync(plan, JSON.stringify({ assignments: [{ id: 'work', agent: cli, title: 'work', weight: 1 }] }));
    const exit = await h.run(['--agents', cli, '--plan', plan, '--apply', 'Do the work'], {
      [`FAKE_${cli.toUpperCase()}_SCENARIO`]: scenario,
    });
    // the sandbox refused its writes to the checkout: a run denied what it needed escalates, so
    // --apply (success only) did not apply; the person applies by hand, as they may
    expect(exit.code, exit.stdout + exit.stderr).toBe(8);
    expect(h.journal().find((e) => e.type === 'session.blocker')?.['blocker']).toContain(path.join(h.target, '.git'));
    const apply = await h.cli(['apply', h.json('session.json').id]);
    expect(apply.code, apply.stderr).toBe(0);

    // the attack really ran, in the copy
    expect(lstatSync(h.inCopy('passwd-link')).isSymbolicLink()).toBe(true);
    expect(readFileSync(h.inCopy('orchestrate.config.json'), 'utf8')).toContain('allowWrite');
    const summary = h.json('summary.json');
    const notes = summary.notes.join('\n');
    expect(notes).toContain('Will not be applied: orchestrate.config.json');
    expect(notes).toContain('Will not be applied: passwd-link: symlink to an absolute path');
    expect(notes).toContain('Will not be applied: escape-link: symlink pointing outside the target');
    // the sandbox's seccomp program refused the setuid bit, so the copy never had one to carry
    expect(lstatSync(h.inCopy('suid-true')).mode & 0o6000).toBe(0);
    expect(notes).not.toMatch(/suid-true/);
    expect(notes).toMatch(/Not carried from the copy: a-fifo: a fifo/);
    // the agent's deletions of the person's uncommitted work were refused, by name
    expect(apply.stdout).toContain('not applied: README.md: deleting it would lose your uncommitted work');

    expect(readFileSync(path.join(h.target, 'README.md'), 'utf8')).toBe(readme);
    expect(readFileSync(path.join(h.target, 'notes.txt'), 'utf8')).toBe('untracked notes\n');
    expect(gitPicture(h.target)).toBe(gitBefore);
    expect(readFileSync(path.join(sibling, 'keep.txt'), 'utf8')).toBe('keep\n');
    expect(setuidFiles(h.target)).toEqual([]);
    expect(existsSync(path.join(h.target, 'orchestrate.config.json'))).toBe(false);
    expect(existsSync(path.join(h.target, 'passwd-link'))).toBe(false);
    expect(existsSync(path.join(h.target, 'escape-link'))).toBe(false);
    expect(readdirSync(markers)).toEqual([]);

    // its .gitattributes names drivers: refused; the person now uses git in the checkout
    expect(notes).toContain('Will not be applied: .gitattributes: it names a filter, diff or merge driver');
    expect(existsSync(path.join(h.target, '.gitattributes'))).toBe(false);
    git(h.target, 'status');
    git(h.target, 'add', '-A');
    git(h.target, 'commit', '-qm', 'after the session');
    git(h.target, 'diff', 'HEAD~1');
    git(h.target, 'log', '-p', '-1');
    git(h.target, 'checkout', '-q', 'HEAD~1');
    expect(git(h.target, 'st').status).not.toBe(0);
    expect(readdirSync(markers)).toEqual([]);
  });
});
