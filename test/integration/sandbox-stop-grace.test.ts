// A stop gives a sandboxed agent its grace period: the SIGTERM reaches the CLI inside bubblewrap
// (so it can save its session, which `resume` needs), not bwrap, which would die of it and take
// the CLI down with SIGKILL (--die-with-parent, pid namespace) before it could do anything.
import { afterEach, describe, expect, it } from 'vitest';
import type { FakeCli } from '../helpers/fake-agents.js';
import { OrchestrateHarness, SANDBOX_USABLE } from '../helpers/orchestrate-harness.js';

let h: OrchestrateHarness | undefined;
afterEach(async () => {
  const left = await h?.finish();
  h = undefined;
  expect(left ?? []).toEqual([]);
});

describe.skipIf(!SANDBOX_USABLE)('stopping a sandboxed agent', { timeout: 180_000 }, () => {
  // the simulated claude and gemini handle SIGTERM as the real ones do (claude exits 143, gemini's
  // worker 0), recording it in the test's log folder from the handler: proof the handler ran
  it.each<[FakeCli, number]>([
    ['claude', 143],
    ['gemini', 0],
  ])('%s gets the SIGTERM itself and exits by its own handler (code %i)', async (cli, code) => {
    h = new OrchestrateHarness({ agents: [cli], scenarios: { [cli]: 'hang' }, config: { review: { enabled: false }, killGrace: '1m' } });
    const run = h.start(['--agents', cli, 'a task']);
    await h.waitForFake(cli, 'ready');
    run.child.kill('SIGTERM');
    const exit = await run.exited;

    expect(exit.code, exit.stderr).toBe(130);
    expect(h.journal().find((e) => e.type === 'safety.sandbox')?.['reason']).toMatch(/^bubblewrap/);
    expect(h.fakeLog(cli)).toContainEqual(expect.objectContaining({ kind: 'signal', signal: 'SIGTERM', action: 'exit', code }));
    // it ended by its own exit, well within the minute of grace (no SIGKILL)
    expect(h.journal().find((e) => e.type === 'agent.exited')).toMatchObject({ code, signal: null, killedBy: 'interrupt' });
  });
});
