import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bwrapSandboxPlan } from '../../../src/supervisor/create-sandbox-plan.js';

const root = mkdtempSync(path.join(os.tmpdir(), 'sandbox-plan-'));
const home = path.join(root, 'home');
const target = path.join(root, 'project');
const workspace = path.join(target, '.orchestrate');
for (const d of [path.join(home, '.ssh'), path.join(home, '.codex'), workspace]) mkdirSync(d, { recursive: true });
writeFileSync(path.join(home, '.netrc'), 'machine x login y password z\n');

const plan = bwrapSandboxPlan({ bwrap: 'bwrap', reason: 'test', target, workspace, allowWrite: ['/data/cache-that-does-not-exist'], home, runAsRoot: true });
const wrap = (agent: 'claude' | 'codex' | 'gemini', file = '/usr/bin/claude') =>
  plan.wrap({ file, args: ['-p', 'hi'], env: { A: '1' } }, { agent, env: { HOME: home }, sessionDir: path.join(workspace, 'sessions', 'x') });

/** Index of the pair `flag value [value2]` in argv. */
function at(args: string[], ...seq: string[]): number {
  for (let i = 0; i < args.length; i++) if (seq.every((s, j) => args[i + j] === s)) return i;
  return -1;
}

describe('bwrap sandbox plan', () => {
  it('always drops privileges and ties the sandbox to orchestrate', () => {
    const { file, args } = wrap('claude');
    expect(file).toBe('bwrap');
    for (const flag of ['--unshare-user', '--die-with-parent', '--new-session', '--unshare-pid']) expect(args).toContain(flag);
    expect(at(args, '--cap-drop', 'ALL')).toBeGreaterThanOrEqual(0);
    // as root: a non-zero uid inside, so nested sandboxes (codex's bwrap) can map their user
    expect(at(args, '--unshare-user', '--uid', '1000', '--gid', '1000')).toBe(0);
    expect(args.slice(args.indexOf('--') + 1)).toEqual(['/usr/bin/claude', '-p', 'hi']);
  });

  it('mounts / read-only, a private /tmp, then the writable target, then the workspace read-only on top', () => {
    const { args } = wrap('claude');
    const ro = at(args, '--ro-bind', '/', '/');
    const tmp = at(args, '--tmpfs', '/tmp');
    const rw = at(args, '--bind', target, target);
    const wsRo = at(args, '--ro-bind', workspace, workspace);
    expect(ro).toBeGreaterThanOrEqual(0);
    expect(ro).toBeLessThan(tmp);
    expect(tmp).toBeLessThan(rw);
    expect(rw).toBeLessThan(wsRo);
  });

  it("binds the agent's own state writable and hides secrets and the other agents' state", () => {
    const claude = wrap('claude').args;
    expect(at(claude, '--bind', path.join(home, '.claude'), path.join(home, '.claude'))).toBeGreaterThanOrEqual(0);
    expect(at(claude, '--tmpfs', path.join(home, '.ssh'))).toBeGreaterThanOrEqual(0);
    expect(at(claude, '--tmpfs', path.join(home, '.codex'))).toBeGreaterThanOrEqual(0);
    expect(at(claude, '--ro-bind', '/dev/null', path.join(home, '.netrc'))).toBeGreaterThanOrEqual(0);
    const codex = wrap('codex').args;
    expect(at(codex, '--bind', path.join(home, '.codex'), path.join(home, '.codex'))).toBeGreaterThanOrEqual(0);
    expect(at(codex, '--tmpfs', path.join(home, '.codex'))).toBe(-1);
  });

  it('skips allowWrite roots that do not exist and points TMPDIR at the private /tmp', () => {
    const wrapped = wrap('gemini');
    expect(wrapped.args).not.toContain('/data/cache-that-does-not-exist');
    expect(wrapped.env).toEqual({ A: '1', TMPDIR: '/tmp' });
  });

  it('keeps an executable that lives under /tmp visible, read-only', () => {
    const exe = path.join(root, 'bin', 'gemini');
    const { args } = wrap('gemini', exe);
    const top = root.split('/').slice(0, 3).join('/');
    expect(at(args, '--ro-bind', top, top)).toBeGreaterThan(at(args, '--tmpfs', '/tmp'));
    expect(at(args, '--ro-bind', top, top)).toBeLessThan(at(args, '--bind', target, target));
  });
});
