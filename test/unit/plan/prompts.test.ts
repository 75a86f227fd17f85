import { describe, expect, it } from 'vitest';
import { decompose } from '../../../src/plan/decompose.js';
import { buildPrompt, REPORT_PROTOCOL } from '../../../src/plan/prompts.js';

describe('buildPrompt', () => {
  const plan = decompose({
    task: 'Add a --json flag to the report command',
    available: ['gemini', 'claude', 'codex'],
    timeoutMs: 30 * 60_000,
  });

  it('states role, share, the whole task, the other agents and the report protocol', () => {
    const prompt = buildPrompt(plan, plan.assignments[1]!);
    expect(prompt).toContain('Your role: implementation (implementation of the code and its tests)');
    expect(prompt).toContain('Your share: 45% of the session');
    expect(prompt).toContain('about 13m30s');
    expect(prompt).toContain('Task: Add a --json flag to the report command');
    expect(prompt).toContain('gemini has finished: Architecture and design');
    expect(prompt).toMatch(/codex: Review and validation .*15% of the budget\), after you/);
    expect(prompt).toContain(REPORT_PROTOCOL);
  });

  it('is deterministic', () => {
    expect(buildPrompt(plan, plan.assignments[0]!)).toBe(buildPrompt(plan, plan.assignments[0]!));
  });
});
