import { describe, expect, it } from 'vitest';
import { pricedParser } from '../../../src/budget/priced-parser.js';
import { PRICE_TABLE, priceOf } from '../../../src/budget/prices.js';
import { CODEX_DEFAULT_MODEL } from '../../../src/agents/adapters/codex.js';
import { GEMINI_DEFAULT_MODEL } from '../../../src/agents/adapters/gemini.js';
import { SessionBudget, type SessionBudgetInput } from '../../../src/budget/session-budget.js';
import type { BudgetNode } from '../../../src/budget/time-shares.js';
import { decideOutcome } from '../../../src/supervisor/run-outcome.js';
import { buildClaudeCommand } from '../../../src/agents/adapters/claude.js';
import { readCeilings } from '../../../src/cli/read-ceilings.js';
import { ManualClock } from '../../helpers/manual-clock.js';
import { parseRecording, ofType } from '../agents/recorded-streams.js';

const node = (id: string, weight: number, dependsOn: string[] = []): BudgetNode => ({ id, weight, dependsOn });
const usage = (assignment: string, costUsd: number | undefined, tokens = 0, review?: number) => ({
  type: 'agent.usage',
  agent: 'codex',
  assignment,
  inputTokens: tokens,
  outputTokens: 0,
  ...(costUsd !== undefined ? { costUsd } : {}),
  ...(review !== undefined ? { review } : {}),
});
const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function budget(over: Partial<SessionBudgetInput> & { statuses?: Record<string, string> } = {}) {
  const stopped: Array<[string, string]> = [];
  const statuses = over.statuses ?? {};
  const b = new SessionBudget({
    nodes: [node('a', 1), node('b', 1), node('c', 2, ['a', 'b'])],
    timeoutMs: 100_000,
    ceilings: { costUsd: 1, tokens: 1000 },
    clock: new ManualClock(),
    statusOf: (id) => statuses[id],
    stopRun: (a, reason) => stopped.push([a, reason]),
    ...over,
  });
  return { b, stopped, statuses };
}

describe('SessionBudget: ceiling shares', () => {
  it('splits what is left by weight over the assignment and those not started, re-balanced as runs end', () => {
    const { b, statuses } = budget();
    // a: 1/(1+1+2) of $1; b starts while a runs: a's unspent share is reserved
    expect(b.launch('a').share).toEqual({ costUsd: 0.25, tokens: 250 });
    statuses['a'] = 'running';
    expect(b.launch('b').share).toEqual({ costUsd: 0.25, tokens: 250 });
    statuses['b'] = 'running';
    // a spent $0.05 only and ended: c gets all that is left
    b.onEntry(usage('a', 0.05, 40));
    b.ended('a');
    statuses['a'] = 'succeeded';
    b.onEntry(usage('b', 0.25, 250));
    b.ended('b');
    statuses['b'] = 'succeeded';
    expect(b.launch('c').share).toEqual({ costUsd: 0.7, tokens: 710 });
  });

  it('stops a run that passes its share before its final event, not one whose final event came with the usage', async () => {
    const { b, stopped } = budget();
    b.launch('a');
    b.onEntry(usage('a', 0.2));
    await flush();
    expect(stopped).toEqual([]);
    b.onEntry(usage('a', 0.1));
    await flush();
    expect(stopped).toEqual([['a', 'it spent $0.3, past its share of $0.25 of the cost ceiling']]);

    const other = budget();
    other.b.launch('a');
    // codex: turn.completed gives usage and the final event in one line
    other.b.onEntry(usage('a', 0.3));
    other.b.onEntry({ type: 'agent.result', agent: 'codex', assignment: 'a' });
    await flush();
    expect(other.stopped).toEqual([]);
  });

  it('reaching a ceiling (reviews count) stops every running run and says why, once', async () => {
    const reached: string[] = [];
    const { b, stopped } = budget({ onReached: (w) => reached.push(w.reason) });
    b.launch('a');
    b.launch('b');
    b.onEntry(usage('x', 1.2, 10, 3));
    await flush();
    expect(b.reached()).toEqual({ kind: 'cost', reason: 'the cost ceiling of $1 was reached ($1.2 spent)' });
    expect(stopped.map(([a]) => a).sort()).toEqual(['a', 'b']);
    b.onEntry(usage('x', 0.1, 10, 3));
    await flush();
    expect(reached).toHaveLength(1);
  });

  it('a resumed session counts what it spent before; an unknown price is reported as unknown', () => {
    const { b } = budget({ previous: [usage('a', 0.4, 100), usage('a', undefined, 50)] });
    // $0.6 left, b's weight over a, b and c (none started): 1/4
    expect(b.launch('b').share.costUsd).toBe(0.15);
    const report = b.report();
    expect(report.total).toEqual({ tokens: 150, costUsd: null, knownCostUsd: 0.4 });
    expect(report.agents['codex']).toEqual({ tokens: 150, costUsd: null, knownCostUsd: 0.4 });
  });

  it('the time window of a launch is what is left along its chain', () => {
    const clock = new ManualClock();
    const { b, statuses } = budget({ clock });
    expect(b.launch('a').timeoutMs).toBe(Math.round((1 / 3) * 100_000));
    clock.advance(10_000);
    statuses['a'] = 'succeeded';
    statuses['b'] = 'succeeded';
    expect(b.launch('c').timeoutMs).toBe(90_000);
  });
});

