import type { AgentId } from '../agents/agent-id.js';
import type { Assignment } from '../plan/types.js';
import type { FileChanges } from '../session/file-snapshot.js';
import type { AgentRunResult } from './agent-run.js';

/** Where an assignment is: the scheduler's and the summary's view of it. */
export interface AssignmentState {
  assignment: Assignment;
  /** The agent doing it now (differs from the plan's after a runtime fallback). */
  agent: AgentId;
  status: string;
  reason: string;
  /** The last run's result. */
  result?: AgentRunResult;
  /** The last run's folder, relative to the session directory. */
  runDir?: string;
  /** Target files changed by all of this assignment's runs. */
  changes: FileChanges;
  /** Every run of this assignment, in order (attempts, revisions). */
  runs: string[];
  /** Summed over all runs. */
  durationMs: number;
  /** The CLI session to resume (the last run's, when it gave one). */
  cliSessionId?: string;
  /** Agents that failed this assignment for good before the current one took it over. */
  fallbackFrom?: AgentId[];
  /** Set when a resumed session continues this assignment (`orchestrate resume`). */
  resume?: { sessionId?: string; awaitReview?: boolean };
  /** Revision rounds run so far. */
  revisions?: number;
}

export const NO_CHANGES: FileChanges = { added: [], modified: [], deleted: [] };

/** Adds a run's changes to an assignment's (a file added then modified stays added). */
export function mergeChanges(a: FileChanges, b: FileChanges): FileChanges {
  const added = new Set(a.added);
  const modified = new Set(a.modified);
  const deleted = new Set(a.deleted);
  for (const f of b.added) {
    if (deleted.delete(f)) modified.add(f);
    else added.add(f);
  }
  for (const f of b.modified) if (!added.has(f)) modified.add(f);
  for (const f of b.deleted) {
    if (added.delete(f)) continue;
    modified.delete(f);
    deleted.add(f);
  }
  const sorted = (s: Set<string>): string[] => [...s].sort();
  return { added: sorted(added), modified: sorted(modified), deleted: sorted(deleted) };
}
