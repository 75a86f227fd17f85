import { spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pidAlive } from '../../src/process/kill-group.js';
import { processStartTime } from '../../src/process/process-tree.js';
import { readJournal } from '../../src/session/read-journal.js';
import { isSupervisorAlive, sweepSessions, type RecordedSession } from '../../src/session/sweep.js';
import { killProcessesWithEnv } from '../helpers/orchestrate-harness.js';
import { until } from '../helpers/until.js';

// Real processes: an orphaned "agent" group (leader ignoring SIGTERM, plus a grandchild in its
// group) left by a supervisor whose pid is really dead, and sessions that must not be touched.
const AGENT = `process.on('SIGTERM', () => {});
const { spawn } = require('node:child_process');
const g = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1 << 30)'], { stdio: 'ignore' });
console.log(g.pid);
setInterval(() => {}, 1 << 30);
`;

let root: string;
let workspace: string;
let marker: string;
beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'orch-sweep-'));
  workspace = path.join(root, 'ws');
  marker = `ORCH_SWEEP_TEST=${randomUUID()}`;
  // extensionless and CommonJS, named like the agent, as the real CLIs' command lines are
  writeFileSync(path.join(root, 'claude'), AGENT);
  writeFileSync(path.join(root, 'helper'), AGENT);
});
afterEach(async () => {
  await killProcessesWithEnv(marker);
  rmSync(root, { recursive: true, force: true });
});

/** A pid that certainly names no process now: a short-lived child, waited for. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' });
  const pid = Number(r.stdout.trim());
  expect(pidAlive(pid)).toBe(false);
  return pid;
}

/** Starts an orphan-like agent group (detached leader + grandchild); resolves with both pids. */
async function agentGroup(script = 'claude'): Promise<{ pid: number; grandchild: number }> {
  const [name, value] = marker.split('=') as [string, string];
  const child = spawn(process.execPath, [path.join(root, script)], {
    detached: true,
    stdio: ['ignore', 'pipe', 'ignore'],
    env: { ...process.env, [name]: value },
  });
  child.unref();
  const grandchild = await new Promise<number>((resolve) => child.stdout?.once('data', (d: Buffer) => resolve(Number(String(d).trim()))));
  (child.stdout as unknown as { unref?: () => void })?.unref?.();
  return { pid: child.pid as number, grandchild };
}

function writeSession(id: string, state: Partial<RecordedSession>, journal = ''): string {
  const dir = path.join(workspace, 'sessions', id);
  mkdirSync(dir, { recursive: true });
  const full = {
    version: 1,
    id,
    task: 't',
    target: root,
    workspace,
    state: 'running',
    startedAt: new Date().toISOString(),
    agents: ['claude'],
    processes: [],
    assignments: {},
    options: {},
    ...state,
  };
  writeFileSync(path.join(dir, 'session.json'), JSON.stringify(full));
  writeFileSync(path.join(dir, 'events.jsonl'), journal);
  return dir;
}

const run = (p: { pid: number }, extra: Record<string, unknown> = {}) => ({
  agent: 'claude',
  assignment: '2-implementation-claude',
  run: '2-implementation-claude',
  pid: p.pid,
  pgid: p.pid,
  alive: true,
  ...extra,
});
const JOURNAL =
  '{"seq":1,"time":"2026-01-01T00:00:00.000Z","type":"session.started"}\n{"seq":2,"time":"2026-01-01T00:00:01.000Z","type":"agent.launched"}\n';

