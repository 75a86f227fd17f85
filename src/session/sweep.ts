import { closeSync, ftruncateSync, openSync, readFileSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { killIfSame, pidAlive } from '../process/kill-group.js';
import { listProcessTree, readProcStat } from '../process/process-tree.js';
import { liveGroupMembers } from '../process/process-tree.js';
import { writeJsonAtomic } from './atomic-write.js';
import { sessionIds } from './list-sessions.js';
import { sessionPaths, sessionsDir } from './paths.js';
import { readJournal } from './read-journal.js';
import type { SessionState } from './session-state.js';

/**
 * `session.json` as the sweep reads it. `supervisorStartTime` and each process's `startTime`
 * (field 22 of /proc/<pid>/stat) are optional: recorded, they make pid reuse detectable.
 */
export type RecordedSession = Omit<SessionState, 'processes'> & {
  supervisorStartTime?: number;
  processes: Array<SessionState['processes'][number] & { startTime?: number }>;
};

/** One crashed session the sweep closed. */
export interface SweptSession {
  id: string;
  dir: string;
  /** Why the session counts as crashed (the supervisor pid and what was wrong with it). */
  reason: string;
  /** Every pid that was SIGKILLed. */
  swept: number[];
  /** Recorded runs left alone, and why (pid reused, not verifiable without a start time, …). */
  spared: Array<{ pid: number; why: string }>;
}

export interface SweepReport {
  swept: SweptSession[];
  /** Sessions that could not be swept (unreadable state, a write that failed); never thrown. */
  errors: Array<{ id: string; dir: string; message: string }>;
}

/**
 * True while the session's supervisor runs: its pid is alive (not a zombie) and, when
 * `supervisorStartTime` was recorded, it is still the same process (not a reused pid). Without a
 * start time a live pid counts as alive: a live supervisor must never be swept.
 */
export function isSupervisorAlive(state: Pick<RecordedSession, 'supervisorPid' | 'supervisorStartTime'>): boolean {
  const pid = state.supervisorPid;
  const stat = readProcStat(pid);
  if (!stat) return pidAlive(pid); // no /proc: ask the kernel
  if (stat.state === 'Z' || stat.state === 'X') return false;
  return state.supervisorStartTime === undefined || stat.startTime === state.supervisorStartTime;
}

/**
 * Closes every session of `workspace` whose `session.json` says `running` while its supervisor
 * is dead: SIGKILLs what is left of its agent runs (only processes proven to be them), records
 * `crashed` in session.json and appends `session.crashed` to its journal. A session whose
 * supervisor is alive is never touched. Synchronous and quick: meant for the start of `run`,
 * `sessions` and `show`.
 */
export function sweepSessions(workspace: string, now: () => number = Date.now): SweepReport {
  const report: SweepReport = { swept: [], errors: [] };
  for (const id of sessionIds(workspace)) {
    const dir = path.join(sessionsDir(workspace), id);
    try {
      const swept = sweepSession(dir, now);
      if (swept) report.swept.push(swept);
    } catch (error) {
      report.errors.push({ id, dir, message: (error as Error).message });
    }
  }
  return report;
}

/** Sweeps one session directory; undefined when there was nothing to do (ended, alive, or being swept by someone else). */
export function sweepSession(dir: string, now: () => number = Date.now): SweptSession | undefined {
  const paths = sessionPaths(dir);
  const before = readState(paths.session);
  if (!before || before.state !== 'running' || isSupervisorAlive(before)) return undefined;
  const lock = takeLock(path.join(dir, 'sweep.lock'));
  if (!lock) return undefined;
  try {
    // again under the lock: another sweep may have finished it meanwhile
    const state = readState(paths.session);
    if (!state || state.state !== 'running' || isSupervisorAlive(state)) return undefined;
    const current = readProcStat(state.supervisorPid);
    const reason = `supervisor pid ${state.supervisorPid} is ${!current || current.state === 'Z' || current.state === 'X' ? 'gone' : 'another process now (start time differs)'}`;
    const { swept, spared } = killLeftovers(state);
    appendCrashed(paths.events, now, { reason, swept, ...(spared.length ? { spared } : {}) });
    const endedAt = new Date(now()).toISOString();
    const raw = JSON.parse(readFileSync(paths.session, 'utf8')) as Record<string, unknown>;
    writeJsonAtomic(paths.session, {
      ...raw,
      state: 'crashed',
      endedAt,
      outcome: 'crashed',
      processes: state.processes.map((p) => ({ ...p, alive: false })),
    });
    return { id: path.basename(dir), dir, reason, swept, spared };
  } finally {
    lock();
  }
}

function readState(file: string): RecordedSession | undefined {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined; // unreadable: `sessions` reports it; nothing here can be proven
  }
  const s = value as Partial<RecordedSession> | null;
  if (!s || typeof s.state !== 'string' || typeof s.supervisorPid !== 'number') return undefined;
  return { ...(s as RecordedSession), processes: Array.isArray(s.processes) ? s.processes : [] };
}

