import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { replaySession } from '../../../src/review/replay.js';
import type { JournalEntry } from '../../../src/session/journal-entry.js';
import { readJournal } from '../../../src/session/read-journal.js';

const journals = path.join(path.dirname(fileURLToPath(import.meta.url)), 'journals');
const load = (name: string): JournalEntry[] => readJournal(path.join(journals, name)).entries;
const edit = (entries: JournalEntry[], seq: number, change: (e: JournalEntry) => JournalEntry | undefined): JournalEntry[] =>
  entries.flatMap((e) => (e.seq === seq ? (change(structuredClone(e)) ?? []) : [e]));

describe('replaySession', () => {
  it('agrees with a journal written by the rules: triggers, coalescing, deferral, revise, complete', () => {
    expect(replaySession(load('matching.jsonl'))).toEqual({ triggers: 7, decisions: 4, differences: [] });
  });

  it('reports a verdict hand-edited from approve to block', () => {
    const report = replaySession(load('verdict-edited.jsonl'));
    expect(report.differences).toEqual([
      {
        seq: 13,
        review: 1,
        what: 'review.decision for review 1 differs',
        expected: { assignment: '1-design-gemini', rule: 1, decision: 'escalate' },
        actual: { assignment: '1-design-gemini', rule: 4, decision: 'continue' },
      },
    ]);
  });

  it('reports a review request missing from the journal', () => {
    const report = replaySession(edit(load('matching.jsonl'), 21, () => undefined));
    expect(report.differences.map((d) => d.what)).toEqual(['missing review.requested for 2-implementation-claude (cause seq 20)']);
  });

  it('reports an extra review request no trigger asked for', () => {
    const entries = [...load('matching.jsonl')];
    entries.push({
      seq: 38,
      time: 't',
      type: 'review.requested',
      assignment: '2-implementation-claude',
      review: 5,
      author: 'claude',
      trigger: { kind: 'timer', cause: 36 },
    });
    expect(replaySession(entries).differences).toEqual([
      {
        seq: 38,
        review: 5,
        what: 'unexpected review.requested: no trigger for 2-implementation-claude at cause seq 36',
        expected: null,
        actual: { entry: 'review.requested', assignment: '2-implementation-claude', kind: 'timer', cause: 36, review: 5 },
      },
    ]);
  });

  it('reports a trigger journaled as a request where the rules coalesce it', () => {
    const entries = edit(load('matching.jsonl'), 10, (e) => ({ ...e, type: 'review.requested', review: 9 }));
    const [d] = replaySession(entries).differences;
    expect(d).toMatchObject({
      seq: 10,
      what: 'trigger of 1-design-gemini (cause seq 9) differs',
      expected: { entry: 'review.coalesced', review: 1 },
      actual: { entry: 'review.requested', review: 9 },
    });
  });

  it('reports a missing decision and a verdict that fails the schema', () => {
    const noDecision = replaySession(edit(load('matching.jsonl'), 18, () => undefined));
    expect(noDecision.differences.map((d) => d.what)).toEqual(['missing review.decision for review 2']);
    const invalid = replaySession(
      edit(load('matching.jsonl'), 17, (e) => ({ ...e, verdict: { verdict: 'lgtm', summary: 's', issues: [] } })),
    );
    expect(invalid.differences.map((d) => d.what)).toEqual([
      'review.verdict does not validate against the verdict schema',
      'review.decision for review 2 without a valid review.verdict',
    ]);
  });

  it('decides with the maxRounds journaled in session.started', () => {
    // no revision round allowed: review 3's request for changes escalates (rule 3) instead of revising
    const entries = edit(
      load('matching.jsonl'),
      1,
      (e) => ({ ...e, review: { enabled: true, maxRounds: 0, timerMs: 0, strict: false } }) as JournalEntry,
    );
    expect(replaySession(entries).differences.find((d) => d.review === 3)).toMatchObject({
      expected: { rule: 3, decision: 'escalate' },
      actual: { rule: 2, decision: 'revise' },
    });
  });
});
