import { SEVERITIES, type Severity, type Verdict } from './verdict.js';

/** What orchestrate does after a review. */
export type ReviewDecisionKind = 'escalate' | 'revise' | 'continue' | 'complete';

/** Everything a decision depends on: the same input always gives the same decision (replay). */
export interface DecisionInput {
  verdict: Verdict;
  /** Revision rounds this assignment has had (earlier `revise` decisions). */
  roundsUsed: number;
  /** `review.maxRounds` of the session. */
  maxRounds: number;
  /** The review was triggered by the assignment finishing. */
  finished: boolean;
}

/** A decision, the rule that made it, and the inputs it saw (journaled as `review.decision`). */
export interface ReviewDecision {
  rule: 1 | 2 | 3 | 4;
  decision: ReviewDecisionKind;
  inputs: { verdict: Verdict; maxSeverity: Severity | null; roundsUsed: number; maxRounds: number; finished: boolean };
}

/** The highest severity among the verdict's issues, or null when it has none. */
export function maxSeverity(verdict: Verdict): Severity | null {
  let best = -1;
  for (const issue of verdict.issues) best = Math.max(best, SEVERITIES.indexOf(issue.severity));
  return best === -1 ? null : (SEVERITIES[best] ?? null);
}

/**
 * The four rules; the first that matches wins (docs/reviews.md):
 * 1. a `block` verdict or any `critical` issue → escalate;
 * 2. `request_changes` or any `high` issue, with revision rounds left → revise;
 * 3. `request_changes` or any `high` issue, no rounds left → escalate;
 * 4. otherwise → continue, or complete when the review was of the finished assignment.
 * Rule 3 names `high` issues too, so an approve that carries a high issue escalates once the
 * rounds are spent instead of slipping through as an approval.
 */
export function decideReview(input: DecisionInput): ReviewDecision {
  const { verdict, roundsUsed, maxRounds, finished } = input;
  const severity = maxSeverity(verdict);
  const inputs = { verdict, maxSeverity: severity, roundsUsed, maxRounds, finished };
  if (verdict.verdict === 'block' || severity === 'critical') return { rule: 1, decision: 'escalate', inputs };
  const wantsChanges = verdict.verdict === 'request_changes' || severity === 'high';
  if (wantsChanges && roundsUsed < maxRounds) return { rule: 2, decision: 'revise', inputs };
  if (wantsChanges) return { rule: 3, decision: 'escalate', inputs };
  return { rule: 4, decision: finished ? 'complete' : 'continue', inputs };
}
