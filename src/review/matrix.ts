import type { AgentId } from '../agents/agent-id.js';

/** Who reviews whose work by default: author → reviewer (a ring, so nobody reviews itself). */
export const DEFAULT_MATRIX: Readonly<Record<AgentId, AgentId>> = {
  claude: 'codex',
  gemini: 'claude',
  codex: 'gemini',
};

/** How independent a reviewer is; tried in this order. */
export type ReviewerTier = 'preferred' | 'other' | 'self' | 'mechanical';

/** One reviewer to try. `degraded`: not an independent agent's review (`review.strict` fails on it). */
export interface ReviewerStep {
  tier: ReviewerTier;
  reviewer: AgentId | 'orchestrate';
  degraded: boolean;
  reason: string;
}

/**
 * The reviewers to try for `author`'s work, in order: the matrix's reviewer when it is available
 * and not the author; every other available agent (in `available`'s order); a fresh session of
 * the author's own CLI (degraded: not independent); orchestrate's mechanical review (degraded).
 * The next step is tried when one yields no valid verdict. Pure and deterministic.
 */
export function reviewerChain(
  author: AgentId,
  available: readonly AgentId[],
  matrix: Partial<Record<AgentId, AgentId>> = {},
): ReviewerStep[] {
  const preferred = matrix[author] ?? DEFAULT_MATRIX[author];
  const seen = new Set<AgentId>([author]);
  const steps: ReviewerStep[] = [];
  if (preferred !== author && available.includes(preferred)) {
    seen.add(preferred);
    steps.push({
      tier: 'preferred',
      reviewer: preferred,
      degraded: false,
      reason: `the matrix names ${preferred} to review ${author}'s work`,
    });
  }
  const why =
    preferred === author
      ? `the matrix names ${author} itself`
      : available.includes(preferred)
        ? `in case ${preferred} gives no valid verdict`
        : `${preferred} (the matrix's reviewer for ${author}) is not available`;
  for (const agent of available) {
    if (seen.has(agent)) continue;
    seen.add(agent);
    steps.push({ tier: 'other', reviewer: agent, degraded: false, reason: `another available agent: ${why}` });
  }
  if (available.includes(author)) {
    steps.push({
      tier: 'self',
      reviewer: author,
      degraded: true,
      reason: `no other agent gave a verdict: a fresh ${author} session reviews ${author}'s own work (not independent)`,
    });
  }
  steps.push({
    tier: 'mechanical',
    reviewer: 'orchestrate',
    degraded: true,
    reason: "no agent gave a verdict: orchestrate's mechanical review (the project's tests and the diff statistics)",
  });
  return steps;
}
