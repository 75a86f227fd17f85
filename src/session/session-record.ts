import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { sessionPaths } from './paths.js';
import { pidAlive } from '../process/kill-group.js';
import type { SessionLifecycle, SessionState } from './session-state.js';
import type { Summary } from './summary.js';

/**
 * How a session looks from outside: its recorded lifecycle, or `crashed?` when `session.json`
 * still says running but its supervisor is gone, or `unreadable` when the directory is damaged.
 */
export type ObservedState = SessionLifecycle | 'crashed?' | 'unreadable';

/** One session directory as read back, never throwing: what `sessions` lists and `show` starts from. */
export interface SessionRecord {
  id: string;
  dir: string;
  state: ObservedState;
  /** Why the state is `crashed?` or `unreadable`, or what else looked wrong. */
  reason?: string;
  task?: string;
  target?: string;
  startedAt?: string;
  endedAt?: string;
  outcome?: string;
  exitCode?: number;
  tier?: string;
  agents: string[];
  supervisorPid?: number;
  session?: SessionState;
  summary?: Summary;
}

/** Reads `session.json` and, when present, `summary.json` of one session directory. Modifies nothing. */
export function readSessionRecord(dir: string): SessionRecord {
  const paths = sessionPaths(dir);
  const record: SessionRecord = { id: path.basename(dir), dir, state: 'unreadable', agents: [] };
  const session = readJson(paths.session);
  if (!session.ok) return { ...record, reason: `session.json: ${session.error}` };
  const s = session.value as Partial<SessionState> | null;
  if (!s || typeof s !== 'object' || typeof s.state !== 'string' || typeof s.startedAt !== 'string') {
    return { ...record, reason: 'session.json: not a session state (no state or startedAt)' };
  }
  const state = s as SessionState;
  Object.assign(record, {
    state: state.state,
    task: state.task,
    target: state.target,
    startedAt: state.startedAt,
    endedAt: state.endedAt,
    outcome: state.outcome,
    exitCode: state.exitCode,
    tier: state.tier,
    agents: Array.isArray(state.agents) ? state.agents : [],
    supervisorPid: state.supervisorPid,
    session: state,
  });
  if (existsSync(paths.summaryJson)) {
    const summary = readJson(paths.summaryJson);
    if (!summary.ok) return { ...record, state: 'unreadable', reason: `summary.json: ${summary.error}` };
    const sum = summary.value as Summary;
    record.summary = sum;
    record.outcome ??= sum.outcome;
    record.exitCode ??= sum.exitCode;
    record.tier ??= sum.tier;
    record.endedAt ??= sum.endedAt;
  }
  if (state.state === 'running' && !pidAlive(state.supervisorPid)) {
    record.state = 'crashed?';
    record.reason = `session.json says running but supervisor pid ${state.supervisorPid} is not alive`;
  }
  return record;
}

export type JsonRead = { ok: true; value: unknown } | { ok: false; error: string };

/** Reads a JSON file of a session directory; what is wrong ("missing", "not valid JSON (…)") instead of throwing. */
export function readJson(file: string): JsonRead {
  let text: string;
  try {
    if (!statSync(file).isFile()) return { ok: false, error: 'not a file' };
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { ok: false, error: code === 'ENOENT' ? 'missing' : (error as Error).message };
  }
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, error: `not valid JSON (${(error as Error).message})` };
  }
}
