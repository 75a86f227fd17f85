import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ControlDecision, ControlRequest, ControlResponse } from '../../../src/control/control-message.js';
import { controlPaths, responseFile } from '../../../src/control/control-paths.js';
import { ControlWatcher } from '../../../src/control/control-watcher.js';
import { awaitControlResponse, submitControlRequest } from '../../../src/control/submit-request.js';
import { until, WAIT_CEILING_MS } from '../../helpers/until.js';

// The supervisor's side: each request answered exactly once, in order, also those present at start.
let controlDir: string;
const watchers: ControlWatcher[] = [];
beforeEach(() => {
  controlDir = path.join(mkdtempSync(path.join(os.tmpdir(), 'orch-control-')), 'control');
});
afterEach(async () => {
  await Promise.all(watchers.splice(0).map((w) => w.close()));
  rmSync(path.dirname(controlDir), { recursive: true, force: true });
});

async function start(
  decide: (r: ControlRequest) => Promise<ControlDecision> = async () => ({ result: 'done', message: 'ok' }),
  rescanMs = 0,
) {
  const handled: ControlRequest[] = [];
  const responses: ControlResponse[] = [];
  const watcher = await ControlWatcher.start({
    controlDir,
    rescanMs, // 0: only the watch itself, so these tests prove it delivers
    handler: async (r) => {
      handled.push(r);
      return decide(r);
    },
    onResponse: (response) => responses.push(response),
  });
  watchers.push(watcher);
  return { watcher, handled, responses };
}

describe('ControlWatcher', () => {
  it('answers the requests already there at start, oldest first', async () => {
    const first = submitControlRequest(controlDir, { action: 'pause' }, Date.now() - 2);
    const second = submitControlRequest(controlDir, { action: 'resume', agent: 'claude' }, Date.now() - 1);
    const { watcher, handled, responses } = await start();
    await until(() => responses.length === 2, { what: 'both answered' });
    await watcher.idle();
    expect(handled.map((r) => r.id)).toEqual([first.id, second.id]);
    expect(handled[1]).toEqual(second);
    const written = JSON.parse(readFileSync(responseFile(controlPaths(controlDir), second.id), 'utf8'));
    expect(written).toMatchObject({ id: second.id, action: 'resume', agent: 'claude', result: 'done', message: 'ok' });
  });

  it('answers a new request through the watch alone (no rescan runs: rescanMs 0)', async () => {
    const { handled } = await start(async (r) => ({ result: 'done', message: `did ${r.action}` }));
    const request = submitControlRequest(controlDir, { action: 'stop' });
    const response = await awaitControlResponse(controlDir, request.id, { timeoutMs: WAIT_CEILING_MS, intervalMs: 5 });
    expect(response).toMatchObject({ id: request.id, action: 'stop', result: 'done', message: 'did stop' });
    expect(handled).toHaveLength(1);
  });

  it('handles each request exactly once, even across a restart on the same directory', async () => {
    const a = await start();
    for (let i = 0; i < 5; i++) submitControlRequest(controlDir, { action: 'review' });
    await until(() => a.responses.length === 5, { what: 'five answers' });
    await a.watcher.close();
    const b = await start();
    submitControlRequest(controlDir, { action: 'pause' });
    await until(() => b.responses.length === 1, { what: 'the new one answered' });
    await b.watcher.idle();
    expect(a.handled).toHaveLength(5);
    expect(new Set(a.handled.map((r) => r.id)).size).toBe(5);
    expect(b.handled.map((r) => r.action)).toEqual(['pause']);
    expect(readdirSync(controlPaths(controlDir).requests)).toEqual([]);
    expect(readdirSync(controlPaths(controlDir).responses)).toHaveLength(6);
  });

  it('takes requests one at a time, and close() waits for the one in hand and takes no more', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const { watcher, handled } = await start(async () => {
      await gate;
      return { result: 'done', message: 'ok' };
    });
    const first = submitControlRequest(controlDir, { action: 'pause' });
    const second = submitControlRequest(controlDir, { action: 'resume' });
    await until(() => handled.length === 1, { what: 'the first request in hand' });
    const closed = watcher.close();
    release();
    await closed;
    expect(handled.map((r) => r.id)).toEqual([first.id]);
    expect(existsSync(responseFile(controlPaths(controlDir), first.id))).toBe(true);
    // the second stays for a later supervisor
    expect(readdirSync(controlPaths(controlDir).requests)).toEqual([`${second.id}.json`]);
  });

  it('a handler that throws or decides nonsense gives a failed answer, and the next request is still served', async () => {
    const { responses } = await start(async (r) => {
      if (r.action === 'pause') throw new Error('no agent is running');
      if (r.action === 'resume') return { result: 'maybe', message: 1 } as unknown as ControlDecision;
      return { result: 'done', message: 'ok' };
    });
    submitControlRequest(controlDir, { action: 'pause' });
    submitControlRequest(controlDir, { action: 'resume' });
    submitControlRequest(controlDir, { action: 'stop' });
    await until(() => responses.length === 3, { what: 'three answers' });
    // requests made in the same millisecond have no order between them: each answer is read by its action
    const answer = (action: string) => responses.find((r) => r.action === action);
    expect(responses.map((r) => [r.action, r.result]).sort()).toEqual([
      ['pause', 'failed'],
      ['resume', 'failed'],
      ['stop', 'done'],
    ]);
    expect(answer('pause')?.message).toBe('no agent is running');
    expect(answer('resume')?.message).toContain('no valid decision');
  });

  it('answers a stale request ignored without handing it over', async () => {
    const { handled, responses } = await start();
    submitControlRequest(controlDir, { action: 'stop' }, Date.now() - 120_000);
    await until(() => responses.length === 1, { what: 'the stale request answered' });
    expect(responses[0]).toMatchObject({ result: 'ignored', message: expect.stringContaining('stale request') });
    expect(handled).toEqual([]);
  });

  it('rescans the directory when a watch event is lost', async () => {
    const watcher = await ControlWatcher.start({ controlDir, rescanMs: 50, handler: async () => ({ result: 'done', message: 'ok' }) });
    watchers.push(watcher);
    // stand-in for a lost event: the chokidar watch is closed, only the rescan is left
    await (watcher as unknown as { watcher: { close(): Promise<void> } }).watcher.close();
    const request = submitControlRequest(controlDir, { action: 'pause' });
    expect(await awaitControlResponse(controlDir, request.id, { timeoutMs: 2000 })).toMatchObject({ result: 'done' });
  });
});
