import { SessionBudget } from '../budget/session-budget.js';
import type { AssignmentState } from './assignment-state.js';
import type { SessionRuntime } from './session-runtime.js';

/**
 * Gives a running session its budget (src/budget/): time windows along the plan, ceiling shares,
 * spend fed from the journal; a run past its share is stopped with the `ceiling` reason, and
 * reaching a ceiling is journaled once. The time budget counts from the first launch.
 */
export function linkBudget(rt: SessionRuntime, states: ReadonlyMap<string, AssignmentState>): SessionBudget {
  const budget = new SessionBudget({
    nodes: rt.plan.assignments,
    timeoutMs: rt.opts.timeoutMs,
    ceilings: rt.opts.ceilings ?? {},
    clock: rt.opts.clock,
    statusOf: (id) => states.get(id)?.status,
    stopRun: (assignment, reason) => {
      const live = [...rt.live.values()].find((r) => r.assignment === assignment && r.review === undefined);
      live?.handle.stop('ceiling', reason);
    },
    ...(rt.opts.resume ? { previous: rt.opts.resume.entries } : {}),
    onReached: (why) => rt.journal.append({ type: 'budget.reached', ceiling: why.kind, reason: why.reason, spend: budget.report() }),
  });
  rt.journal.subscribe((entry) => budget.onEntry(entry));
  return budget;
}

/** The window and ceiling shares of one launch of `s`, journaled; `ended` must be called when the run ends. */
export function launchBudget(rt: SessionRuntime, s: AssignmentState, run: string): { timeoutMs: number; maxBudgetUsd?: number } {
  if (!rt.budget) return { timeoutMs: s.assignment.budgetMs };
  const { timeoutMs, share } = rt.budget.launch(s.assignment.id);
  rt.journal.append({ type: 'budget.launch', agent: s.agent, assignment: s.assignment.id, run, windowMs: timeoutMs, share });
  return { timeoutMs, ...(share.costUsd !== undefined ? { maxBudgetUsd: share.costUsd } : {}) };
}
