import { afterEach, describe, expect, it } from 'vitest';
import { OrchestrateHarness, SANDBOX_USABLE } from '../helpers/orchestrate-harness.js';

// One test per way a session ends; each proves that no process it started is left alive
// (the fakes run in bubblewrap when it is usable, so the check scans /proc by a marker).
const TASK = 'Add a --json flag to the report command';
let h: OrchestrateHarness;
afterEach(async () => h?.cleanup());

function statuses(h: OrchestrateHarness): Record<string, string> {
  return Object.fromEntries(h.json('summary.json').assignments.map((a: { id: string; status: string }) => [a.id, a.status]));
}

describe('how a session ends', () => {
  it('an agent that crashes fails its assignment, skips the dependents and exits 5', async () => {
    h = new OrchestrateHarness({ scenarios: { gemini: 'crash' } });
    const exit = await h.run([TASK]);
    expect(exit.code).toBe(5);
    expect(statuses(h)).toEqual({ '1-design-gemini': 'failed', '2-implementation-claude': 'skipped', '3-validation-codex': 'skipped' });
    const exited = h.journal().find((e) => e.type === 'agent.exited');
    expect(exited).toMatchObject({ agent: 'gemini', code: 1, finalEvent: false });
    expect(String(exited?.['reason'])).toContain('ended without its final event');
    expect(await h.waitNoProcesses()).toEqual([]);
  });

  it('a false success (exit 0, error result) and a run without its final event are failures', async () => {
    h = new OrchestrateHarness({ scenarios: { gemini: 'false-success' } });
    expect((await h.run([TASK])).code).toBe(5);
    expect(h.journal().find((e) => e.type === 'agent.exited')).toMatchObject({ code: 0, status: 'failed' });
    await h.cleanup();

    h = new OrchestrateHarness({ scenarios: { gemini: 'no-final-event' } });
    expect((await h.run([TASK])).code).toBe(5);
    expect(h.journal().find((e) => e.type === 'agent.exited')).toMatchObject({ code: 0, finalEvent: false, status: 'failed' });
  });

  // Both with bubblewrap (die-with-parent) and without (process-group kill alone).
  const modes = SANDBOX_USABLE ? [[], ['--no-sandbox']] : [['--no-sandbox']];

  it.each(modes)('an agent that hangs past the timeout, ignoring SIGTERM with a grandchild, is killed with its whole group %j', async (...mode) => {
    h = new OrchestrateHarness({ scenarios: { gemini: 'hang-ignore-sigterm' }, config: { killGrace: '500ms' } });
    const run = h.start([...mode, '--timeout', '4s', TASK]);
    await h.waitForFake('gemini', 'ready');
    expect(h.liveProcesses().length).toBeGreaterThan(1); // the agent and its grandchild are up
    const exit = await run.exited;
    expect(exit.code).toBe(5);
    expect(statuses(h)['1-design-gemini']).toBe('timed_out');
    expect(h.journal().find((e) => e.type === 'agent.stopping')).toMatchObject({ by: 'timeout' });
    expect(await h.waitNoProcesses()).toEqual([]);
  });

  it.each(modes.flatMap((mode) => (['SIGINT', 'SIGTERM'] as const).map((signal) => [signal, mode] as const)))('%s to orchestrate stops every agent group and exits 130 %j', async (signal, mode) => {
    h = new OrchestrateHarness({ scenarios: { gemini: 'hang' }, config: { killGrace: '1s' } });
    const run = h.start([...mode, TASK]);
    await h.waitForFake('gemini', 'ready');
    run.child.kill(signal);
    const exit = await run.exited;
    expect(exit.code).toBe(130);
    const summary = h.json('summary.json');
    expect(summary).toMatchObject({ exitCode: 130, outcome: 'interrupted' });
    expect(statuses(h)).toEqual({ '1-design-gemini': 'interrupted', '2-implementation-claude': 'interrupted', '3-validation-codex': 'interrupted' });
    expect(h.journal().at(-1)).toMatchObject({ type: 'session.completed', exitCode: 130 });
    expect(h.json('session.json').state).toBe('interrupted');
    expect(await h.waitNoProcesses()).toEqual([]);
  });
});
