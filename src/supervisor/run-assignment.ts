import { buildPrompt } from '../plan/prompts.js';
import type { AssignmentState } from './assignment-state.js';
import { mergeChanges } from './assignment-state.js';
import type { SessionRuntime } from './session-runtime.js';
import { startRun, type RunRecord } from './start-run.js';

/**
 * Runs one assignment to its end: the first launch, then whatever the run's outcome calls for.
 * Journals `assignment.started` once and `assignment.finished` after each piece of work.
 */
export async function runAssignment(rt: SessionRuntime, s: AssignmentState): Promise<void> {
  const a = s.assignment;
  rt.journal.append({ type: 'assignment.started', agent: s.agent, assignment: a.id, role: a.role, weight: a.weight, budgetMs: a.budgetMs, run: a.id });
  const record = await startRun(rt, { assignment: a, agent: s.agent, run: nextRunName(s), prompt: buildPrompt(rt.plan, a), mode: 'work', timeoutMs: a.budgetMs });
  absorb(s, record);
  finish(rt, s, record);
}

/** `<id>` for the first run, `<id>.2`, `<id>.3`… after it. */
export function nextRunName(s: AssignmentState): string {
  const n = s.runs.length + 1;
  const name = n === 1 ? s.assignment.id : `${s.assignment.id}.${n}`;
  s.runs.push(name);
  return name;
}

/** Folds one run into the assignment's state. */
export function absorb(s: AssignmentState, record: RunRecord): void {
  s.result = record.result;
  s.runDir = record.runDir;
  s.changes = mergeChanges(s.changes, record.changes);
  s.durationMs += record.result.durationMs;
  if (record.result.cliSessionId) s.cliSessionId = record.result.cliSessionId;
  const known = record.result.diagnoses[0];
  s.status = record.result.status;
  s.reason = known ? `${record.result.reason} [${known.entry.id}: ${known.entry.cause}; fix: ${known.entry.fix}]` : record.result.reason;
}

/** Journals the end of a piece of work on the assignment (its status, and what the run changed). */
export function finish(rt: SessionRuntime, s: AssignmentState, record: RunRecord): void {
  rt.journal.append({
    type: 'assignment.finished',
    agent: s.agent,
    assignment: s.assignment.id,
    status: s.status,
    reason: s.reason,
    run: record.runDir.split('/').at(-1),
    filesChanged: record.changes,
    ...(s.cliSessionId ? { cliSessionId: s.cliSessionId } : {}),
  });
}
