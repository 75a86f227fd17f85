// A stop reaches the real CLI inside orchestrate's sandbox: its run's window runs out while its
// model call hangs, orchestrate sends SIGTERM, and the CLI ends by its own handler (claude exits
// 143, gemini's worker 0, as recorded in claude-sigterm / gemini-sigterm-group), not by bwrap's
// death taking it down with SIGKILL (which left it no grace to save its session for `resume`).

import { describe, expect, it } from 'vitest';
import { expectNothingLeft, useCompatFile } from './orchestrate-common.js';

const file = useCompatFile();

describe('orchestrate: stopping a sandboxed real CLI', () => {
  it.each([
    ['claude', 143],
    ['gemini', 0],
  ] as const)('%s, stopped at its window while its model call hangs, exits by its own SIGTERM handler (%i)', async (cli, code) => {
    const scenario = `orch-${cli}-stop`;
    file.server.register(scenario, { turns: [{ hang: true }] });
    // a long grace, so an exit within it is the CLI's own and not the SIGKILL after it
    const session = file.newSession({
      label: scenario,
      agents: { [cli]: scenario },
      timeout: '20s',
      config: { review: { enabled: false }, killGrace: '1m' },
    });
    const plan = session.writePlan({ assignments: [{ id: 'stop', agent: cli, role: 'implementation', title: 'Wait', weight: 1 }] });
    const exit = await session.run('Wait for the model', ['--plan', plan]);
    const why = session.explain(exit);
    expect(exit.timedOut, why).toBe(false);
    expect(exit.code, why).toBe(5);
    expect(session.journal().find((e) => e.type === 'safety.sandbox')?.['reason'], why).toMatch(/^bubblewrap/);
    const exited = session.journal().filter((e) => e.type === 'agent.exited');
    expect(
      exited.map((e) => [e.code, e.signal, e.killedBy, e.status]),
      why,
    ).toEqual([[code, null, 'timeout', 'timed_out']]);
    await expectNothingLeft(file, session);
  });
});
