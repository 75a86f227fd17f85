// Issue 18 with the real claude: orchestrate hands an assignment its share of --max-cost as
// claude's own --max-budget-usd, claude (pricing the scripted model's usage at $0.0008 a turn)
// ends the run with `error_max_budget_usd`, and orchestrate reads that real stream as a ceiling
// reached (exit 13), not an agent failure; nothing is relaunched or handed over.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commandOf, expectNothingLeft, useCompatFile } from './orchestrate-common.js';

const file = useCompatFile();

describe('orchestrate: claude at its native spend ceiling', () => {
  it('--max-cost 0.0005: claude gets --max-budget-usd 0.0005, stops after its first turn, exit 13 (ceiling reached)', async () => {
    const scenario = 'orch-claude-budget';
    file.server.register(scenario, {
      turns: [{ shell: 'echo spent > spent.txt' }, { shell: 'echo more > more.txt' }, { text: 'DONE: unreachable' }],
    });
    const session = file.newSession({ label: scenario, agents: { claude: scenario }, config: { review: { enabled: false } } });
    const plan = session.writePlan({
      assignments: [{ id: 'budget', agent: 'claude', role: 'implementation', title: 'Write two files', weight: 1 }],
    });
    const exit = await session.run('Write two files', ['--plan', plan, '--max-cost', '0.0005']);
    const why = session.explain(exit);
    expect(exit.timedOut, why).toBe(false);
    expect(exit.code, why).toBe(13);
    const argv = commandOf(session, 'claude', 'budget').agentArgv as string[];
    expect(argv[argv.indexOf('--max-budget-usd') + 1], why).toBe('0.0005');
    const mine = session.journal().filter((e) => e.agent === 'claude');
    expect(
      mine.filter((e) => e.type === 'agent.result').map((e) => [e.ok, e.ceiling, e.error]),
      why,
    ).toEqual([[false, 'cost', 'Reached maximum budget ($0.0005)']]);
    expect(session.runFile('claude', 'budget', 'stdout.jsonl'), why).toContain('"subtype":"error_max_budget_usd"');
    expect(
      mine.filter((e) => e.type === 'agent.exited').map((e) => [e.code, e.status]),
      why,
    ).toEqual([[1, 'ceiling_reached']]);
    expect(
      mine.filter((e) => e.type.startsWith('recovery.') && e.type !== 'recovery.prepared'),
      why,
    ).toEqual([]);
    // claude ended at the turn that passed the ceiling: the model was asked once, so the second
    // turn's command never ran. Whether claude had already started the first turn's command when
    // it checked its budget is timing inside claude (seen both ways under load): not asserted.
    expect(
      file.server.requests(scenario).map((r) => r.reply),
      why,
    ).toEqual(['tool:Bash']);
    const workDir = session.json('session.json').copy.workDir as string;
    expect(existsSync(join(workDir, 'more.txt')), why).toBe(false);
    const summary = session.json('summary.json');
    expect(
      summary.assignments.map((a: { status: string }) => a.status),
      why,
    ).toEqual(['ceiling_reached']);
    expect(summary.spend, why).toMatchObject({ ceiling: { costUsd: 0.0005 }, agents: { claude: { costUsd: 0.0008 } } });
    await expectNothingLeft(file, session);
  });
});
