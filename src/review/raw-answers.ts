import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { isAgentId } from '../agents/agent-id.js';
import { getAdapter } from '../agents/registry.js';
import type { ReviewerAnswer } from './replay.js';

/**
 * What each reviewer really answered, read again from the raw stdout its review record names and
 * parsed by that CLI's adapter: the last final event's structured answer and text. Reviews whose
 * raw output is gone (or orchestrate's mechanical ones) are left out; replay then uses the journal.
 */
export function readRawAnswers(sessionDir: string): Map<number, ReviewerAnswer> {
  const answers = new Map<number, ReviewerAnswer>();
  const dir = path.join(sessionDir, 'reviews');
  if (!existsSync(dir)) return answers;
  for (const name of readdirSync(dir)
    .filter((n) => /^\d+-.*\.json$/.test(n))
    .sort()) {
    let record: { review?: unknown; reviewer?: unknown; rawOutput?: unknown };
    try {
      record = JSON.parse(readFileSync(path.join(dir, name), 'utf8')) as typeof record;
    } catch {
      continue; // an unreadable record: the journal's own answer is used
    }
    if (
      typeof record.review !== 'number' ||
      typeof record.rawOutput !== 'string' ||
      typeof record.reviewer !== 'string' ||
      !isAgentId(record.reviewer)
    )
      continue;
    const file = path.resolve(sessionDir, record.rawOutput);
    if (!existsSync(file)) continue;
    const parser = getAdapter(record.reviewer).createParser();
    let answer: ReviewerAnswer | undefined;
    const events = [
      ...readFileSync(file, 'utf8')
        .split('\n')
        .flatMap((line) => parser.parseLine(line)),
      ...parser.flush(),
    ];
    for (const e of events) {
      if (e.type !== 'agent.result') continue;
      answer = { ...(e.structured !== undefined ? { structured: e.structured } : {}), ...(e.text !== undefined ? { text: e.text } : {}) };
    }
    if (answer) answers.set(record.review, answer);
  }
  return answers;
}
