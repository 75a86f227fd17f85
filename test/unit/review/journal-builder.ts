import type { ReportKind } from '../../../src/events/agent-event.js';
import type { JournalEntry, JournalInput } from '../../../src/session/journal-entry.js';

/** Numbers hand-written entries as the journal would (seq from 1, a fixed time). */
export function journal(...inputs: JournalInput[]): JournalEntry[] {
  return inputs.map((input, i) => ({ seq: i + 1, time: '2026-11-21T12:00:00.000Z', ...input }) as JournalEntry);
}

/** `session.started` with the review block the supervisor journals. */
export const started = (review: Record<string, unknown> = { enabled: true, maxRounds: 2, timerMs: 0, strict: false }): JournalInput => ({
  type: 'session.started',
  sessionId: 's',
  review,
});

export const assignmentStarted = (agent: string, assignment: string, extra: Record<string, unknown> = {}): JournalInput => ({
  type: 'assignment.started',
  agent,
  assignment,
  role: 'implementation',
  ...extra,
});

export const report = (
  agent: string,
  assignment: string,
  kind: string,
  text: string,
  extra: Record<string, unknown> = {},
): JournalInput => ({
  type: 'agent.report',
  agent,
  assignment,
  kind: kind as ReportKind, // tests pass kinds the parser would never make, too
  text,
  ...extra,
});

export const finished = (agent: string, assignment: string, status = 'succeeded', extra: Record<string, unknown> = {}): JournalInput => ({
  type: 'assignment.finished',
  agent,
  assignment,
  status,
  ...extra,
});

export const decision = (review: number, assignment: string, d: string, rule = 4): JournalInput => ({
  type: 'review.decision',
  review,
  assignment,
  author: 'claude',
  rule,
  decision: d,
});
