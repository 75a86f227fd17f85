import { execFile, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ControlRequest } from '../../src/control/control-message.js';
import { controlPaths } from '../../src/control/control-paths.js';
import { ControlWatcher, type ControlHandler } from '../../src/control/control-watcher.js';
import { processStartTime } from '../../src/process/process-tree.js';
import { ORCHESTRATE_BIN } from '../helpers/orchestrate-harness.js';
import { WAIT_CEILING_MS } from '../helpers/until.js';

// The real built CLI against a fake supervisor: a session.json that says running with this test
// process as its supervisor, and a ControlWatcher in this process answering the requests.
let root: string;
let workspace: string;
let dir: string;
let watcher: ControlWatcher | undefined;
const ID = '20260101-000000-abcd';

beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'orch-ctl-'));
  workspace = path.join(root, 'ws');
  dir = path.join(workspace, 'sessions', ID);
  mkdirSync(dir, { recursive: true });
  writeState({});
});
afterEach(async () => {
  await watcher?.close();
  watcher = undefined;
  rmSync(root, { recursive: true, force: true });
});

function writeState(over: Record<string, unknown>): void {
  const state = {
    version: 1,
    id: ID,
    task: 't',
    target: root,
    workspace,
    state: 'running',
    startedAt: new Date().toISOString(),
    supervisorPid: process.pid,
    supervisorStartTime: processStartTime(process.pid),
    agents: ['gemini', 'claude'],
    processes: [],
    assignments: {},
    options: {},
    ...over,
  };
  writeFileSync(path.join(dir, 'session.json'), JSON.stringify(state));
}

async function supervise(handler: ControlHandler): Promise<ControlRequest[]> {
  const seen: ControlRequest[] = [];
  watcher = await ControlWatcher.start({
    controlDir: path.join(dir, 'control'),
    handler: async (req) => {
      seen.push(req);
      return handler(req);
    },
  });
  return seen;
}

/** Runs `orchestrate ctl …` asynchronously: the watcher answering it lives in this process. */
function ctl(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [ORCHESTRATE_BIN, 'ctl', ...args, '--workspace', workspace],
      { cwd: root, timeout: WAIT_CEILING_MS },
      (error, stdout, stderr) => {
        resolve({ code: error ? Number((error as { code?: unknown }).code ?? -1) : 0, stdout, stderr });
      },
    );
  });
}

function pendingRequests(): string[] {
  try {
    return readdirSync(controlPaths(path.join(dir, 'control')).requests);
  } catch {
    return [];
  }
}

describe('orchestrate ctl', () => {
  it('sends the request, prints the answer and exits 0 when it was done', async () => {
    const seen = await supervise(async () => ({ result: 'done', message: 'paused 2 agents' }));
    const r = await ctl('last', 'pause');
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toBe(`session ${ID}: pause done: paused 2 agents\n`);
    expect(seen).toMatchObject([{ action: 'pause' }]);
    expect(seen[0]?.agent).toBeUndefined();
  });

  it('passes --agent, prints one JSON object with --json, and exits 2 when the supervisor ignored it', async () => {
    const seen = await supervise(async () => ({ result: 'ignored', message: 'claude is not paused' }));
    const r = await ctl(ID.slice(0, 12), 'resume', '--agent', 'claude', '--json');
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout)).toMatchObject({
      id: seen[0]?.id,
      action: 'resume',
      agent: 'claude',
      result: 'ignored',
      message: 'claude is not paused',
    });
  });

  it('exits 1 with the reason when the supervisor failed', async () => {
    await supervise(async () => {
      throw new Error('kill(-4242): EPERM');
    });
    const r = await ctl('last', 'stop');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('stop failed: kill(-4242): EPERM');
  });

  it('exits 1 and withdraws the request when nobody answers in time', async () => {
    const r = await ctl('last', 'review', '--wait', '300ms');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('did not answer within 300 ms; the request was withdrawn');
    expect(pendingRequests()).toEqual([]);
  });

  it.each([
    ['an unknown action', ['last', 'explode'], 'unknown action "explode"'],
    ['an unknown agent', ['last', 'pause', '--agent', 'bard'], 'unknown agent "bard"'],
    ['an agent the session does not have', ['last', 'pause', '--agent', 'codex'], 'has no agent "codex"'],
    ['an unknown session', ['nope', 'pause'], 'no session "nope"'],
  ])('refuses %s with exit 2 and writes no request', async (_what, args, message) => {
    const r = await ctl(...args);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(pendingRequests()).toEqual([]);
  });

  it('refuses a session that ended, or whose supervisor is gone, with exit 2', async () => {
    writeState({ state: 'completed' });
    const ended = await ctl('last', 'pause');
    expect(ended.code).toBe(2);
    expect(ended.stderr).toContain('is not running (it is completed)');

    const dead = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' });
    writeState({ supervisorPid: Number(dead.stdout.trim()), supervisorStartTime: undefined });
    const crashed = await ctl('last', 'pause');
    expect(crashed.code).toBe(2);
    expect(crashed.stderr).toContain('is gone, it crashed');
    expect(pendingRequests()).toEqual([]);
  });
});
