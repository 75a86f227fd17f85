import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPlanFile } from '../../../src/plan/plan-file.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'plan-file-'));
const write = (name: string, value: unknown): string => {
  const file = path.join(dir, name);
  writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value));
  return file;
};

describe('loadPlanFile', () => {
  it('normalises weights and keeps independent assignments without dependencies', () => {
    const file = write('ok.json', {
      assignments: [
        { id: 'a', agent: 'claude', title: 'one', weight: 3 },
        { id: 'b', agent: 'codex', title: 'two', weight: 1 },
        { id: 'c', agent: 'claude', title: 'three', weight: 1, dependsOn: ['a', 'b'] },
      ],
    });
    const plan = loadPlanFile(file, 'task', ['claude', 'codex'], 100_000);
    expect(plan.assignments.map((a) => a.weight)).toEqual([0.6, 0.2, 0.2]);
    // windows follow the critical path a -> c (0.8): a 0.6/0.8, c 0.2/0.8; b shares a's window
    // along its own chain b -> c (0.4): 0.2/0.4, not a split of the session
    expect(plan.assignments.map((a) => a.budgetMs)).toEqual([75_000, 50_000, 25_000]);
    expect(plan.tier.name).toBe('claude+codex');
  });

  it.each([
    ['bad-json.json', '{ nope', /not valid JSON|cannot read plan/],
    ['bad-agent.json', { assignments: [{ id: 'a', agent: 'gpt', title: 't', weight: 1 }] }, /assignments\.0\.agent/],
    ['bad-weight.json', { assignments: [{ id: 'a', agent: 'claude', title: 't', weight: -1 }] }, /assignments\.0\.weight/],
    [
      'unknown-dep.json',
      { assignments: [{ id: 'a', agent: 'claude', title: 't', weight: 1, dependsOn: ['x'] }] },
      /assignments\.0\.dependsOn\.0: unknown assignment "x"/,
    ],
    [
      'cycle.json',
      {
        assignments: [
          { id: 'a', agent: 'claude', title: 't', weight: 1, dependsOn: ['b'] },
          { id: 'b', agent: 'claude', title: 't', weight: 1, dependsOn: ['a'] },
        ],
      },
      /dependency cycle: a -> b -> a/,
    ],
    [
      'unavailable.json',
      { assignments: [{ id: 'a', agent: 'gemini', title: 't', weight: 1 }] },
      /unavailable\.json:\d+:\d+: assignments\.0\.agent: gemini is not available/,
    ],
    ['extra-key.json', { assignments: [{ id: 'a', agent: 'claude', title: 't', weight: 1, colour: 'red' }] }, /assignments\.0/],
  ])('rejects %s naming the field', (name, content, message) => {
    const file = write(name, content);
    expect(() => loadPlanFile(file, 'task', ['claude', 'codex'], 1000)).toThrow(message);
  });
});
