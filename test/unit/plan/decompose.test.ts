import { describe, expect, it } from 'vitest';
import type { AgentId } from '../../../src/agents/agent-id.js';
import { decompose, normaliseWeights } from '../../../src/plan/decompose.js';
import { tierFor } from '../../../src/plan/tier.js';

const task = 'Add a --json flag to the report command';
const plan = (available: AgentId[]) => decompose({ task, available, timeoutMs: 30 * 60_000 });

describe('decompose', () => {
  it('gives the same plan.json byte for byte for the same task, options and tier', () => {
    const a = JSON.stringify(plan(['gemini', 'claude', 'codex']), null, 2);
    const b = JSON.stringify(plan(['gemini', 'claude', 'codex']), null, 2);
    expect(a).toBe(b);
    expect(a).not.toMatch(/\d{4}-\d\d-\d\dT/); // no timestamps sneak in
  });

  it('uses the default roles and weights with all three agents', () => {
    const p = plan(['gemini', 'claude', 'codex']);
    expect(p.tier.name).toBe('all-three');
    expect(p.assignments.map((a) => [a.role, a.agent, a.weight])).toEqual([
      ['design', 'gemini', 0.4],
      ['implementation', 'claude', 0.45],
      ['validation', 'codex', 0.15],
    ]);
    expect(p.weights).toEqual({ gemini: 0.4, claude: 0.45, codex: 0.15 });
  });

  it.each([
    [['gemini', 'claude'], 'gemini+claude', ['gemini', 'claude', 'gemini'], { gemini: 0.55, claude: 0.45 }],
    [['gemini', 'codex'], 'gemini+codex', ['gemini', 'codex', 'gemini'], { gemini: 0.55, codex: 0.45 }],
    [['claude', 'codex'], 'claude+codex', ['claude', 'claude', 'codex'], { claude: 0.85, codex: 0.15 }],
    [['claude'], 'solo', ['claude', 'claude', 'claude'], { claude: 1 }],
    [['gemini'], 'solo', ['gemini', 'gemini', 'gemini'], { gemini: 1 }],
    [['codex'], 'solo', ['codex', 'codex', 'codex'], { codex: 1 }],
  ] as const)('tier %j → %s with roles %j and weights %j', (available, tier, agents, weights) => {
    const p = plan([...available]);
    expect(p.tier.name).toBe(tier);
    expect(p.assignments.map((a) => a.agent)).toEqual(agents);
    expect(p.weights).toEqual(weights);
    const total = Object.values(p.weights).reduce((s, w) => s + (w ?? 0), 0);
    expect(total).toBeCloseTo(1, 6);
  });

  it('never lets the implementer validate its own work when another agent is present', () => {
    for (const pair of [
      ['gemini', 'claude'],
      ['gemini', 'codex'],
      ['claude', 'codex'],
    ] as AgentId[][]) {
      const p = plan(pair);
      const impl = p.assignments.find((a) => a.role === 'implementation');
      const val = p.assignments.find((a) => a.role === 'validation');
      expect(val?.agent).not.toBe(impl?.agent);
    }
  });

  it('writes a reason for each choice', () => {
    const p = plan(['gemini', 'codex']);
    expect(p.tier.reason).toContain('gemini and codex');
    expect(p.assignments[1]?.reason).toBe('codex takes implementation because claude is unavailable');
    expect(p.assignments[2]?.reason).toBe('gemini validates because codex implements (no agent validates its own work)');
  });

  it('chains the phases and turns weights into time budgets', () => {
    const p = plan(['gemini', 'claude', 'codex']);
    expect(p.assignments.map((a) => a.dependsOn)).toEqual([[], ['1-design-gemini'], ['2-implementation-claude']]);
    expect(p.assignments.map((a) => a.budgetMs)).toEqual([720_000, 810_000, 270_000]);
  });

  it('re-normalises configured weights', () => {
    expect(normaliseWeights({ design: 2, implementation: 2, validation: 1 })).toEqual({
      design: 0.4,
      implementation: 0.4,
      validation: 0.2,
    });
  });

  it('honours configured role preferences', () => {
    const p = decompose({
      task,
      available: ['gemini', 'claude', 'codex'],
      timeoutMs: 60_000,
      rolePreferences: { design: ['claude'], implementation: ['codex'] },
    });
    expect(p.assignments.map((a) => a.agent)).toEqual(['claude', 'codex', 'gemini']);
  });

  it('names tiers independently of order', () => {
    expect(tierFor(['codex', 'claude'])).toBe('claude+codex');
    expect(tierFor(['claude', 'gemini', 'codex'])).toBe('all-three');
  });
});
