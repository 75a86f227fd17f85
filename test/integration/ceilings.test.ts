import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { OrchestrateHarness, SANDBOX_USABLE } from '../helpers/orchestrate-harness.js';

// Issue 18: spend ceilings and time windows through the orchestrate CLI and the simulated agents.
// The fake claude costs $0.0008 per model turn (as recorded) and honours --max-budget-usd as the
// real one does (fixtures/streams/claude-max-budget); codex and gemini report tokens only.
const TASK = 'Add a --json flag to the report command';
const NO_REVIEW = { review: { enabled: false } };
let h: OrchestrateHarness;
afterEach(async () => h?.cleanup());

type Entry = Record<string, any> & { seq: number; type: string };
const of = (type: string): Entry[] => h.journal().filter((e) => e.type === type) as Entry[];
const statuses = (): Record<string, string> =>
  Object.fromEntries(h.json('summary.json').assignments.map((a: { id: string; status: string }) => [a.id, a.status]));
const sandboxArgs = SANDBOX_USABLE ? [] : ['--no-sandbox'];

/** A plan file of `n` assignments for `agent`; chained when `chain`, else all at once. */
function planFile(agent: string, ids: string[], chain: boolean): string {
  const file = path.join(h.root, 'plan.json');
  const assignments = ids.map((id, i) => ({
    id,
    agent,
    role: i === 0 ? 'design' : 'implementation',
    title: `step ${id}`,
    weight: 1,
    ...(chain && i > 0 ? { dependsOn: [ids[i - 1]] } : {}),
  }));
  writeFileSync(file, JSON.stringify({ assignments }));
  return file;
}

/** A multi-run scenario file (run N of the CLI plays runs[N]). */
function runsScenario(name: string, runs: unknown[][]): string {
  const file = path.join(h.logDir, `${name}.json`);
  writeFileSync(file, JSON.stringify({ description: name, runs: runs.map((steps) => ({ steps })) }));
  return file;
}

