import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/clock.js';
import { pidAlive } from '../../src/process/kill-group.js';
import { listProcessTree, readProcStat } from '../../src/process/process-tree.js';
import { ResourceMonitor, type LimitEvent, type TreeUsage } from '../../src/safety/limits/resource-monitor.js';
import { createTreeSampler } from '../../src/safety/limits/tree-sampler.js';
import { bwrapSandboxPlan } from '../../src/supervisor/create-sandbox-plan.js';
import { FAKE_AGENTS_DIR, FakeAgentHarness, killGroup } from '../helpers/fake-agents.js';
import { SANDBOX_USABLE } from '../helpers/orchestrate-harness.js';
import { until } from '../helpers/until.js';

// A real agent tree that really allocates: the fake claude plays fixtures/scenarios/memory-hog.json,
// whose shell step starts a node process holding 150 MB. The monitor samples the real tree
// through /proc with a low limit; afterwards the whole tree is killed and proven gone.

const MiB = 1024 ** 2;
/** Above the ~90 MB the two node processes hold before the allocation, below the ~240 MB after. */
const LIMIT = 160 * MiB;
const CLAUDE_ARGS = ['-p', 'run the tests', '--output-format', 'stream-json', '--verbose', '--dangerously-skip-permissions'];
const HOG_ENV = { IS_SANDBOX: '1', MEMORY_HOG_MB: '150' };

let harness: FakeAgentHarness | undefined;
const monitors: ResourceMonitor[] = [];

afterEach(async () => {
  for (const monitor of monitors.splice(0)) monitor.stop();
  await harness?.cleanup();
  harness = undefined;
});

/** Starts a monitor on `rootPid` recording every event in order, and every reading. */
function watch(rootPid: number, memoryBytes: number) {
  const events: Array<{ kind: 'warn' | 'exceeded'; event: LimitEvent }> = [];
  const readings: TreeUsage[] = [];
  const sampler = createTreeSampler(rootPid);
  const monitor = new ResourceMonitor({
    limits: { memoryBytes, samples: 2, intervalMs: 100 },
    clock: systemClock,
    sample: () => {
      const usage = sampler();
      if (usage) readings.push(usage);
      return usage;
    },
    onWarn: (event) => events.push({ kind: 'warn', event }),
    onExceeded: (event) => events.push({ kind: 'exceeded', event }),
  }).start();
  monitors.push(monitor);
  return { monitor, events, readings };
}

/** Kills the group led by `leader`, then proves every process that was in its tree is gone. */
async function killTree(leader: number, tree: number[]): Promise<void> {
  killGroup(leader, 'SIGKILL');
  await until(() => tree.every((pid) => !pidAlive(pid)), { what: 'every process of the tree to die' });
  // and reaped: not even a zombie of the tree is left
  await until(() => listProcessTree(leader).length === 0, { what: 'the tree to be reaped' });
}

describe('resource limits on a real agent process tree', () => {
  it('warns, then reports exceeded with the figures, for a tree holding 150 MB more than a 160 MB limit allows', async () => {
    harness = new FakeAgentHarness();
    const run = harness.start('claude', CLAUDE_ARGS, { scenario: 'memory-hog', env: HOG_ENV });
    const { monitor, events } = watch(run.pid, LIMIT);

    await until(() => events.some((e) => e.kind === 'exceeded'), { what: 'the memory limit to be exceeded' });
    expect(events.map((e) => e.kind)).toEqual(['warn', 'exceeded']);
    const [warn, exceeded] = events.map((e) => e.event);
    expect(warn).toMatchObject({ limit: 'memory', max: LIMIT, samples: 1, needed: 2 });
    expect(exceeded).toMatchObject({ limit: 'memory', max: LIMIT, samples: 2, needed: 2 });
    expect(exceeded!.value).toBeGreaterThan(LIMIT);
    expect(monitor.active).toBe(false); // exceeded ends the sampling

    // The figure is the tree's: the leader (the fake CLI, ~50 MB) is not the one holding the memory.
    const tree = listProcessTree(run.pid);
    expect(tree.length).toBeGreaterThanOrEqual(2); // claude fake → (bash exec'd into) node holding the memory
    await until(() => (createTreeSampler(run.pid)()?.memoryBytes ?? 0) >= 150 * MiB, {
      what: 'all 150 MB to be resident',
    });

    await killTree(run.pid, tree);
  });

  it('stays silent for the same tree under a limit above what it holds', async () => {
    harness = new FakeAgentHarness();
    const run = harness.start('claude', CLAUDE_ARGS, { scenario: 'memory-hog', env: HOG_ENV });
    const { monitor, events, readings } = watch(run.pid, 1024 * MiB);

    // wait until the 150 MB are held, then for three more readings
    const held = await until(() => readings.findIndex((r) => r.memoryBytes >= 150 * MiB) + 1 || undefined, {
      what: '150 MB held',
    });
    await until(() => readings.length >= held + 3, { what: 'three more readings' });
    expect(events).toEqual([]);
    expect(monitor.active).toBe(true);
    expect(monitor.peak.memoryBytes).toBeGreaterThanOrEqual(150 * MiB);

    monitor.stop();
    await killTree(run.pid, listProcessTree(run.pid));
  });

  it.skipIf(!SANDBOX_USABLE)('follows the agent into bubblewrap: another session and pid namespace under the bwrap leader', async () => {
    harness = new FakeAgentHarness();
    const target = path.join(harness.work, 'project');
    mkdirSync(target);
    const plan = bwrapSandboxPlan({
      bwrap: 'bwrap',
      reason: 'test',
      target,
      workspace: path.join(harness.root, 'workspace'),
      allowWrite: [],
      home: harness.home,
      runAsRoot: false,
    });
    const env = harness.env({ ...HOG_ENV, FAKE_CLAUDE_SCENARIO: 'memory-hog' });
    const cmd = plan.wrap(
      { file: path.join(FAKE_AGENTS_DIR, 'claude'), args: CLAUDE_ARGS, env: {} },
      { agent: 'claude', env, sessionDir: harness.root },
    );
    const leader = spawn(cmd.file, cmd.args, { env: { ...env, ...cmd.env }, cwd: target, detached: true, stdio: 'ignore' });
    const leaderPid = leader.pid!;
    try {
      const { events } = watch(leaderPid, LIMIT);
      await until(() => events.some((e) => e.kind === 'exceeded'), {
        what: 'the limit to be exceeded inside the sandbox',
      });
      expect(events.map((e) => e.kind)).toEqual(['warn', 'exceeded']);

      // the agent really is elsewhere: not in the leader's session, so a group kill would miss it
      const tree = listProcessTree(leaderPid);
      const sessions = new Set(tree.map((pid) => readProcStat(pid)?.sid));
      expect(sessions.size).toBeGreaterThan(1);
      // bwrap --die-with-parent is tied to this test process, not to the group: kill every pid found
      for (const pid of tree) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // gone
        }
      }
      await until(() => tree.every((pid) => !pidAlive(pid)), { what: 'the sandboxed tree to die' });
    } finally {
      killGroup(leaderPid, 'SIGKILL');
    }
  });
});
