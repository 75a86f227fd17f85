import { describe, expect, it } from 'vitest';
import { timeShares, windowAtStart, type BudgetNode } from '../../../src/budget/time-shares.js';

const MIN = 60_000;
const node = (id: string, weight: number, dependsOn: string[] = []): BudgetNode => ({ id, weight, dependsOn });
const parallel = (n: number): BudgetNode[] => Array.from({ length: n }, (_, i) => node(`p${i}`, 1 / n));

/** The time a plan takes when every assignment uses its whole window (longest finish time). */
function makespan(nodes: BudgetNode[], windows: Map<string, number>): number {
  const end = new Map<string, number>();
  const finish = (n: BudgetNode): number => {
    const known = end.get(n.id);
    if (known !== undefined) return known;
    const start = Math.max(0, ...n.dependsOn.map((d) => finish(nodes.find((m) => m.id === d) as BudgetNode)));
    const value = start + (windows.get(n.id) ?? 0);
    end.set(n.id, value);
    return value;
  };
  return Math.max(...nodes.map(finish));
}

describe('timeShares: windows along the critical path', () => {
  it.each<[string, BudgetNode[], number, Record<string, number>]>([
    [
      '32 parallel assignments in 10 minutes each get the whole window, not 19 s',
      parallel(32),
      10 * MIN,
      Object.fromEntries(parallel(32).map((n) => [n.id, 10 * MIN])),
    ],
    [
      'a chain splits by weight (the default decomposition)',
      [node('d', 0.4), node('i', 0.45, ['d']), node('v', 0.15, ['i'])],
      30 * MIN,
      { d: 12 * MIN, i: 13.5 * MIN, v: 4.5 * MIN },
    ],
    [
      'two parallel, then one after both',
      [node('api', 2), node('cli', 1), node('check', 1, ['api', 'cli'])],
      100_000,
      { api: 66_667, cli: 50_000, check: 33_333 },
    ],
    ['a single assignment gets everything', [node('solo', 1)], 5 * MIN, { solo: 5 * MIN }],
    [
      'a fan-out after one: each branch shares the window after the root',
      [node('root', 1), node('a', 1, ['root']), node('b', 1, ['root']), node('c', 3, ['root'])],
      80_000,
      { root: 20_000, a: 40_000, b: 40_000, c: 60_000 },
    ],
    [
      'two independent chains of different length',
      [node('a1', 1), node('a2', 1, ['a1']), node('b1', 1)],
      60_000,
      { a1: 30_000, a2: 30_000, b1: 60_000 },
    ],
  ])('%s', (_name, nodes, total, expected) => {
    const windows = timeShares(nodes, total);
    expect(Object.fromEntries(windows)).toEqual(expected);
    // no chain of windows is longer than the session
    expect(makespan(nodes, windows)).toBeLessThanOrEqual(total + nodes.length);
  });

  it('the old split by weight would give each of 32 parallel runs 19 s of a 10-minute session', () => {
    // the figure of the issue, for the record: weight × timeout
    expect(Math.round((1 / 32) * 10 * MIN)).toBe(18_750);
    expect(timeShares(parallel(32), 10 * MIN).get('p0')).toBe(10 * MIN);
  });

  it('refuses a cycle', () => {
    expect(() => timeShares([node('a', 1, ['b']), node('b', 1, ['a'])], 1000)).toThrow(/cycle/);
  });
});

describe('windowAtStart: re-balanced on the time that is left', () => {
  const chain = [node('d', 0.4), node('i', 0.45, ['d']), node('v', 0.15, ['i'])];

  it('a chain whose first step finished early gives the rest more time, in proportion', () => {
    // d took 2 of its 12 minutes: 28 minutes are left for i and v (0.45 : 0.15)
    expect(windowAtStart(chain, 'i', 28 * MIN, new Set(['d']))).toBe(21 * MIN);
    expect(windowAtStart(chain, 'v', 7 * MIN, new Set(['d', 'i']))).toBe(7 * MIN);
  });

  it('a late step leaves the rest less, never more than is left', () => {
    expect(windowAtStart(chain, 'i', 4 * MIN, new Set(['d']))).toBe(3 * MIN);
    expect(windowAtStart(chain, 'i', 0, new Set(['d']))).toBe(0);
    expect(windowAtStart(chain, 'i', -5, new Set(['d']))).toBe(0);
  });

  it('parallel assignments each get what is left, whatever their number', () => {
    expect(windowAtStart(parallel(32), 'p7', 10 * MIN)).toBe(10 * MIN);
  });

  it('a relaunch of a running assignment counts only what comes after it', () => {
    const plan = [node('api', 2), node('cli', 1), node('check', 1, ['api', 'cli'])];
    expect(windowAtStart(plan, 'cli', 60_000)).toBe(30_000);
    expect(windowAtStart(plan, 'check', 10_000, new Set(['api', 'cli']))).toBe(10_000);
  });
});
