// `orchestrate check-command` exits with the verdict, so scripts can branch on it:
// 0 allow, 10 confirm, 11 block; with --jsonl, the strictest line decides.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ORCHESTRATE_BIN } from '../helpers/orchestrate-harness.js';

const home = mkdtempSync(path.join(os.tmpdir(), 'orch-check-exit-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

function check(args: string[], input?: string): { status: number | null; stdout: string } {
  const r = spawnSync(process.execPath, [ORCHESTRATE_BIN, 'check-command', '--cwd', home, ...args], {
    input,
    encoding: 'utf8',
    env: { ...process.env, HOME: home, TMPDIR: '/tmp' },
  });
  return { status: r.status, stdout: r.stdout };
}

describe('check-command exit status', () => {
  it.each([
    ['npm test', 0, 'allow'],
    ['git push origin main', 10, 'confirm'],
    ['rm -rf ~', 11, 'block'],
  ])('%s exits %i (%s)', (cmd, status, decision) => {
    const r = check(['--', cmd]);
    expect(r.stdout.split('\t')[0]).toBe(decision);
    expect(r.status).toBe(status);
  });

  it('--json carries the same status', () => {
    const r = check(['--json', '--', 'git reset --hard']);
    expect(JSON.parse(r.stdout)).toMatchObject({ decision: 'block' });
    expect(r.status).toBe(11);
  });

  it('--jsonl exits with the strictest line, and an unreadable line counts as confirm', () => {
    const lines = (cmds: string[]): string => cmds.map((c) => `${JSON.stringify({ cmd: c })}\n`).join('');
    expect(check(['--jsonl'], lines(['ls', 'npm test'])).status).toBe(0);
    expect(check(['--jsonl'], lines(['ls', 'npm publish', 'ls'])).status).toBe(10);
    expect(check(['--jsonl'], lines(['npm publish', 'rm -rf /', 'ls'])).status).toBe(11);
    expect(check(['--jsonl'], 'not json\n').status).toBe(10);
  });
});
