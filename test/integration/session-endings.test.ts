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

/** The recovery decisions of the journal, as `type agent cause`. */
function recoveries(h: OrchestrateHarness): string[] {
  return h
    .journal()
    .filter((e) => e.type.startsWith('recovery.') && !['recovery.prepared', 'recovery.diagnosis'].includes(e.type))
    .map((e) => `${e.type} ${e.agent} ${e['cause']}`);
}

describe('how a session ends', () => {
  it('every CLI crashing: each is relaunched once (resuming), the assignment handed on, then given up with exit 5', async () => {
    h = new OrchestrateHarness({ scenarios: { gemini: 'crash', claude: 'crash', codex: 'crash' } });
    const exit = await h.run([TASK]);
    expect(exit.code).toBe(5);
    expect(statuses(h)).toEqual({ '1-design-gemini': 'failed', '2-implementation-claude': 'skipped', '3-validation-codex': 'skipped' });
    const exited = h.journal().find((e) => e.type === 'agent.exited');
    expect(exited).toMatchObject({ agent: 'gemini', code: 1, finalEvent: false });
    expect(String(exited?.['reason'])).toContain('ended without its final event');
    // gemini, claude, codex in turn: one relaunch each, then the next agent; none left: given up
    expect(
      recoveries(h),
      JSON.stringify(
        h.journal().filter((e) => e.type.startsWith('recovery.') || e.type === 'agent.exited'),
        null,
        1,
      ),
    ).toEqual([
      'recovery.relaunch gemini run.crashed',
      'recovery.fallback gemini run.crashed',
      'recovery.relaunch claude run.crashed',
      'recovery.fallback claude run.crashed',
      'recovery.relaunch codex run.crashed',
      'recovery.gave_up codex run.crashed',
    ]);
    expect(
      h
        .journal()
        .filter((e) => e.type === 'recovery.fallback')
        .map((e) => `${e['from']}->${e['to']}`),
    ).toEqual(['gemini->claude', 'claude->codex']);
    expect(h.journal().filter((e) => e.type === 'agent.exited' && e['status'] === 'succeeded')).toEqual([]);
    const design = h.json('summary.json').assignments[0];
    expect(design).toMatchObject({ status: 'failed', fallbackFrom: ['gemini', 'claude'] });
    expect(await h.waitNoProcesses()).toEqual([]);
  });

  it('a crashing agent is relaunched once, resuming its session, then its assignment is handed to the next agent', async () => {
    h = new OrchestrateHarness({ scenarios: { gemini: 'crash' } });
    const exit = await h.run([TASK]);
    expect(exit.code, exit.stderr).toBe(0);
    expect(recoveries(h)).toEqual(['recovery.relaunch gemini run.crashed', 'recovery.fallback gemini run.crashed']);
    const sessionId = h.journal().find((e) => e.type === 'agent.session' && e.agent === 'gemini')?.['sessionId'];
    expect(typeof sessionId).toBe('string');
    const relaunch = h.journal().find((e) => e.type === 'recovery.relaunch');
    expect(relaunch).toMatchObject({ assignment: '1-design-gemini', attempt: 1, resumeSessionId: sessionId, delayMs: 20 });
    const launches = h.fakeLog('gemini').filter((r) => r.kind === 'argv' && !r.argv.includes('--version'));
    // the design runs come first (gemini reviews others' work later)
    expect(launches[0]?.argv).not.toContain('--resume');
    expect(launches[1]?.argv[launches[1].argv.indexOf('--resume') + 1]).toBe(sessionId);
    expect(h.journal().find((e) => e.type === 'recovery.fallback')).toMatchObject({ from: 'gemini', to: 'claude' });
    const summary = h.json('summary.json');
    expect(summary.assignments[0]).toMatchObject({ id: '1-design-gemini', agent: 'claude', status: 'succeeded', fallbackFrom: ['gemini'] });
    expect(summary.notes.join('\n')).toContain('1-design-gemini was handed from gemini to claude');
    expect(statuses(h)).toEqual({
      '1-design-gemini': 'succeeded',
      '2-implementation-claude': 'succeeded',
      '3-validation-codex': 'succeeded',
    });
    expect(await h.waitNoProcesses()).toEqual([]);
  });

  it('a false success (exit 0, error result) is handed to the next agent at once; a run without its final event is a crash', async () => {
    h = new OrchestrateHarness({ scenarios: { gemini: 'false-success' } });
    expect((await h.run([TASK])).code).toBe(0);
    expect(h.journal().find((e) => e.type === 'agent.exited')).toMatchObject({ agent: 'gemini', code: 0, status: 'failed' });
    expect(recoveries(h)).toEqual(['recovery.fallback gemini run.false-success']);
    expect(h.json('summary.json').assignments[0]).toMatchObject({ agent: 'claude', status: 'succeeded', fallbackFrom: ['gemini'] });
    expect(await h.waitNoProcesses()).toEqual([]);
    await h.cleanup();

    // alone, nobody takes over: one relaunch, then the session fails
    h = new OrchestrateHarness({ agents: ['gemini'], scenarios: { gemini: 'no-final-event' } });
    expect((await h.run(['--agents', 'gemini', TASK])).code).toBe(5);
    expect(h.journal().find((e) => e.type === 'agent.exited')).toMatchObject({ code: 0, finalEvent: false, status: 'failed' });
    expect(recoveries(h)).toEqual(['recovery.relaunch gemini run.crashed', 'recovery.gave_up gemini run.crashed']);
    expect(await h.waitNoProcesses()).toEqual([]);
  });

  // Both with bubblewrap (die-with-parent) and without (process-group kill alone).
  const modes = SANDBOX_USABLE ? [[], ['--no-sandbox']] : [['--no-sandbox']];

  it.each(modes)(
    'an agent that hangs past the timeout, ignoring SIGTERM with a grandchild, is killed with its whole group %j',
    async (...mode) => {
      h = new OrchestrateHarness({ scenarios: { gemini: 'hang-ignore-sigterm' }, config: { killGrace: '500ms' } });
      const run = h.start([...mode, '--timeout', '4s', TASK]);
      await h.waitForFake('gemini', 'ready');
      expect(h.liveProcesses().length).toBeGreaterThan(1); // the agent and its grandchild are up
      const exit = await run.exited;
      expect(exit.code).toBe(5);
      expect(statuses(h)['1-design-gemini']).toBe('timed_out');
      expect(h.journal().find((e) => e.type === 'agent.stopping')).toMatchObject({ by: 'timeout' });
      expect(await h.waitNoProcesses()).toEqual([]);
    },
  );

  it.each(modes.flatMap((mode) => (['SIGINT', 'SIGTERM'] as const).map((signal) => [signal, mode] as const)))(
    '%s to orchestrate stops every agent group and exits 130 %j',
    async (signal, mode) => {
      h = new OrchestrateHarness({ scenarios: { gemini: 'hang' }, config: { killGrace: '1s' } });
      const run = h.start([...mode, TASK]);
      await h.waitForFake('gemini', 'ready');
      run.child.kill(signal);
      const exit = await run.exited;
      expect(exit.code).toBe(130);
      const summary = h.json('summary.json');
      expect(summary).toMatchObject({ exitCode: 130, outcome: 'interrupted' });
      expect(statuses(h)).toEqual({
        '1-design-gemini': 'interrupted',
        '2-implementation-claude': 'interrupted',
        '3-validation-codex': 'interrupted',
      });
      expect(h.journal().at(-1)).toMatchObject({ type: 'session.completed', exitCode: 130 });
      expect(h.json('session.json').state).toBe('interrupted');
      expect(await h.waitNoProcesses()).toEqual([]);
    },
  );
});
