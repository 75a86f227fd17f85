import { describe, expect, it } from 'vitest';
import { describeEntry } from '../../../src/dashboard/describe-entry.js';
import type { JournalEntry } from '../../../src/session/journal-entry.js';

const entry = (type: string, fields: Record<string, unknown> = {}): JournalEntry =>
  ({ seq: 1, time: 't', type, ...fields }) as JournalEntry;

describe('describeEntry', () => {
  it('does not repeat report lines that get their own agent.report entry', () => {
    expect(describeEntry(entry('agent.message', { text: 'MILESTONE: a\nDONE: b' }))).toBeUndefined();
    expect(describeEntry(entry('agent.message', { text: 'Looked around.\n**MILESTONE:** a' }))).toBe('says: Looked around.');
  });
  it('describes decisions a person needs to read', () => {
    expect(describeEntry(entry('agent.exited', { code: 1, signal: null, status: 'failed', reason: 'ended without its final event' }))).toBe(
      'exited with code 1: failed (ended without its final event)',
    );
    expect(describeEntry(entry('agent.tool_call', { kind: 'shell', command: 'npm test' }))).toBe('runs: npm test');
    expect(describeEntry(entry('safety.sandbox_off', { reason: '--no-sandbox was given' }))).toContain('WARNING');
  });
  it('tells a person when a parked agent goes on, and that a ceiling stopped the session (issue 18)', () => {
    const until = '2026-11-21T13:00:00.000Z';
    expect(describeEntry(entry('recovery.parked', { cause: 'gemini.api-rate-limit', until, detail: 'x' }))).toBe(
      `recovery: parked until ${until} (gemini.api-rate-limit)`,
    );
    expect(describeEntry(entry('recovery.unparked', { cause: 'gemini.api-rate-limit', until, waitedMs: 3_600_000 }))).toBe(
      `recovery: going on after the rate limit reset at ${until} (waited 3600 s)`,
    );
    expect(describeEntry(entry('budget.reached', { ceiling: 'cost', reason: 'the cost ceiling of $1 was reached ($1.2 spent)' }))).toBe(
      'CEILING REACHED: the cost ceiling of $1 was reached ($1.2 spent); no more work starts (resume with a higher --max-cost / --max-tokens)',
    );
  });
  it('clips long text to one line', () => {
    const text = describeEntry(entry('agent.message', { text: 'x'.repeat(500) })) ?? '';
    expect(text.length).toBeLessThanOrEqual(170);
  });
  it('makes every run of whitespace of any kind one space, as /\\s+/ does (seeded random text)', () => {
    let seed = 7;
    const next = (n: number): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) >>> 8) % n;
    const alphabet = ['a', 'é', ' ', ' ', '\t', '\n', '\r', '\v', '\f', '\u00a0', '\u2003', '\u3000', '\ufeff', '\u2028'];
    for (let round = 0; round < 2000; round++) {
      const message = Array.from({ length: next(200) }, () => alphabet[next(alphabet.length)]).join('');
      const one = message.replace(/\s+/g, ' ').trim();
      const expected = `error: ${one.length > 160 ? `${one.slice(0, 159)}…` : one}`;
      expect(describeEntry(entry('agent.error', { message })), JSON.stringify(message)).toBe(expected);
    }
  });
});
