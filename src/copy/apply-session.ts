import { existsSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors.js';
import { writeJsonAtomic } from '../session/atomic-write.js';
import { applyChanges, applyPaths, undoApply, type ApplyOutcome, type UndoOutcome } from './apply-changes.js';
import { assignmentRange, type SessionResult } from './session-result.js';

/**
 * `orchestrate apply`: the session's changes (or one assignment's) into the checkout the session
 * was started on, three-way against what it holds now. One apply at a time per session: a second
 * one needs an undo first. The outcome is also written to `apply/applied.json`.
 */
export function applySession(r: SessionResult, assignment?: string): ApplyOutcome & { from: string; to: string } {
  const files = applyPaths(r.dir);
  if (existsSync(files.restore))
    throw new UsageError(`session ${r.state.id} is already applied`, `undo it first: orchestrate apply --undo ${r.state.id}`);
  const { from, to } = assignment ? assignmentRange(r, assignment) : { from: r.info.baseline, to: r.tip };
  const range = { from, to, baseline: r.info.baseline, ...(r.info.head ? { head: r.info.head } : {}) };
  const outcome = applyChanges(r.repo, range, r.state.target, r.dir, r.workspaceRel);
  writeJsonAtomic(path.join(files.dir, 'applied.json'), {
    at: new Date().toISOString(),
    from,
    to,
    ...(assignment ? { assignment } : {}),
    ...outcome,
  });
  return { ...outcome, from, to };
}

/** `orchestrate apply --undo`: the checkout back as it was before the apply, unless changed since. */
export function undoSession(r: SessionResult): UndoOutcome {
  const outcome = undoApply(r.state.target, r.dir);
  if (!outcome) throw new UsageError(`session ${r.state.id} has no apply to undo`);
  return outcome;
}
