import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { AgentId } from '../agents/agent-id.js';
import { writeJsonAtomic } from '../session/atomic-write.js';
import type { ReviewDecision } from './decide.js';
import type { ReviewerTier } from './matrix.js';
import type { ReviewDiff } from './review-diff.js';
import type { ReviewTrigger } from './triggers.js';
import type { Verdict } from './verdict.js';

/** A tier that yielded no valid verdict (also journaled as `review.failed`). */
export interface FailedAttempt {
  tier: ReviewerTier;
  reviewer: AgentId | 'orchestrate';
  reason: string;
  /** The failed run's stdout, relative to the session directory, when an agent ran. */
  rawOutput?: string;
}

/** `reviews/<nnn>-<reviewer>-reviews-<author>.json`: one review, whole, for a person or an auditor. */
export interface ReviewRecord {
  review: number;
  assignment: string;
  author: AgentId;
  reviewer: AgentId | 'orchestrate';
  tier: ReviewerTier;
  degraded: boolean;
  trigger: ReviewTrigger;
  /** What the reviewer was given: the prompt's file (relative to the session) or the prompt itself. */
  request: { promptFile?: string; prompt?: string; diffStats: ReviewDiff['stats']; cut: string[] };
  /** The verdict run's stdout, relative to the session directory (`agents/<agent>/<run>/stdout.jsonl`). */
  rawOutput?: string;
  /** Tiers tried before this one, in order. */
  attempts: FailedAttempt[];
  verdict: Verdict;
  decision: ReviewDecision;
}

/** The record's file name: `001-codex-reviews-claude.json` (the review number, 3 digits or more). */
export function reviewRecordName(review: number, reviewer: string, author: string): string {
  return `${String(review).padStart(3, '0')}-${reviewer}-reviews-${author}.json`;
}

/** The record's path in the session's `reviews/` directory. */
export function reviewRecordPath(reviewsDir: string, review: number, reviewer: string, author: string): string {
  return path.join(reviewsDir, reviewRecordName(review, reviewer, author));
}

/** Writes a record atomically (readers see the old file or the whole new one), creating `reviews/`. */
export function writeReviewRecord(file: string, record: ReviewRecord): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeJsonAtomic(file, record);
}
