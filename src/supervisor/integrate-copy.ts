import type { AssignmentState } from './assignment-state.js';
import type { SessionRuntime } from './session-runtime.js';

/**
 * After an assignment that had a copy of its own: its commits merged into the session branch
 * (in plan order). A conflict is escalated with the exact files: the assignment ends as
 * escalated, the branch keeps the earlier assignments' work, and a person decides.
 */
export async function integrateCopy(rt: SessionRuntime, s: AssignmentState): Promise<void> {
  const id = s.assignment.id;
  let result;
  try {
    result = await rt.copies.integrate(id);
  } catch (error) {
    result = { merged: false, conflicts: [`(merge failed: ${(error as Error).message})`] };
  }
  if (result.merged) rt.journal.append({ type: 'copy.merged', agent: s.agent, assignment: id, commit: rt.copies.tip() });
  if (result.conflicts.length === 0) return;
  const files = result.conflicts;
  const blocker = `${id}: its changes conflict with an earlier assignment's in ${files.join(', ')}; merge them by hand (orchestrate diff ${rt.state.id} --assignment ${id}) or re-run`;
  rt.journal.append({ type: 'copy.merge_conflict', agent: s.agent, assignment: id, files });
  rt.journal.append({ type: 'session.blocker', agent: s.agent, assignment: id, blocker });
  s.status = 'escalated';
  s.reason = `merge conflict in ${files.join(', ')}`;
}
