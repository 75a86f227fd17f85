import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CODEX_DEFAULT_MODEL } from '../../src/agents/adapters/codex.js';
import { GEMINI_DEFAULT_MODEL } from '../../src/agents/adapters/gemini.js';
import { OrchestrateHarness, SANDBOX_USABLE } from '../helpers/orchestrate-harness.js';

// Issue 18: codex and gemini have no ceiling of their own, and report spend only with their final
// event. orchestrate stops a run of theirs that is still working once the session passes its
// ceiling (here: the other agent's usage, priced from the config, passes it), with the ceiling's
// own outcome and exit code; `resume` with a raised ceiling relaunches the stopped work.
const TASK = 'Add a --json flag to the report command';
let h: OrchestrateHarness;
afterEach(async () => h?.cleanup());

type Entry = Record<string, any> & { seq: number; type: string };
type Cli = 'codex' | 'gemini';
const of = (type: string): Entry[] => h.journal().filter((e) => e.type === type) as Entry[];
const statuses = (): Record<string, string> =>
  Object.fromEntries(h.json('summary.json').assignments.map((a: { id: string; status: string }) => [a.id, a.status]));

/** A scenario file (run N of the CLI plays runs[N]). */
function scenario(name: string, runs: unknown[][]): string {
  const file = path.join(h.logDir, `${name}.json`);
  writeFileSync(file, JSON.stringify({ description: name, runs: runs.map((steps) => ({ steps })) }));
  return file;
}

/**
 * `worker` works on assignment `work` (it hangs, as a long run does); `spender` does `spend` at the
 * same time and reports its usage, priced past the whole ceiling, only once the worker is working.
 */
async function stoppedAtCeiling(worker: Cli, spender: Cli, ceilingFrom: 'flag' | 'config'): Promise<void> {
  // $1000 a million tokens: the fakes' 120 tokens a model call cost $0.12, past the $0.1 ceiling
  const model = spender === 'codex' ? CODEX_DEFAULT_MODEL : GEMINI_DEFAULT_MODEL;
  h = new OrchestrateHarness({
    agents: [worker, spender],
    config: {
      review: { enabled: false },
      prices: { [model]: { input: 1000, output: 1000 } },
      ...(ceilingFrom === 'config' ? { maxCost: 0.1 } : {}),
    },
  });
  const go = path.join(h.logDir, 'spend-now');
  const env = {
    [`FAKE_${worker.toUpperCase()}_SCENARIO`]: scenario(worker, [
      [{ say: 'MILESTONE: working' }, { hang: true }],
      [{ write: { path: 'work.txt', content: 'done\n' } }, { say: 'DONE: work' }],
    ]),
    [`FAKE_${spender.toUpperCase()}_SCENARIO`]: scenario(spender, [[{ waitForFile: go }, { say: 'DONE: spent' }]]),
  };
  const plan = path.join(h.root, 'plan.json');
  writeFileSync(
    plan,
    JSON.stringify({
      assignments: [
        { id: 'work', agent: worker, role: 'implementation', title: 'the long work', weight: 1 },
        { id: 'spend', agent: spender, role: 'design', title: 'the expensive part', weight: 1 },
      ],
    }),
  );
  const ceiling = ceilingFrom === 'flag' ? ['--max-cost', '0.1'] : [];
  const run = h.start(['--agents', `${worker},${spender}`, '--plan', plan, ...ceiling, TASK], env);
  await h.waitForFake(worker, 'ready');
  writeFileSync(go, '');
  const exit = await run.exited;
  expect(exit.code, exit.stderr).toBe(13);

  // the worker reported nothing yet: it was stopped because the session passed its ceiling
  expect(of('budget.reached')).toHaveLength(1);
  expect(of('budget.reached')[0]).toMatchObject({ ceiling: 'cost', reason: expect.stringMatching(/cost ceiling of \$0\.1 was reached/) });
  const stopping = of('agent.stopping');
  expect(stopping).toEqual([expect.objectContaining({ agent: worker, assignment: 'work', by: 'ceiling' })]);
  expect(stopping[0]?.reason).toMatch(/the cost ceiling of \$0\.1 was reached \(\$0\.12 spent\)/);
  expect((of('budget.reached')[0] as Entry).seq).toBeLessThan((stopping[0] as Entry).seq);
  // no native ceiling flag was passed to a CLI without one
  for (const cli of [worker, spender]) {
    const argv = h.fakeLog(cli).find((r) => r.kind === 'argv' && !r.argv.includes('--version'))?.argv as string[];
    expect(argv.join(' ')).not.toMatch(/budget/i);
  }
  expect(statuses()).toEqual({ work: 'ceiling_reached', spend: 'succeeded' });
  const summary = h.json('summary.json');
  expect(summary).toMatchObject({ exitCode: 13, outcome: 'ceiling reached' });
  expect(summary.assignments.find((a: { id: string }) => a.id === 'work').reason).toMatch(/stopped at its spend ceiling/);
  expect(summary.spend).toMatchObject({ reached: 'cost', ceiling: { costUsd: 0.1 }, total: { costUsd: 0.12 } });
  expect(summary.spend.agents[spender]).toMatchObject({ costUsd: 0.12, tokens: 120 });
  // the stopped work is not relaunched or handed on: that would spend past the ceiling
  expect(of('recovery.relaunch')).toEqual([]);
  expect(of('recovery.fallback')).toEqual([]);
  expect(await h.waitNoProcesses()).toEqual([]);

  const resumed = await h.cli(
    ['resume', summary.sessionId, '--headless', ...(SANDBOX_USABLE ? [] : ['--no-sandbox']), '--max-cost', '10'],
    env,
  );
  expect(resumed.code, resumed.stderr).toBe(0);
  expect(statuses()).toEqual({ work: 'succeeded', spend: 'succeeded' });
  // only the stopped work ran again; what was spent before still counts
  expect(of('assignment.started').map((e) => e.assignment)).toEqual(['work', 'spend', 'work']);
  expect(h.json('summary.json').spend).toMatchObject({ ceiling: { costUsd: 10 } });
  const total = h.json('summary.json').spend.total;
  expect(total.knownCostUsd).toBeGreaterThanOrEqual(0.12);
  // 120 tokens a model call: the spender's one, then the worker's two (the stopped run reported none)
  expect(total.tokens).toBe(360);
  // every model here has a price (codex's default, gpt-5.5, is in the table): the total is known
  expect(total.costUsd).toBe(total.knownCostUsd);
  expect(await h.waitNoProcesses()).toEqual([]);
}

describe('orchestrate stops codex and gemini at the ceiling (no native one)', () => {
  it('codex still working is stopped when the session passes its ceiling: exit 13, journaled; resume goes on', async () => {
    await stoppedAtCeiling('codex', 'gemini', 'flag');
  });

  it('gemini still working is stopped when the session passes its ceiling (config maxCost): exit 13, journaled; resume goes on', async () => {
    // the ceiling from the config's maxCost; resume's --max-cost wins over it
    await stoppedAtCeiling('gemini', 'codex', 'config');
  });
});