describe('prices and native ceilings', () => {
  it('prices token-only usage from the dated table, keeps a CLI cost, and leaves an unknown model without a cost', () => {
    const fake = { parseLine: () => [{ type: 'agent.usage' as const, inputTokens: 1_000_000, outputTokens: 100_000 }], flush: () => [] };
    expect(PRICE_TABLE.asOf).toMatch(/^\d{4}-\d\d-\d\d$/);
    expect(pricedParser(fake, 'gemini-2.5-flash').parseLine('')).toEqual([
      { type: 'agent.usage', inputTokens: 1_000_000, outputTokens: 100_000, costUsd: 0.55, costSource: 'price-table' },
    ]);
    expect(pricedParser(fake, 'mine', { mine: { input: 1, output: 10 } }).parseLine('')[0]).toMatchObject({
      costUsd: 2,
      costSource: 'config',
    });
    const unknown = pricedParser(fake, 'gpt-9').parseLine('')[0];
    expect(unknown).toMatchObject({ costSource: 'unknown' });
    expect(unknown).not.toHaveProperty('costUsd');
    const own = { parseLine: () => [{ type: 'agent.usage' as const, inputTokens: 1, outputTokens: 1, costUsd: 0.5 }], flush: () => [] };
    // the models orchestrate passes when the config names none are priced: a default session's spend is known
    expect(pricedParser(fake, CODEX_DEFAULT_MODEL).parseLine('')[0]).toMatchObject({ costUsd: 8, costSource: 'price-table' });
    expect(priceOf(GEMINI_DEFAULT_MODEL)).toMatchObject({ source: 'price-table' });
    expect(pricedParser(own, 'gemini-2.5-flash').parseLine('')[0]).toMatchObject({ costUsd: 0.5, costSource: 'cli' });
  });

  it("reads claude's native budget end from the real recording (claude-max-budget) as a ceiling, not a failure", () => {
    const events = parseRecording('claude-max-budget');
    const result = ofType(events, 'agent.result')[0];
    expect(result).toMatchObject({ ok: false, ceiling: 'cost', error: 'Reached maximum budget ($0.00001)' });
    expect(ofType(events, 'agent.usage')[0]).toMatchObject({ costUsd: 0.0008 });
    const outcome = decideOutcome({
      exit: { code: 1, signal: null },
      final: { ok: false, ceiling: 'cost', error: 'Reached maximum budget ($0.00001)' },
    });
    expect(outcome).toEqual({
      status: 'ceiling_reached',
      reason: 'the CLI stopped at its spend ceiling: Reached maximum budget ($0.00001)',
    });
    expect(decideOutcome({ exit: { code: null, signal: 'SIGTERM' }, stoppedBy: 'ceiling', stopReason: 'past its share' }).status).toBe(
      'ceiling_reached',
    );
  });

  it('gives claude its share as --max-budget-usd in plain decimals', () => {
    const spec = {
      executable: 'claude',
      prompt: '',
      cwd: '/w',
      addDirs: [],
      extraArgs: [],
      mode: 'work' as const,
      context: { isRoot: false, sandboxed: true, targetIsGitRepo: true, trustTarget: true },
    };
    const args = buildClaudeCommand({ ...spec, maxBudgetUsd: 0.0000004 }).args;
    expect(args.slice(args.indexOf('--max-budget-usd'), args.indexOf('--max-budget-usd') + 2)).toEqual(['--max-budget-usd', '0']);
    const two = buildClaudeCommand({ ...spec, maxBudgetUsd: 1.25 }).args;
    expect(two[two.indexOf('--max-budget-usd') + 1]).toBe('1.25');
    expect(buildClaudeCommand(spec).args).not.toContain('--max-budget-usd');
  });

  it('flags win over the config; bad values name the flag', () => {
    expect(readCeilings({ maxCost: '$2.50' }, { maxCost: 1, maxTokens: 10 })).toEqual({ costUsd: 2.5, tokens: 10 });
    expect(() => readCeilings({ maxCost: '-1' }, {})).toThrow(/--max-cost: not a positive amount: "-1"/);
    expect(() => readCeilings({ maxTokens: '10k' }, {})).toThrow(/--max-tokens: not a positive whole number/);
  });
});