/**
 * SIGKILLs each recorded run's leftovers. With a recorded start time: the leader's tree and group
 * while the leader is the same process, the group's members that started no earlier once the
 * leader is gone, nothing when the pid now names another process. Without one (older records):
 * only a live leader that still leads the recorded group and whose command line names its agent
 * (or bwrap), with its tree and group.
 */
function killLeftovers(state: RecordedSession): { swept: number[]; spared: Array<{ pid: number; why: string }> } {
  const doomed = new Map<number, number>();
  const spared: Array<{ pid: number; why: string }> = [];
  const groups = liveGroupMembers(new Set(state.processes.map((p) => p.pgid)));
  const add = (pid: number): void => {
    const stat = readProcStat(pid);
    if (stat && stat.state !== 'Z' && pid !== process.pid) doomed.set(pid, stat.startTime);
  };
  for (const p of state.processes) {
    const leader = readProcStat(p.pid);
    const leaderLive = leader !== undefined && leader.state !== 'Z';
    const members = groups.get(p.pgid) ?? [];
    if (p.startTime !== undefined) {
      if (leaderLive && leader.startTime !== p.startTime) {
        spared.push({ pid: p.pid, why: 'pid reused by another process (start time differs)' });
        continue;
      }
      if (leaderLive) listProcessTree(p.pid).forEach(add);
      for (const m of members) if (m.startTime >= p.startTime) add(m.pid);
      continue;
    }
    if (!leaderLive) {
      if (members.length) spared.push({ pid: p.pid, why: `leader gone and no start time recorded: group ${p.pgid} left alone` });
      continue;
    }
    if (leader.pgid !== p.pgid) {
      spared.push({ pid: p.pid, why: `pid now in group ${leader.pgid}, not ${p.pgid}` });
      continue;
    }
    if (!looksLikeAgent(p.pid, p.agent)) {
      spared.push({ pid: p.pid, why: `command line does not name ${p.agent} or bwrap` });
      continue;
    }
    listProcessTree(p.pid).forEach(add);
    for (const m of members) add(m.pid);
  }
  const swept: number[] = [];
  for (const [pid, startTime] of doomed) if (killIfSame(pid, startTime)) swept.push(pid);
  return { swept, spared };
}

function looksLikeAgent(pid: number, agent: string): boolean {
  let argv: string[];
  try {
    argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  } catch {
    return false;
  }
  return argv.some((arg) => {
    const base = path.basename(arg);
    return base === 'bwrap' || base === agent || base.startsWith(`${agent}-`) || arg.split('/').includes(agent);
  });
}

/**
 * Appends `session.crashed` as one whole line on an O_APPEND descriptor, numbered after the last
 * entry. A torn last line (the supervisor died mid-write) is cut off first, so the journal stays
 * whole lines, and its text is kept in the new entry.
 */
function appendCrashed(file: string, now: () => number, data: Record<string, unknown>): void {
  let lastSeq = 0;
  let torn: { byteOffset: number; text: string } | undefined;
  try {
    const journal = readJournal(file);
    lastSeq = journal.entries.reduce((max, e) => (typeof e.seq === 'number' && e.seq > max ? e.seq : max), 0);
    torn = journal.torn;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') lastSeq = lastSeqTolerant(file);
  }
  const fd = openSync(file, 'a', 0o644);
  try {
    if (torn) ftruncateSync(fd, torn.byteOffset);
    const entry = {
      seq: lastSeq + 1,
      time: new Date(now()).toISOString(),
      type: 'session.crashed',
      ...data,
      ...(torn ? { tornLine: torn.text } : {}),
    };
    writeSync(fd, `${JSON.stringify(entry)}\n`);
  } finally {
    closeSync(fd);
  }
}

/** The highest seq of the lines that parse, for a journal damaged in the middle. */
function lastSeqTolerant(file: string): number {
  let max = 0;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    try {
      const seq = (JSON.parse(line) as { seq?: unknown }).seq;
      if (typeof seq === 'number' && seq > max) max = seq;
    } catch {
      // the damaged line
    }
  }
  return max;
}

/** Takes `file` as a lock (O_EXCL, holding our pid); a lock whose holder died is taken over. Returns the release, or undefined when held. */
export function takeLock(file: string): (() => void) | undefined {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, String(process.pid), { flag: 'wx' });
      return () => {
        try {
          unlinkSync(file);
        } catch {
          // already gone
        }
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(readFileSafe(file));
      if (Number.isInteger(holder) && holder > 0 && pidAlive(holder)) return undefined;
      try {
        unlinkSync(file);
      } catch {
        // someone else took it over first
      }
    }
  }
  return undefined;
}

function readFileSafe(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}
