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
  it('clips long text to one line', () => {
    const text = describeEntry(entry('agent.message', { text: 'x'.repeat(500) })) ?? '';
    expect(text.length).toBeLessThanOrEqual(170);
  });
});
