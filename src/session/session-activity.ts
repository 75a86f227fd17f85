import { readFileSync } from 'node:fs';
import { pidAlive } from '../process/kill-group.js';
import type { SessionState } from './session-state.js';

/**
 * Whether anything more can be written to a session:
 * - `running`: session.json says running and its supervisor is alive;
 * - `ended`: session.json records an end (or cannot be read) but the supervisor may still be
 *   appending its last journal line (it saves the state just before `session.completed`);
 * - `gone`: the supervisor pid is dead, so nothing more will ever be written.
 */
export type SessionActivity = 'running' | 'ended' | 'gone';

/**
 * Reads `session.json` and probes its supervisor pid. `fallbackPid` (the `pid` of the journal's
 * `session.started`) is used when session.json cannot be read.
 */
export function sessionActivity(sessionFile: string, fallbackPid?: number): SessionActivity {
  let state: Partial<SessionState> | undefined;
  try {
    state = JSON.parse(readFileSync(sessionFile, 'utf8')) as Partial<SessionState>;
  } catch {
    state = undefined;
  }
  const pid = typeof state?.supervisorPid === 'number' ? state.supervisorPid : fallbackPid;
  if (pid !== undefined && !pidAlive(pid)) return 'gone';
  if (state?.state === 'running' && pid !== undefined) return 'running';
  return 'ended';
}
