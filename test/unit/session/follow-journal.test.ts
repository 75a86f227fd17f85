import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { followJournal, type FollowOptions, type FollowResult } from '../../../src/session/follow-journal.js';
import type { BadLine, TailLine } from '../../../src/session/journal-tail.js';
import { JournalTail } from '../../../src/session/journal-tail.js';
import type { SessionActivity } from '../../../src/session/session-activity.js';
import { until } from '../../helpers/until.js';

// Real files, a real chokidar watch; every wait is on a condition with a bound, never a sleep.
let dir: string;
let events: string;
const controllers: AbortController[] = [];

beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'follow-'));
  events = path.join(dir, 'events.jsonl');
});
afterEach(() => {
  for (const c of controllers.splice(0)) c.abort();
  rmSync(dir, { recursive: true, force: true });
});

const line = (seq: number, type: string, extra: Record<string, unknown> = {}): string =>
  `${JSON.stringify({ seq, time: '2026-11-21T10:00:00.000Z', type, ...extra })}\n`;

/** Starts following with an activity the test controls; counts the checks so a test can wait for "one more look". */
function follow(options: Partial<FollowOptions> & { activity?: () => SessionActivity } = {}) {
  const lines: TailLine[] = [];
  const bad: BadLine[] = [];
  let checks = 0;
  const controller = new AbortController();
  controllers.push(controller);
  const activity = options.activity ?? (() => 'running' as const);
  let result: FollowResult | undefined;
  const done = followJournal({
    dir,
    onLine: (l) => lines.push(l),
    onBadLine: (b) => bad.push(b),
    checkMs: 50,
    endGraceMs: 200,
    signal: controller.signal,
    ...options,
    activity: () => {
      checks += 1;
      return activity();
    },
  }).then((r) => (result = r));
  return {
    lines,
    bad,
    controller,
    done,
    types: () => lines.map((l) => l.entry.type),
    result: () => result,
    /** Resolves once the follower has read the file at least twice more (so whatever was written before is seen). */
    twoMoreChecks: async () => {
      const target = checks + 2;
      await until(() => checks >= target || result !== undefined, { what: 'two more checks' });
    },
  };
}

