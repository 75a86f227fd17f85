import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listSessions } from '../../../src/session/list-sessions.js';
import { readSessionRecord } from '../../../src/session/session-record.js';

let workspace: string;
beforeEach(() => {
  workspace = mkdtempSync(path.join(os.tmpdir(), 'list-sessions-'));
});
afterEach(() => rmSync(workspace, { recursive: true, force: true }));

/** A pid above the kernel's pid_max: never a live process, and no process needs to be started. */
function deadPid(): number {
  try {
    return Number(readFileSync('/proc/sys/kernel/pid_max', 'utf8')) + 1;
  } catch {
    return 2 ** 22 + 1;
  }
}

function state(id: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    version: 1,
    id,
    task: `task of ${id}`,
    target: '/project',
    workspace,
    state: 'completed',
    startedAt: '2026-11-21T10:00:00.000Z',
    endedAt: '2026-11-21T10:01:00.000Z',
    supervisorPid: deadPid(),
    tier: 'all-three',
    agents: ['gemini', 'claude', 'codex'],
    processes: [],
    assignments: {},
    options: {},
    outcome: 'success',
    exitCode: 0,
    ...overrides,
  };
}

function session(id: string, files: Record<string, string>): string {
  const dir = path.join(workspace, 'sessions', id);
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return dir;
}

describe('listSessions', () => {
  it('lists newest first; a running session whose supervisor is dead is crashed?, a damaged one unreadable', () => {
    session('20261121-100000-aaaa', {
      'session.json': JSON.stringify(state('20261121-100000-aaaa')),
      'summary.json': JSON.stringify({ outcome: 'success', exitCode: 0 }),
    });
    const crashedJson = JSON.stringify(
      state('20261121-110000-bbbb', { state: 'running', endedAt: undefined, outcome: undefined, exitCode: undefined }),
    );
    const crashed = session('20261121-110000-bbbb', { 'session.json': crashedJson });
    session('20261121-120000-cccc', {
      'session.json': JSON.stringify(
        state('20261121-120000-cccc', { state: 'running', supervisorPid: process.pid, outcome: undefined, exitCode: undefined }),
      ),
    });
    session('20261121-130000-dddd', { 'events.jsonl': '' }); // a start cut before session.json was written
    session('20261121-140000-eeee', { 'session.json': '{"version": 1, "id": "20261121-14' }); // damaged
    session('20261121-150000-ffff', { 'session.json': JSON.stringify(state('20261121-150000-ffff')), 'summary.json': 'not json' });
    writeFileSync(path.join(workspace, 'sessions', 'stray.txt'), 'not a session');

    const list = listSessions(workspace);
    expect(list.map((r) => [r.id, r.state])).toEqual([
      ['20261121-150000-ffff', 'unreadable'],
      ['20261121-140000-eeee', 'unreadable'],
      ['20261121-130000-dddd', 'unreadable'],
      ['20261121-120000-cccc', 'running'],
      ['20261121-110000-bbbb', 'crashed?'],
      ['20261121-100000-aaaa', 'completed'],
    ]);
    const byId = Object.fromEntries(list.map((r) => [r.id, r]));
    expect(byId['20261121-150000-ffff']?.reason).toMatch(/^summary\.json: not valid JSON/);
    expect(byId['20261121-140000-eeee']?.reason).toMatch(/^session\.json: not valid JSON/);
    expect(byId['20261121-130000-dddd']?.reason).toBe('session.json: missing');
    expect(byId['20261121-110000-bbbb']?.reason).toContain(`pid ${deadPid()} is not alive`);
    expect(byId['20261121-100000-aaaa']).toMatchObject({
      task: 'task of 20261121-100000-aaaa',
      outcome: 'success',
      tier: 'all-three',
      agents: ['gemini', 'claude', 'codex'],
    });
    // listing only reads: the crashed session's state is left for the sweep
    expect(readFileSync(path.join(crashed, 'session.json'), 'utf8')).toBe(crashedJson);
  });

  it('is empty for a workspace without sessions', () => {
    expect(listSessions(path.join(workspace, 'nothing-here'))).toEqual([]);
  });

  it('a session.json that is JSON but not a session state is unreadable', () => {
    const dir = session('20261121-100000-aaaa', { 'session.json': '[1, 2]' });
    expect(readSessionRecord(dir)).toMatchObject({ state: 'unreadable', reason: expect.stringContaining('not a session state') });
  });
});
