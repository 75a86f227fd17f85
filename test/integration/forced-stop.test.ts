import { afterEach, describe, expect, it } from 'vitest';
import { OrchestrateHarness } from '../helpers/orchestrate-harness.js';

// A stop that is forced (a second signal, or a stop that does not finish in time) kills every agent
// and exits at once, and still writes a true outcome: summary, session.json and the journal's end.
let h: OrchestrateHarness | undefined;
afterEach(async () => h?.cleanup());

describe('a forced stop', () => {
  it(
    'a second SIGTERM while the agents ignore the first: exit 130, every agent killed, the summary says interrupted and forced',
    { timeout: 180_000 },
    async () => {
      // claude and its grandchild ignore SIGTERM, and the kill grace is 10 minutes: the normal stop
      // cannot end before the second signal, so only the forced path can end this session. Without
      // the sandbox: bubblewrap itself dies of the first SIGTERM and takes the agent with it.
      h = new OrchestrateHarness({
        agents: ['claude'],
        scenarios: { claude: 'hang-ignore-sigterm' },
        config: { killGrace: '10m', review: { enabled: false } },
      });
      const harness = h;
      const run = h.start(['--no-sandbox', '--agents', 'claude', 'a task']);
      await h.waitForFake('claude', 'ready');
      run.child.kill('SIGTERM');
      await h.waitWhileRunning(
        () => harness.journal().some((e) => e.type === 'agent.stopping' && e.agent === 'claude'),
        "claude's stop to begin",
      );
      expect(run.child.exitCode).toBeNull();
      run.child.kill('SIGTERM');
      const exit = await run.exited;
      expect(exit.code, exit.stderr).toBe(130);
      expect(exit.stderr).toContain('SIGTERM again: killed every agent process group; exiting');

      const summary = h.json('summary.json');
      expect(summary).toMatchObject({ exitCode: 130, outcome: 'interrupted' });
      const statuses = summary.assignments.map((a: { id: string; status: string; reason: string }) => [a.id, a.status, a.reason]);
      expect(statuses[0]).toEqual(['1-design-claude', 'interrupted', 'the stop was forced: SIGTERM again while it ran']);
      expect(statuses.slice(1).map((s: string[]) => s[1])).toEqual(['pending', 'pending']);
      expect(summary.notes.join('\n')).toContain('The stop was forced: SIGTERM again: every agent was killed');
      expect(h.json('session.json')).toMatchObject({ state: 'interrupted', exitCode: 130, outcome: 'interrupted' });
      expect(h.journal().at(-1)).toMatchObject({ type: 'session.completed', exitCode: 130, forced: 'the stop was forced: SIGTERM again' });
      expect(await h.waitNoProcesses()).toEqual([]);
    },
  );
});
