import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseVerdict, repairPrompt, VERDICT_JSON_SCHEMA, VerdictSchema } from '../../../src/review/verdict.js';

const approve = { verdict: 'approve', summary: 'Small, tested, does what the task asks.', issues: [] };
const withIssue = {
  verdict: 'request_changes',
  summary: 'The flag works but has no test.',
  issues: [{ severity: 'high', file: 'bin/report.js', line: 12, message: 'Add a test for --json.' }],
};

function failure(answer: Parameters<typeof parseVerdict>[0]): string {
  const r = parseVerdict(answer);
  if (r.ok) throw new Error(`expected a failure, got ${JSON.stringify(r.verdict)}`);
  return r.error;
}

describe('VerdictSchema', () => {
  it('accepts a verdict with and without issue locations', () => {
    expect(VerdictSchema.parse(withIssue)).toEqual(withIssue);
    expect(VerdictSchema.parse({ ...approve, issues: [{ severity: 'low', message: 'a nit' }] }).issues[0]).toEqual({
      severity: 'low',
      message: 'a nit',
    });
  });

  it('takes codex-style nulls for file and line and drops them', () => {
    const v = VerdictSchema.parse({ ...approve, issues: [{ severity: 'medium', file: null, line: null, message: 'm' }] });
    expect(v.issues[0]).toEqual({ severity: 'medium', message: 'm' });
  });

  it('rejects unknown keys (the old "description" field) and unknown severities', () => {
    expect(VerdictSchema.safeParse({ ...approve, issues: [{ severity: 'major', description: 'x' }] }).success).toBe(false);
    expect(VerdictSchema.safeParse({ ...approve, extra: 1 }).success).toBe(false);
  });

  it('rejects a summary over 200 words and an empty one', () => {
    expect(VerdictSchema.safeParse({ ...approve, summary: 'word '.repeat(200) }).success).toBe(true);
    expect(VerdictSchema.safeParse({ ...approve, summary: 'word '.repeat(201) }).success).toBe(false);
    expect(VerdictSchema.safeParse({ ...approve, summary: '  ' }).success).toBe(false);
  });

  it('rejects a line that is not a positive whole number', () => {
    for (const line of [0, -3, 1.5, '7']) {
      expect(VerdictSchema.safeParse({ ...approve, issues: [{ severity: 'low', line, message: 'm' }] }).success).toBe(false);
    }
  });
});

describe('parseVerdict', () => {
  it('prefers the structured output over the text', () => {
    expect(parseVerdict({ structured: approve, text: JSON.stringify(withIssue) })).toEqual({ ok: true, verdict: approve });
  });

  it('reads structured output given as its JSON text', () => {
    expect(parseVerdict({ structured: JSON.stringify(approve) })).toEqual({ ok: true, verdict: approve });
  });

  it('reads the whole text as JSON (codex agent_message with --output-schema)', () => {
    expect(parseVerdict({ text: `  ${JSON.stringify(withIssue)}\n` })).toEqual({ ok: true, verdict: withIssue });
  });

  it('reads the last ```json fence', () => {
    const text = `Example:\n\`\`\`json\n{"verdict":"block"}\n\`\`\`\nMy verdict:\n\`\`\`json\n${JSON.stringify(approve, null, 2)}\n\`\`\`\n`;
    expect(parseVerdict({ text })).toEqual({ ok: true, verdict: approve });
  });

  it('reads the last balanced object in prose, not an issue inside it, despite stray braces and quotes', () => {
    const text = `I looked at {the code" and "it} is {"a": "}"} fine.\nHere it is: ${JSON.stringify(withIssue)} Thanks!`;
    expect(parseVerdict({ text })).toEqual({ ok: true, verdict: withIssue });
  });

  it('says so when the answer is prose', () => {
    expect(failure({ text: 'I had a look and it seems mostly fine.' })).toMatch(/no JSON object found/);
    expect(failure({ text: '' })).toMatch(/no answer/);
    expect(failure({})).toMatch(/no answer/);
  });

  it('names the failing field of valid JSON that is not a verdict', () => {
    expect(failure({ structured: { ...approve, verdict: 'lgtm' } })).toBe(
      'the verdict does not match the schema: verdict: expected one of "approve" | "request_changes" | "block", got "lgtm"',
    );
    expect(failure({ text: JSON.stringify({ ...approve, issues: [{ severity: 'major', message: 'm' }] }) })).toContain(
      'issues.0.severity: expected one of',
    );
    expect(failure({ structured: { summary: 's', issues: [] } })).toContain('verdict: is required');
    expect(failure({ structured: { ...approve, summary: 'w '.repeat(250) } })).toContain('summary: must be at most 200 words, got 250');
  });
});

describe('VERDICT_JSON_SCHEMA', () => {
  // codex sends the schema as a strict OpenAI json_schema format: every object closed, every property required
  function objects(node: unknown, found: Array<Record<string, unknown>> = []): Array<Record<string, unknown>> {
    if (typeof node !== 'object' || node === null) return found;
    const o = node as Record<string, unknown>;
    if (o['type'] === 'object') found.push(o);
    for (const value of Object.values(o)) objects(value, found);
    return found;
  }

  it('meets the strict structured-output rules: additionalProperties false, all properties required', () => {
    const all = objects(VERDICT_JSON_SCHEMA);
    expect(all).toHaveLength(2);
    for (const o of all) {
      expect(o['additionalProperties']).toBe(false);
      expect([...(o['required'] as string[])].sort()).toEqual(Object.keys(o['properties'] as object).sort());
    }
  });

  it('accepts and rejects the same answers as VerdictSchema (word limit aside)', () => {
    const fromJson = z.fromJSONSchema(JSON.parse(JSON.stringify(VERDICT_JSON_SCHEMA)));
    const table: Array<[unknown, boolean]> = [
      [approve, true],
      [{ ...withIssue, issues: [{ ...withIssue.issues[0], file: null, line: null }] }, true],
      [{ ...approve, verdict: 'lgtm' }, false],
      [{ ...approve, issues: [{ severity: 'major', file: null, line: null, message: 'm' }] }, false],
      [{ ...approve, issues: [{ severity: 'low', file: null, line: 0, message: 'm' }] }, false],
      [{ ...approve, extra: true }, false],
      [{ verdict: 'approve', issues: [] }, false],
    ];
    for (const [value, valid] of table) {
      expect({ value, ok: fromJson.safeParse(value).success }).toEqual({ value, ok: valid });
      expect({ value, ok: VerdictSchema.safeParse(value).success }).toEqual({ value, ok: valid });
    }
  });
});

describe('repairPrompt', () => {
  it('keeps the review role, quotes the error and restates the schema', () => {
    const prompt = repairPrompt('verdict: expected one of …, got "lgtm"');
    expect(prompt).toMatch(/^Your role: review$/m);
    expect(prompt).toContain('got "lgtm"');
    expect(prompt).toContain(JSON.stringify(VERDICT_JSON_SCHEMA));
  });
});