describe('followJournal', () => {
  it('prints what exists, then each appended whole line; a partial line waits for its newline; stops at session.completed', async () => {
    const first = line(1, 'session.started', { pid: process.pid });
    const second = line(2, 'agent.message', { agent: 'gemini', text: 'héllo ✓' });
    writeFileSync(events, first + second.slice(0, 20));
    const f = follow();
    await until(() => f.lines.length === 1, { what: 'the existing line' });
    await f.twoMoreChecks();
    expect(f.types()).toEqual(['session.started']); // the half-written second line is held

    // the rest of the line, cut inside a multi-byte character, then its newline in a later write
    const secondBytes = Buffer.from(second);
    const cut = secondBytes.indexOf(Buffer.from('✓')) + 1;
    appendFileSync(events, secondBytes.subarray(20, cut));
    await f.twoMoreChecks();
    expect(f.lines).toHaveLength(1);
    appendFileSync(events, secondBytes.subarray(cut));
    await until(() => f.lines.length === 2, { what: 'the completed second line' });
    expect(f.lines[1]?.entry).toMatchObject({ seq: 2, text: 'héllo ✓' });
    expect(f.lines[1]?.raw).toBe(second.trimEnd());

    appendFileSync(events, line(3, 'agent.report', { agent: 'gemini' }) + line(4, 'session.completed', { exitCode: 0 }));
    expect(await f.done).toEqual({ reason: 'completed' });
    expect(f.types()).toEqual(['session.started', 'agent.message', 'agent.report', 'session.completed']);
    expect(f.bad).toEqual([]);
  });

  it('sees appends through the chokidar watch, without waiting for the periodic check', async () => {
    writeFileSync(events, line(1, 'session.started'));
    const f = follow({ checkMs: 600_000 });
    await until(() => f.lines.length === 1, { what: 'the existing line' });
    // appended before the watch may be ready: the ready event reads again
    for (let seq = 2; seq <= 5; seq += 1) {
      appendFileSync(events, line(seq, 'agent.report'));
      await until(() => f.lines.length === seq, { what: `line ${seq} through the watch` });
    }
    appendFileSync(events, line(6, 'agent.report') + line(7, 'session.completed'));
    expect((await f.done).reason).toBe('completed');

    // and a journal created after the watch started
    rmSync(events);
    const g = follow({ checkMs: 600_000 });
    await until(() => g.lines.length === 0 && g.result() === undefined, { what: 'the follower to start' });
    writeFileSync(events, line(1, 'session.started'));
    await until(() => g.lines.length === 1, { what: 'the new journal through the watch' });
    appendFileSync(events, line(2, 'session.completed'));
    expect((await g.done).reason).toBe('completed');
  });

  it('waits for a journal that does not exist yet', async () => {
    const f = follow();
    await f.twoMoreChecks();
    expect(f.lines).toEqual([]);
    writeFileSync(events, line(1, 'session.started'));
    await until(() => f.lines.length === 1, { what: 'the first line of a new journal' });
    appendFileSync(events, line(2, 'session.completed'));
    expect((await f.done).reason).toBe('completed');
  });

  it('ends when the supervisor is gone, reporting a torn last line once', async () => {
    let activity: SessionActivity = 'running';
    writeFileSync(events, line(1, 'session.started'));
    const f = follow({ activity: () => activity });
    await until(() => f.lines.length === 1, { what: 'the first line' });
    appendFileSync(events, '{"seq":2,"time":"2026');
    await f.twoMoreChecks();
    activity = 'gone'; // a crash: no session.completed will ever come
    expect(await f.done).toEqual({ reason: 'gone', torn: { line: 2, text: '{"seq":2,"time":"2026' } });
    expect(f.lines).toHaveLength(1);
  });

  it('when session.json records the end, waits briefly for session.completed, then ends anyway', async () => {
    let activity: SessionActivity = 'running';
    writeFileSync(events, line(1, 'session.started'));
    const f = follow({ activity: () => activity, endGraceMs: 60_000 });
    await until(() => f.lines.length === 1, { what: 'the first line' });
    activity = 'ended';
    await f.twoMoreChecks();
    expect(f.result()).toBeUndefined(); // the supervisor writes the state just before its last line
    appendFileSync(events, line(2, 'session.completed'));
    expect((await f.done).reason).toBe('completed');

    const g = follow({ activity: () => 'ended', endGraceMs: 100 });
    expect((await g.done).reason).toBe('completed'); // this journal already has session.completed
    writeFileSync(events, line(1, 'session.started'));
    const h = follow({ activity: () => 'ended', endGraceMs: 100 });
    expect(await h.done).toEqual({ reason: 'ended' });
  });

  it('reports a damaged whole line and goes on; stops on abort', async () => {
    writeFileSync(events, `${line(1, 'session.started')}not json\n${line(3, 'agent.report')}`);
    const f = follow();
    await until(() => f.lines.length === 2, { what: 'both good lines' });
    expect(f.bad).toEqual([expect.objectContaining({ line: 2, text: 'not json' })]);
    f.controller.abort();
    expect(await f.done).toEqual({ reason: 'aborted' });
  });

  it('by default asks session.json and its supervisor pid: a running session with a dead supervisor ends the follow', async () => {
    const pidMax = Number(readFileSync('/proc/sys/kernel/pid_max', 'utf8'));
    writeFileSync(path.join(dir, 'session.json'), JSON.stringify({ state: 'running', supervisorPid: pidMax + 1 }));
    writeFileSync(events, line(1, 'session.started', { pid: pidMax + 1 }));
    const lines: string[] = [];
    const result = await followJournal({ dir, onLine: (l) => lines.push(l.entry.type), checkMs: 50 });
    expect(result).toEqual({ reason: 'gone' });
    expect(lines).toEqual(['session.started']);
  });

  it('by default keeps following while session.json says running and its supervisor is alive', async () => {
    writeFileSync(path.join(dir, 'session.json'), JSON.stringify({ state: 'running', supervisorPid: process.pid }));
    const lines: string[] = [];
    const done = followJournal({ dir, onLine: (l) => lines.push(l.entry.type), checkMs: 50 });
    writeFileSync(events, line(1, 'session.started'));
    await until(() => lines.length === 1, { what: 'the first line' });
    appendFileSync(events, line(2, 'session.completed'));
    expect(await done).toEqual({ reason: 'completed' });
  });
});

describe('JournalTail', () => {
  it('returns only whole lines, keeping byte offsets across reads', () => {
    const tail = new JournalTail(events);
    expect(tail.read()).toEqual({ lines: [], bad: [] }); // missing file
    writeFileSync(events, line(1, 'a') + '{"seq":2');
    expect(tail.read().lines.map((l) => l.entry.seq)).toEqual([1]);
    expect(tail.partial).toEqual({ line: 2, text: '{"seq":2' });
    appendFileSync(events, `,"time":"t","type":"b"}\n\n${line(3, 'c')}`);
    expect(tail.read().lines.map((l) => [l.line, l.entry.seq])).toEqual([
      [2, 2],
      [4, 3],
    ]);
    expect(tail.partial).toBeUndefined();
    expect(tail.bytesRead).toBe(readFileSync(events).length);
  });
});
