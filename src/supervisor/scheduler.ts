import type { AssignmentState } from './assignment-state.js';
import { runAssignment } from './run-assignment.js';
import type { SessionRuntime } from './session-runtime.js';
import { FINAL_STATUSES } from '../run-status.js';

/**
 * Runs assignments as their dependencies succeed; independent ones run at the same time. An
 * assignment whose dependency ended any other way is skipped, with the reason journaled.
 */
export async function schedule(
  rt: SessionRuntime,
  states: Map<string, AssignmentState>,
  run: (rt: SessionRuntime, s: AssignmentState) => Promise<void> = runAssignment,
): Promise<void> {
  const running = new Map<string, Promise<void>>();
  let changed = false;
  // saved once per pass below (one session.json write and fsync for 32 starts, not 32), before anything awaits
  const setStatus = (s: AssignmentState, status: string, reason: string): void => {
    s.status = status;
    s.reason = reason;
    recordStatus(rt, s, false);
    changed = true;
  };
  for (;;) {
    for (const s of states.values()) {
      if (s.status !== 'pending') continue;
      const deps = s.assignment.dependsOn.map((d) => states.get(d));
      const blocked = deps.find((d) => d && FINAL_STATUSES.has(d.status) && d.status !== 'succeeded');
      const ceiling = ceilingStop(rt, blocked);
      if (ceiling) {
        setStatus(s, 'ceiling_reached', ceiling);
        rt.journal.append({ type: 'assignment.skipped', agent: s.agent, assignment: s.assignment.id, reason: ceiling });
        continue;
      }
      if (blocked || rt.stop.stopped) {
        const reason = rt.stop.stopped ? `not started: ${rt.stop.reason}` : `skipped: ${blocked?.assignment.id} ${blocked?.status}`;
        setStatus(s, rt.stop.stopped ? rt.stop.status : 'skipped', reason);
        rt.journal.append({ type: 'assignment.skipped', agent: s.agent, assignment: s.assignment.id, reason });
        continue;
      }
      if (deps.every((d) => d?.status === 'succeeded')) {
        setStatus(s, 'running', 'running');
        running.set(
          s.assignment.id,
          run(rt, s).then(() => {
            recordStatus(rt, s);
            running.delete(s.assignment.id);
          }),
        );
      }
    }
    if (changed) rt.saveState();
    changed = false;
    if (running.size === 0) break;
    await Promise.race(running.values());
  }
}

/** Why an assignment may not start for money: a ceiling is reached, or what it waits for stopped at one. */
function ceilingStop(rt: SessionRuntime, blocked: AssignmentState | undefined): string | undefined {
  if (rt.stop.stopped) return undefined;
  const reached = rt.budget?.reached();
  if (reached) return `not started: ${reached.reason}`;
  if (blocked?.status === 'ceiling_reached') return `not started: ${blocked.assignment.id} stopped at its spend ceiling`;
  return undefined;
}

/** Mirrors an assignment's status into `session.json` (`save` false: the caller saves it). */
export function recordStatus(rt: SessionRuntime, s: AssignmentState, save = true): void {
  const record: (typeof rt.state.assignments)[string] = { agent: s.agent, status: s.status };
  if (s.cliSessionId) record.cliSessionId = s.cliSessionId;
  rt.state.assignments[s.assignment.id] = record;
  if (save) rt.saveState();
}