describe('spend ceilings', () => {
  it('a claude run ends at its native ceiling (--max-budget-usd, its share), exit 13; resume with a higher ceiling finishes', async () => {
    h = new OrchestrateHarness({ agents: ['claude'], config: NO_REVIEW });
    // run 0: three turns ($0.0024), past a $0.001 share after the second; run 1 (its resume) and run 2 finish
    const scenario = runsScenario('claude-budget', [
      [{ say: 'MILESTONE: one' }, { say: 'MILESTONE: two' }, { write: { path: 'never.txt', content: 'x\n' } }],
      [{ write: { path: 'first.txt', content: 'ok\n' } }, { say: 'DONE: first' }],
      [{ write: { path: 'second.txt', content: 'ok\n' } }, { say: 'DONE: second' }],
    ]);
    const plan = planFile('claude', ['first', 'second'], true);
    const exit = await h.run(['--agents', 'claude', '--plan', plan, '--max-cost', '0.002', TASK], { FAKE_CLAUDE_SCENARIO: scenario });
    expect(exit.code, exit.stderr).toBe(13);
    // the first assignment's share is half the ceiling, handed to claude as its own ceiling
    const launch = of('budget.launch')[0] as Entry;
    expect(launch).toMatchObject({ assignment: 'first', share: { costUsd: 0.001 } });
    const argv = h.fakeLog('claude').filter((r) => r.kind === 'argv' && !r.argv.includes('--version'))[0]?.argv as string[];
    expect(argv[argv.indexOf('--max-budget-usd') + 1]).toBe('0.001');
    expect(of('agent.result')[0]).toMatchObject({ ok: false, ceiling: 'cost', error: 'Reached maximum budget ($0.001)' });
    expect(statuses()).toEqual({ first: 'ceiling_reached', second: 'ceiling_reached' });
    const summary = h.json('summary.json');
    expect(summary).toMatchObject({ exitCode: 13, outcome: 'ceiling reached' });
    expect(summary.spend).toMatchObject({
      ceiling: { costUsd: 0.002, tokens: null },
      total: { costUsd: 0.0016 },
      agents: { claude: { costUsd: 0.0016 } },
    });
    expect(summary.notes.join('\n')).toMatch(/orchestrate resume \S+ --max-cost/);
    // no relaunch and no hand-over spent money past the ceiling
    expect(of('recovery.relaunch')).toEqual([]);
    expect(of('recovery.fallback')).toEqual([]);
    expect(readFileSync(path.join(h.logDir, 'claude.jsonl'), 'utf8')).not.toContain('never.txt');

    const id = summary.sessionId as string;
    const resumed = await h.cli(['resume', id, '--headless', ...sandboxArgs, '--max-cost', '1'], { FAKE_CLAUDE_SCENARIO: scenario });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(statuses()).toEqual({ first: 'succeeded', second: 'succeeded' });
    const after = h.json('summary.json');
    // what was spent before the resume still counts: 0.0016 + 2 × 2 turns
    expect(after.spend).toMatchObject({ ceiling: { costUsd: 1 }, total: { costUsd: 0.0048 } });
    expect(h.json('session.json').options.ceilings).toEqual({ costUsd: 1 });
    const relaunched = h.fakeLog('claude').filter((r) => r.kind === 'argv' && !r.argv.includes('--version'))[1]?.argv as string[];
    expect(relaunched).toContain('--resume');
    expect(Number(relaunched[relaunched.indexOf('--max-budget-usd') + 1])).toBeCloseTo((1 - 0.0016) / 2, 6);
    expect(await h.waitNoProcesses()).toEqual([]);
  });

  it('codex reports only tokens: priced from the table (overridden in config), the session stops at its ceiling, resume goes on', async () => {
    h = new OrchestrateHarness({ agents: ['codex'], config: { ...NO_REVIEW, prices: { 'gpt-5.5': { input: 1000, output: 1000 } } } });
    const plan = planFile('codex', ['a', 'b'], true);
    const exit = await h.run(['--agents', 'codex', '--plan', plan, '--max-cost', '0.1', TASK]);
    expect(exit.code, exit.stderr).toBe(13);
    // codex has no native ceiling: nothing is passed, orchestrate counts
    const usage = of('agent.usage')[0] as Entry;
    expect(usage).toMatchObject({ agent: 'codex', costSource: 'config' });
    expect(usage.costUsd).toBeGreaterThan(0.1);
    expect(of('budget.reached')[0]).toMatchObject({ ceiling: 'cost' });
    expect(statuses()).toEqual({ a: 'succeeded', b: 'ceiling_reached' });
    expect(h.json('summary.json').assignments[1].reason).toMatch(/not started: the cost ceiling of \$0\.1 was reached/);
    expect(h.json('summary.json').spend.reached).toBe('cost');
    // show and show --json carry per-agent and total spend against the ceiling
    const shown = await h.cli(['show', h.json('summary.json').sessionId, '--json']);
    expect(JSON.parse(shown.stdout).spend).toMatchObject({
      ceiling: { costUsd: 0.1 },
      reached: 'cost',
      agents: { codex: { costUsd: expect.any(Number) } },
    });
    const text = await h.cli(['show', 'last']);
    expect(text.stdout).toMatch(/Spend\n {2}total: \$\d+\.\d{4} of \$0\.1 ceiling/);
    expect(text.stdout).toContain('ceiling reached: the cost ceiling of $0.1 was reached');

    const resumed = await h.cli(['resume', h.json('summary.json').sessionId, '--headless', ...sandboxArgs, '--max-cost', '10']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(statuses()).toEqual({ a: 'succeeded', b: 'succeeded' });
    expect(of('assignment.started').map((e) => e.assignment)).toEqual(['a', 'b']);
    expect(await h.waitNoProcesses()).toEqual([]);
  });

  it('a token ceiling works for every CLI; a model without a price is unknown, not $0', async () => {
    h = new OrchestrateHarness({ agents: ['gemini'], config: { ...NO_REVIEW, agents: { gemini: { model: 'gemini-9-unpriced' } } } });
    const plan = planFile('gemini', ['a', 'b'], true);
    const exit = await h.run(['--agents', 'gemini', '--plan', plan, '--max-tokens', '100', '--json', TASK]);
    expect(exit.code, exit.stderr).toBe(13);
    // --json: the last line carries the spend against the ceiling
    const last = JSON.parse(exit.stdout.trim().split('\n').at(-1) as string);
    expect(last).toMatchObject({
      type: 'session.completed',
      exitCode: 13,
      outcome: 'ceiling reached',
      spend: { reached: 'tokens', ceiling: { tokens: 100 }, total: { costUsd: null } },
    });
    expect(of('agent.usage')[0]).toMatchObject({ costSource: 'unknown' });
    expect(of('agent.usage')[0]).not.toHaveProperty('costUsd');
    const summary = h.json('summary.json');
    expect(summary.spend).toMatchObject({ reached: 'tokens', total: { costUsd: null }, agents: { gemini: { costUsd: null } } });
    const md = readFileSync(path.join(h.sessionDir(), 'summary.md'), 'utf8');
    expect(md).toContain('unknown (at least');
    expect(md).not.toMatch(/\| gemini \| \d+ \| \d+ \| \d+ \| 0\.0000 \|/);
    expect(exit.stdout).toMatch(/ceiling reached/);
    expect(await h.waitNoProcesses()).toEqual([]);
  });

  it('bad ceilings are usage errors naming the flag', async () => {
    h = new OrchestrateHarness({ agents: ['claude'], config: NO_REVIEW });
    const exit = await h.run(['--max-cost', 'lots', TASK]);
    expect(exit.code).toBe(2);
    expect(exit.stderr).toContain('--max-cost: not a positive amount: "lots"');
    const tokens = await h.run(['--max-tokens', '1.5', TASK]);
    expect(tokens.code).toBe(2);
    expect(tokens.stderr).toContain('--max-tokens');
  });
});

describe('time windows follow the plan', () => {
  it('parallel assignments each get the session window, not a split of it', async () => {
    h = new OrchestrateHarness({ agents: ['claude'], config: NO_REVIEW });
    const ids = ['p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7', 'p8'];
    const plan = planFile('claude', ids, false);
    const exit = await h.run(['--agents', 'claude', '--plan', plan, '--timeout', '10m', TASK]);
    expect(exit.code, exit.stderr).toBe(0);
    const planned = h.json('plan.json').assignments as Array<{ id: string; weight: number; budgetMs: number }>;
    expect(planned.map((a) => a.budgetMs)).toEqual(ids.map(() => 600_000));
    expect(planned[0]?.weight).toBe(0.125);
    // at launch each window is what is left of the 10 minutes (a little less: time has passed)
    const launches = of('budget.launch');
    expect(launches.map((e) => e.assignment).sort()).toEqual(ids);
    for (const l of launches) {
      expect(l.windowMs).toBeGreaterThan(500_000);
      expect(l.windowMs).toBeLessThanOrEqual(600_000);
    }
    // the prompt says so, not "13% of the time budget (about 1m 15s)"
    const prompt = readFileSync(path.join(h.sessionDir(), 'agents', 'claude', 'p1', 'prompt.md'), 'utf8');
    expect(prompt).toContain('about 10m');
    expect(await h.waitNoProcesses()).toEqual([]);
  });
});