describe('sweepSessions', () => {
  it('kills the orphaned group of a session whose supervisor is dead, records crashed and journals session.crashed', async () => {
    const group = await agentGroup();
    const dir = writeSession(
      '20260101-000000-aaaa',
      { supervisorPid: deadPid(), processes: [run(group, { startTime: processStartTime(group.pid) })] },
      JOURNAL,
    );

    const report = sweepSessions(workspace);

    expect(report.errors).toEqual([]);
    expect(report.swept).toHaveLength(1);
    expect(new Set(report.swept[0]?.swept)).toEqual(new Set([group.pid, group.grandchild]));
    await until(() => !pidAlive(group.pid) && !pidAlive(group.grandchild), { what: 'the orphan group to be gone' });
    const state = JSON.parse(readFileSync(path.join(dir, 'session.json'), 'utf8'));
    expect(state).toMatchObject({ state: 'crashed', outcome: 'crashed', processes: [{ pid: group.pid, alive: false }] });
    expect(Date.parse(state.endedAt)).not.toBeNaN();
    const { entries, torn } = readJournal(path.join(dir, 'events.jsonl'));
    expect(torn).toBeUndefined();
    expect(entries.at(-1)).toMatchObject({ seq: 3, type: 'session.crashed', swept: report.swept[0]?.swept });
    expect(String(entries.at(-1)?.['reason'])).toContain('is gone');
    // a second sweep finds nothing to do
    expect(sweepSessions(workspace).swept).toEqual([]);
    expect(readJournal(path.join(dir, 'events.jsonl')).entries).toHaveLength(3);
  });

  it('never touches a session whose supervisor is alive, nor one that ended', async () => {
    const group = await agentGroup();
    const alive = writeSession(
      '20260101-000000-bbbb',
      { supervisorPid: process.pid, supervisorStartTime: processStartTime(process.pid), processes: [run(group)] },
      JOURNAL,
    );
    const ended = writeSession('20260101-000000-cccc', { state: 'completed', supervisorPid: deadPid(), processes: [run(group)] }, JOURNAL);

    expect(sweepSessions(workspace)).toEqual({ swept: [], errors: [] });
    expect(pidAlive(group.pid) && pidAlive(group.grandchild)).toBe(true);
    for (const dir of [alive, ended]) expect(readFileSync(path.join(dir, 'events.jsonl'), 'utf8')).toBe(JOURNAL);
    expect(JSON.parse(readFileSync(path.join(alive, 'session.json'), 'utf8')).state).toBe('running');
  });

  it('treats a live supervisor pid with another start time as dead (pid reuse), and spares a reused agent pid', async () => {
    const stranger = await agentGroup();
    const dir = writeSession('20260101-000000-dddd', {
      supervisorPid: process.pid,
      supervisorStartTime: 1,
      processes: [run(stranger, { startTime: 1 })],
    });
    const report = sweepSessions(workspace);
    expect(report.swept[0]).toMatchObject({ swept: [], spared: [{ pid: stranger.pid, why: expect.stringContaining('pid reused') }] });
    expect(report.swept[0]?.reason).toContain('another process now');
    expect(pidAlive(stranger.pid) && pidAlive(stranger.grandchild)).toBe(true);
    expect(JSON.parse(readFileSync(path.join(dir, 'session.json'), 'utf8')).state).toBe('crashed');
  });

  it('without recorded start times kills only a group leader whose command line names its agent', async () => {
    const agent = await agentGroup('claude');
    const other = await agentGroup('helper');
    writeSession('20260101-000000-eeee', { supervisorPid: deadPid(), processes: [run(agent), run(other)] });
    const report = sweepSessions(workspace);
    expect(new Set(report.swept[0]?.swept)).toEqual(new Set([agent.pid, agent.grandchild]));
    expect(report.swept[0]?.spared).toEqual([{ pid: other.pid, why: 'command line does not name claude or bwrap' }]);
    await until(() => !pidAlive(agent.pid) && !pidAlive(agent.grandchild), { what: 'the agent group to be gone' });
    expect(pidAlive(other.pid)).toBe(true);
  });

  it('cuts a torn last journal line off (keeping its text in the entry), so the journal stays whole lines', () => {
    const dir = writeSession('20260101-000000-ffff', { supervisorPid: deadPid() }, `${JOURNAL}{"seq":3,"time":"2026-01-01T00:0`);
    sweepSessions(workspace);
    const { entries, torn } = readJournal(path.join(dir, 'events.jsonl'));
    expect(torn).toBeUndefined();
    expect(entries.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(entries.at(-1)).toMatchObject({ type: 'session.crashed', swept: [], tornLine: '{"seq":3,"time":"2026-01-01T00:0' });
  });
});

describe('isSupervisorAlive', () => {
  it('is true for a live pid (same start time or none recorded), false for a dead pid or another start time', () => {
    expect(isSupervisorAlive({ supervisorPid: process.pid })).toBe(true);
    expect(isSupervisorAlive({ supervisorPid: process.pid, supervisorStartTime: processStartTime(process.pid) as number })).toBe(true);
    expect(isSupervisorAlive({ supervisorPid: process.pid, supervisorStartTime: 1 })).toBe(false);
    expect(isSupervisorAlive({ supervisorPid: deadPid() })).toBe(false);
  });
});
