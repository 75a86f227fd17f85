import { z } from 'zod';
import type { JournalEntry } from '../session/journal-entry.js';

/**
 * The review settings a session ran with, as the supervisor writes them into `session.started`
 * (`review: {enabled, maxRounds, timerMs, strict}`), so replay decides with the same numbers.
 */
export interface ReviewSettings {
  enabled: boolean;
  /** Revision rounds an assignment may get before a request for changes escalates. */
  maxRounds: number;
  /** Fallback timer in ms; 0 = off. */
  timerMs: number;
  /** A degraded review fails the session. */
  strict: boolean;
}

/** The config defaults (src/config/schema.ts `review`), for a live tracker before `session.started`. */
export const DEFAULT_REVIEW_SETTINGS: ReviewSettings = { enabled: true, maxRounds: 2, timerMs: 0, strict: false };

const settingsSchema = z.object({
  enabled: z.boolean().default(true),
  maxRounds: z.number().int().min(0).default(2),
  timerMs: z.number().min(0).default(0),
  strict: z.boolean().default(false),
});

/**
 * The settings journaled in a `session.started` entry. A `session.started` without a `review`
 * field (a journal from before reviews existed) means reviews were off; an unreadable one is
 * treated the same, so replay never invents reviews the session could not have made.
 */
export function readReviewSettings(entry: JournalEntry): ReviewSettings {
  const parsed = settingsSchema.safeParse(entry['review']);
  if (entry['review'] === undefined || !parsed.success) return { ...DEFAULT_REVIEW_SETTINGS, enabled: false };
  return parsed.data;
}
