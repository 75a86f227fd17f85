import { describe, expect, it } from 'vitest';
import type { JournalEntry } from '../../../src/session/journal-entry.js';
import { journalFilter } from '../../../src/session/journal-filter.js';

const entries: JournalEntry[] = [
  { seq: 1, time: 't', type: 'session.started' },
  { seq: 2, time: 't', type: 'agent.report', agent: 'claude' },
  { seq: 3, time: 't', type: 'agent.report', agent: 'gemini' },
  { seq: 4, time: 't', type: 'assignment.started', agent: 'claude' },
  { seq: 5, time: 't', type: 'safety.sandbox_off' },
  // a type this version does not know (a journal from a later one)
  { seq: 6, time: 't', type: 'agent.reporter', agent: 'claude' } as unknown as JournalEntry,
];
const seqs = (filter: Parameters<typeof journalFilter>[0]): number[] => entries.filter(journalFilter(filter)).map((e) => e.seq);

describe('journalFilter', () => {
  it('passes everything without a filter', () => {
    expect(seqs({})).toEqual([1, 2, 3, 4, 5, 6]);
  });
  it('filters by agent, one or a comma-separated list', () => {
    expect(seqs({ agent: 'claude' })).toEqual([2, 4, 6]);
    expect(seqs({ agent: 'claude,gemini' })).toEqual([2, 3, 4, 6]);
  });
  it('matches a type exactly, or by a prefix ending with "." or "*"', () => {
    expect(seqs({ type: 'agent.report' })).toEqual([2, 3]);
    expect(seqs({ type: 'agent.' })).toEqual([2, 3, 6]);
    expect(seqs({ type: 'safety.*' })).toEqual([5]);
    expect(seqs({ type: 'agent.rep*' })).toEqual([2, 3, 6]);
    expect(seqs({ type: '*' })).toEqual([1, 2, 3, 4, 5, 6]);
    expect(seqs({ type: 'agent' })).toEqual([]);
  });
  it('combines agent and type', () => {
    expect(seqs({ agent: 'claude', type: 'agent.' })).toEqual([2, 6]);
  });
});
