import { describe, expect, it } from 'vitest';
import { LiveState } from '../../../src/dashboard/live-state.js';
import type { JournalEntry } from '../../../src/session/journal-entry.js';

const T0 = Date.parse('2026-12-05T12:00:00.000Z');
let seq = 0;
const at = (ms: number, e: Omit<JournalEntry, 'seq' | 'time'>): JournalEntry =>
  ({ seq: ++seq, time: new Date(T0 + ms).toISOString(), ...e }) as JournalEntry;

describe('LiveState: spend and windows (issue 18)', () => {
  it("knows the ceilings, sums tokens, marks unknown prices, and takes each launch's re-balanced window", () => {
    const s = new LiveState();
    s.apply(at(0, { type: 'session.started', ceilings: { costUsd: 2, tokens: 1000 } }));
    s.apply(at(0, { type: 'assignment.started', agent: 'gemini', assignment: 'a', budgetMs: 60_000 }));
    s.apply(at(5_000, { type: 'budget.launch', agent: 'gemini', assignment: 'a', run: 'a', windowMs: 100_000, share: {} }));
    s.apply(at(6_000, { type: 'agent.launched', agent: 'gemini', assignment: 'a', run: 'a' }));
    s.apply(
      at(7_000, { type: 'agent.usage', agent: 'gemini', assignment: 'a', inputTokens: 100, outputTokens: 20, costSource: 'unknown' }),
    );
    expect(s.ceilings).toEqual({ costUsd: 2, tokens: 1000 });
    expect(s.tokens).toBe(120);
    expect(s.costUnknown).toBe(true);
    expect(s.visible()[0]).toMatchObject({ budgetMs: 105_000, costUnknown: true, tokens: 120, costUsd: 0 });
  });
});
