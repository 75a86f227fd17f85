import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decideReview } from '../../../src/review/decide.js';
import { reviewRecordName, reviewRecordPath, writeReviewRecord, type ReviewRecord } from '../../../src/review/review-record.js';

let dir: string;
beforeEach(() => void (dir = mkdtempSync(path.join(os.tmpdir(), 'review-record-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('review records', () => {
  it('are named <nnn>-<reviewer>-reviews-<author>.json', () => {
    expect(reviewRecordName(1, 'codex', 'claude')).toBe('001-codex-reviews-claude.json');
    expect(reviewRecordName(1234, 'orchestrate', 'gemini')).toBe('1234-orchestrate-reviews-gemini.json');
    expect(reviewRecordPath('/s/reviews', 7, 'claude', 'claude')).toBe('/s/reviews/007-claude-reviews-claude.json');
  });

  it('are written whole, creating reviews/, with no temp file left', () => {
    const verdict = { verdict: 'approve' as const, summary: 'fine', issues: [] };
    const record: ReviewRecord = {
      review: 1,
      assignment: '2-implementation-claude',
      author: 'claude',
      reviewer: 'gemini',
      tier: 'other',
      degraded: false,
      trigger: { kind: 'finished', cause: 40 },
      request: {
        promptFile: 'agents/gemini/review-1/prompt.md',
        diffStats: { added: 1, modified: 0, deleted: 0, bytesShown: 10, bytesCut: 0 },
        cut: [],
      },
      rawOutput: 'agents/gemini/review-1/stdout.jsonl',
      attempts: [
        {
          tier: 'preferred',
          reviewer: 'codex',
          reason: 'no JSON object found in the answer',
          rawOutput: 'agents/codex/review-1/stdout.jsonl',
        },
      ],
      verdict,
      decision: decideReview({ verdict, roundsUsed: 0, maxRounds: 2, finished: true }),
    };
    const file = reviewRecordPath(path.join(dir, 'reviews'), 1, 'gemini', 'claude');
    writeReviewRecord(file, record);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(record);
    expect(readdirSync(path.join(dir, 'reviews'))).toEqual(['001-gemini-reviews-claude.json']);
  });
});
