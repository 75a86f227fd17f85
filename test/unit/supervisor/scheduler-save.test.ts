// session.json is written once per scheduling pass, not once per assignment started, and every
// status a pass set is on disk before any of its runs goes past its first step.
import { describe, expect, it } from 'vitest';
import type { AssignmentState } from '../../../src/supervisor/assignment-state.js';
import { NO_CHANGES } from '../../../src/supervisor/assignment-state.js';
import { schedule } from '../../../src/supervisor/scheduler.js';
import type { SessionRuntime } from '../../../src/supervisor/session-runtime.js';

function states(deps: Record<string, string[]>): Map<string, AssignmentState> {
  return new Map(
    Object.entries(deps).map(([id, dependsOn]) => [
      id,
      {
        assignment: { id, agent: 'claude', dependsOn } as unknown as AssignmentState['assignment'],
        agent: 'claude',
        status: 'pending',
        reason: '',
        changes: NO_CHANGES,
        runs: [],
        durationMs: 0,
      },
    ]),
  );
}

/** The runtime schedule() uses, with each save of session.json kept as the assignments' JSON. */
function runtime(): { rt: SessionRuntime; saved: string[] } {
  const saved: string[] = [];
  const rt = {
    state: { assignments: {} },
    saveState: () => saved.push(JSON.stringify(rt.state.assignments)),
    stop: { stopped: false },
    journal: { append: () => undefined },
  } as unknown as SessionRuntime;
  return { rt, saved };
}

describe('schedule saves the session state', () => {
  it('once for a pass that starts many, with all of them running on disk before any run continues', async () => {
    const { rt, saved } = runtime();
    const seenOnDisk: Record<string, string>[] = [];
    const all = states({ a: [], b: [], c: [], d: ['a', 'b', 'c'] });
    await schedule(rt, all, async (_rt, s) => {
      await Promise.resolve(); // past the first step: what is on disk now
      seenOnDisk.push(JSON.parse(saved.at(-1)!) as Record<string, string>);
      s.status = 'succeeded';
    });
    // pass 1 starts a, b, c: one write; each run's end: one write; pass with d: one; d's end: one
    expect(saved.length).toBe(1 + 3 + 1 + 1);
    expect(JSON.parse(saved[0]!)).toEqual({
      a: { agent: 'claude', status: 'running' },
      b: { agent: 'claude', status: 'running' },
      c: { agent: 'claude', status: 'running' },
    });
    for (const id of ['a', 'b', 'c']) expect(seenOnDisk[0]![id]).toMatchObject({ status: 'running' });
    expect(seenOnDisk[3]!['d']).toMatchObject({ status: 'running' });
    expect(JSON.parse(saved.at(-1)!)['d']).toMatchObject({ status: 'succeeded' });
  });

  it('once for a pass that skips what depends on a failure', async () => {
    const { rt, saved } = runtime();
    await schedule(rt, states({ a: [], b: ['a'], c: ['a'] }), async (_rt, s) => {
      await Promise.resolve();
      s.status = 'failed';
    });
    // a starts (1), a ends (1), b and c skipped in one pass (1)
    expect(saved.length).toBe(3);
    expect(JSON.parse(saved[2]!)).toMatchObject({ b: { status: 'skipped' }, c: { status: 'skipped' } });
  });
});
