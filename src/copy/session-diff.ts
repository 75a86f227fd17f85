import { assignmentRange, diffText, openSessionResult, refusals } from './session-result.js';
import type { Refusal } from './vet-change.js';

/** What `orchestrate diff` prints and the dashboard shows: one session's (or one assignment's) changes. */
export interface SessionDiff {
  /** The commit the diff starts from (the baseline, or the assignment's parent). */
  from: string;
  to: string;
  /** The stat, then the patch (`--stat`: the stat only); `(no changes)` when there are none. */
  text: string;
  /** The changes an apply would refuse, with why. */
  refused: Refusal[];
}

/** The diff of the session in `dir` against its baseline (or of one assignment's commits). */
export function sessionDiff(dir: string, opts: { assignment?: string; stat?: boolean } = {}): SessionDiff {
  const r = openSessionResult(dir);
  const { from, to } = opts.assignment ? assignmentRange(r, opts.assignment) : { from: r.info.baseline, to: r.tip };
  const text = from === to ? '(no changes)' : diffText(r, from, to, opts.stat === true);
  return { from, to, text, refused: refusals(r, from, to) };
}
