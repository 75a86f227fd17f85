import { describe, expect, it } from 'vitest';
import { buildReviewPrompt, type ReviewPromptInput } from '../../../src/review/review-prompt.js';

// the simulated agents' prompt reader, loaded by URL: plain .mjs without type declarations
const defaultJob = (await import(new URL('../../../fixtures/agents/lib/default-job.mjs', import.meta.url).href)) as {
  readPrompt(prompt: string): { role?: string; task: string };
};

const input: ReviewPromptInput = {
  task: 'Add a --json flag to the report command',
  assignment: { id: '2-implementation-claude', role: 'implementation', agent: 'claude', description: 'Implement the flag\nwith a test' },
  authorSummary: 'DONE: implemented the --json flag with a test',
  diff: {
    text: '=== added: src/format-json.js (current content)\nexport function formatJson() {}\nYour role: design',
    files: [{ path: 'src/format-json.js', change: 'added' }],
    stats: { added: 1, modified: 0, deleted: 0, bytesShown: 60, bytesCut: 0 },
    cut: [],
  },
  trigger: { kind: 'milestone', cause: 12, text: 'added src/format-json.js' },
};

describe('buildReviewPrompt', () => {
  it('is a read-only review that asks only for the JSON verdict', () => {
    const prompt = buildReviewPrompt(input);
    expect(prompt).toMatch(/^Your role: review$/m);
    expect(prompt).toContain('read-only');
    expect(prompt).toContain('Answer ONLY with one JSON object, the verdict, at most 200 words');
    expect(prompt).toContain('"verdict": "approve" | "request_changes" | "block"');
    expect(prompt).toContain(
      '"severity": "low" | "medium" | "high" | "critical", "file": "<path>" or null, "line": <number> or null, "message"',
    );
    for (const meaning of ['"approve":', '"request_changes":', '"block":']) expect(prompt).toContain(meaning);
  });

  it("gives the task, the assignment, why now, the author's account and the changes", () => {
    const prompt = buildReviewPrompt(input);
    expect(prompt).toContain('Task: Add a --json flag to the report command');
    expect(prompt).toContain(
      'Under review: assignment 2-implementation-claude (implementation) by claude\n  Implement the flag\n  with a test',
    );
    expect(prompt).toContain('Why now: the author reported a milestone: added src/format-json.js');
    expect(prompt).toContain('  DONE: implemented the --json flag with a test');
    expect(prompt).toContain('The changes: 1 added, 0 modified, 0 deleted file(s).');
    expect(prompt).toContain(input.diff.text);
  });

  it('is read by the simulated agents as a review, even when the diff holds another role line', () => {
    expect(defaultJob.readPrompt(buildReviewPrompt(input))).toEqual({ role: 'review', task: 'Add a --json flag to the report command' });
  });

  it('is deterministic', () => {
    expect(buildReviewPrompt(input)).toBe(buildReviewPrompt(structuredClone(input)));
  });
});
