import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bwrapSandboxPlan } from '../../../src/supervisor/create-sandbox-plan.js';
import { sandboxLayout } from '../../helpers/sandbox-layout.js';

const { root, home, target, workspace, stateRoot } = sandboxLayout('sandbox-plan-');
writeFileSync(path.join(home, '.claude', 'settings.json'), '{"person":true}\n');
writeFileSync(path.join(home, '.netrc'), 'machine x login y password z\n');

const plan = bwrapSandboxPlan({
  bwrap: 'bwrap',
  reason: 'test',
  target,
  workspace,
  allowWrite: ['/data/cache-that-does-not-exist'],
  home,
  stateRoot,
  runAsRoot: true,
});
const wrap = (agent: 'claude' | 'codex' | 'gemini', file = '/usr/bin/claude', env: Record<string, string> = { HOME: home }) =>
  plan.wrap({ file, args: ['-p', 'hi'], env: { A: '1' } }, { agent, env, sessionDir: path.join(workspace, 'sessions', 's1') });

/** Index of the sequence in argv. */
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

  it('mounts / read-only, then the private home, then the writable target, then the workspace read-only', () => {
    const { args } = wrap('claude');
    const ro = at(args, '--ro-bind', '/', '/');
    const homeTmpfs = at(args, '--tmpfs', home);
    const rw = at(args, '--bind', target, target);
    const wsRo = at(args, '--ro-bind', workspace, workspace);
    expect(ro).toBeGreaterThanOrEqual(0);
    expect(homeTmpfs).toBeGreaterThan(ro);
    expect(rw).toBeGreaterThan(ro);
    expect(wsRo).toBeGreaterThan(rw);
  });

  it("binds a private copy of the agent's own state, never the person's, and nothing else of the home", () => {
    const claude = wrap('claude').args;
    const copy = path.join(stateRoot, 's1', 'claude', '0-.claude');
    expect(at(claude, '--bind', copy, path.join(home, '.claude'))).toBeGreaterThan(at(claude, '--tmpfs', home));
    expect(readFileSync(path.join(copy, 'settings.json'), 'utf8')).toBe('{"person":true}\n');
    expect(claude).not.toContain(path.join(home, '.codex'));
    // claude.json did not exist: the copy starts as {}, the person's home gets nothing
    expect(readFileSync(path.join(stateRoot, 's1', 'claude', '1-.claude.json'), 'utf8')).toBe('{}\n');
    expect(existsSync(path.join(home, '.claude.json'))).toBe(false);
  });

  it("hides the other agents' private copies, even where they would be visible", () => {
    // state kept inside the (writable) target: only the secret rule stands between codex and claude's copy
    const inside = path.join(target, '.state');
    const p2 = bwrapSandboxPlan({
      bwrap: 'bwrap',
      reason: 'test',
      target,
      workspace,
      allowWrite: [],
      home,
      stateRoot: inside,
      runAsRoot: true,
    });
    const ctx = (agent: 'claude' | 'codex') => ({ agent, env: { HOME: home }, sessionDir: path.join(workspace, 'sessions', 's1') });
    p2.wrap({ file: '/usr/bin/claude', args: [], env: {} }, ctx('claude'));
    const codex = p2.wrap({ file: '/usr/bin/codex', args: [], env: {} }, ctx('codex')).args;
    const claudeCopy = path.join(inside, 's1', 'claude');
    expect(at(codex, '--tmpfs', claudeCopy, '--remount-ro', claudeCopy)).toBeGreaterThan(at(codex, '--bind', target, target));
  });

  it('skips allowWrite roots that do not exist; private sized temp dirs; TMPDIR where the person had it', () => {
    const wrapped = wrap('gemini', '/usr/bin/gemini', { HOME: home, TMPDIR: '/scratch/t' });
    expect(wrapped.args).not.toContain('/data/cache-that-does-not-exist');
    expect(at(wrapped.args, '--tmpfs', '/scratch/t')).toBeGreaterThanOrEqual(0);
    expect(at(wrapped.args, '--tmpfs', '/tmp')).toBeGreaterThanOrEqual(0);
    expect(wrapped.env).toEqual({ A: '1', TMPDIR: '/scratch/t' });
  });

  it("moves TMPDIR aside when the agent's state lies under it (codex would not make codex-linux-sandbox)", () => {
    const wrapped = wrap('codex', '/usr/bin/codex', { HOME: home, CODEX_HOME: path.join(root, 'codex-home') });
    const tmp = root.startsWith('/tmp/') ? '/tmp/orchestrate-codex-tmp' : undefined;
    if (tmp) {
      expect(wrapped.env['TMPDIR']).toBe(tmp);
      expect(at(wrapped.args, '--tmpfs', tmp)).toBeGreaterThan(at(wrapped.args, '--tmpfs', '/tmp'));
    }
  });

  it('keeps an executable that lives under /tmp visible, read-only, and the target writable', () => {
    const exe = path.join(root, 'bin', 'gemini');
    mkdirSync(path.dirname(exe), { recursive: true });
    writeFileSync(exe, '#!/bin/sh\n');
    const { args } = wrap('gemini', exe);
    expect(at(args, '--ro-bind', path.dirname(exe), path.dirname(exe))).toBeGreaterThan(at(args, '--tmpfs', '/tmp'));
    expect(at(args, '--bind', target, target)).toBeGreaterThan(at(args, '--tmpfs', '/tmp'));
  });
});
