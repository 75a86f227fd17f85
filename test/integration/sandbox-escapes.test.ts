import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bwrapSandboxPlan } from '../../src/supervisor/create-sandbox-plan.js';
import { SANDBOX_USABLE } from '../helpers/orchestrate-harness.js';

// Real escape attempts inside the sandbox orchestrate builds for an agent. Each one must fail and
// leave the host unchanged. Runs as this test's user; as root the agent is uid 1000 inside.
const root = mkdtempSync(path.join(os.tmpdir(), 'escape-'));
const home = path.join(root, 'home');
const target = path.join(root, 'project');
const workspace = path.join(target, '.orchestrate');
const session = path.join(workspace, 'sessions', 's1');
const outside = path.join(root, 'outside');
for (const d of [home, session, outside, path.join(home, '.ssh')]) mkdirSync(d, { recursive: true });
writeFileSync(path.join(session, 'events.jsonl'), '{"seq":1}\n');
writeFileSync(path.join(home, '.ssh', 'id_ed25519'), 'SECRET KEY\n');
symlinkSync(outside, path.join(target, 'link-out'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function runInSandbox(script: string, runAsRoot: boolean): { status: number | null; out: string } {
  const plan = bwrapSandboxPlan({ bwrap: 'bwrap', reason: 'test', target, workspace, allowWrite: [], home, runAsRoot });
  const cmd = plan.wrap({ file: '/bin/bash', args: ['-c', script], env: {} }, { agent: 'claude', env: { HOME: home }, sessionDir: session });
  const r = spawnSync(cmd.file, cmd.args, { env: { PATH: '/usr/bin:/bin', HOME: home, ...cmd.env }, encoding: 'utf8' });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;

describe.skipIf(!SANDBOX_USABLE)('the agent sandbox holds against escape attempts', () => {
  it.each(asRoot ? [true, false] : [false])('writes outside, through a symlink, via .., to /etc, to the journal, remount; runAsRoot=%s', (runAsRoot) => {
    const attempts = [
      `echo x > ${outside}/direct.txt`,
      `echo x > ${target}/link-out/via-symlink.txt`,
      `echo x > ${target}/../outside/dotdot.txt`,
      `echo x > /etc/orchestrate-escape`,
      `echo '{"seq":2,"forged":true}' >> ${session}/events.jsonl`,
      `rm -f ${session}/events.jsonl`,
      `mount -o remount,rw / && echo x > /etc/orchestrate-escape-remount`,
      `cat ${home}/.ssh/id_ed25519`,
    ];
    const script = [...attempts.map((a) => `(${a}) 2>/dev/null && echo "ESCAPED: ${a.replace(/"/g, '\\"')}"`), `echo ok > ${target}/inside.txt`, 'echo done'].join('\n');
    const r = runInSandbox(script, runAsRoot);
    expect(r.out).toContain('done');
    expect(r.out).not.toContain('ESCAPED');
    expect(r.out).not.toContain('SECRET KEY');
    for (const f of ['direct.txt', 'via-symlink.txt', 'dotdot.txt']) expect(existsSync(path.join(outside, f))).toBe(false);
    expect(existsSync('/etc/orchestrate-escape')).toBe(false);
    expect(existsSync('/etc/orchestrate-escape-remount')).toBe(false);
    expect(readFileSync(path.join(session, 'events.jsonl'), 'utf8')).toBe('{"seq":1}\n');
    // the allowed root stays writable
    expect(readFileSync(path.join(target, 'inside.txt'), 'utf8')).toBe('ok\n');
  });
});
