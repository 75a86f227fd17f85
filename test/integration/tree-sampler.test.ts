import { spawn, type ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { pidAlive } from '../../src/process/kill-group.js';
import { listProcessTree, readProcStat } from '../../src/process/process-tree.js';
import { createTreeSampler } from '../../src/safety/limits/tree-sampler.js';
import { until, waitFor } from '../helpers/until.js';

// Real processes, real /proc. The sampler's wall clock is injected (one second between readings),
// so a cpu figure is exactly the ticks the tree used in between, whatever the machine's load. The
// tests wait for ticks to be used, not for time to pass: on a loaded machine a busy process gets
// a small share of a core, so the only bound is the test's generous timeout.

const started: ChildProcess[] = [];
const pids = new Set<number>();

afterEach(async () => {
  for (const child of started.splice(0)) for (const pid of listProcessTree(child.pid!)) pids.add(pid);
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
  await until(() => [...pids].every((pid) => !pidAlive(pid)), { what: 'sampled processes to die' });
  pids.clear();
});

function node(script: string): ChildProcess {
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'ignore'] });
  started.push(child);
  pids.add(child.pid!);
  return child;
}

/** An injected clock that moves one second per reading. */
function secondsClock(): () => number {
  let t = 0;
  return () => (t += 1000);
}

const ticks = (pid: number, key: 'ownTicks' | 'reapedChildTicks'): number => readProcStat(pid)?.[key] ?? 0;

/** Fails the wait at once when the process that would use the ticks is gone. */
const gone = (child: ChildProcess) => (): string | false =>
  (child.exitCode !== null || child.signalCode !== null) && `process ${child.pid} exited`;

describe('createTreeSampler', { timeout: 180_000 }, () => {
  it('sums the resident memory of a grandchild into the tree', async () => {
    // the child only waits; its child fills 64 MB (filled, so the pages are really resident)
    const child = node(`
      const { spawn } = require('node:child_process');
      spawn(process.execPath, ['-e', "globalThis.b = Buffer.alloc(64 * 1024 * 1024, 1); console.log('held'); setInterval(() => {}, 1e6)"], { stdio: ['ignore', 'inherit', 'ignore'] });
      setInterval(() => {}, 1e6);
    `);
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
    await waitFor(() => out.includes('held'), { what: 'the grandchild to hold its memory', unless: gone(child) });
    const usage = createTreeSampler(child.pid!)();
    expect(usage!.pids).toBe(2);
    expect(usage!.memoryBytes).toBeGreaterThan(64 * 1024 ** 2);
  });

  it('gives no cpu figure on the first reading, then the ticks used since the previous one', async () => {
    const busy = node('for (;;) {}');
    const idle = spawn('sleep', ['30'], { stdio: 'ignore' });
    started.push(idle);
    const busySample = createTreeSampler(busy.pid!, secondsClock());
    const idleSample = createTreeSampler(idle.pid!, secondsClock());
    expect(busySample()!.cpuPercent).toBeUndefined();
    expect(idleSample()!.cpuPercent).toBeUndefined();
    const from = ticks(busy.pid!, 'ownTicks');
    await waitFor(() => ticks(busy.pid!, 'ownTicks') >= from + 30, { what: '30 ticks of busy cpu', unless: gone(busy) });
    // one injected second: percent of one core = ticks used (100 ticks a second)
    expect(busySample()!.cpuPercent).toBeGreaterThanOrEqual(30);
    expect(idleSample()!.cpuPercent).toBe(0);
  });

  it('counts the cpu of commands that started and ended between two readings', async () => {
    // The parent blocks in spawnSync while each short busy child runs; every child is gone before
    // the next reading, so only the reaped-children time can show their work. Each child burns
    // 100 ms of cpu (not of wall time: under load that would be a few ticks).
    const parent = node(`
      const { spawnSync } = require('node:child_process');
      for (;;) spawnSync(process.execPath, ['-e', 'const t = process.cpuUsage(); while (process.cpuUsage(t).user < 100000) {}']);
    `);
    const sample = createTreeSampler(parent.pid!, secondsClock());
    sample();
    const from = ticks(parent.pid!, 'reapedChildTicks');
    await waitFor(() => ticks(parent.pid!, 'reapedChildTicks') >= from + 60, { what: '60 ticks of reaped children', unless: gone(parent) });
    // Own time alone (the parent plus at most one live child: its start-up and ≤ 100 ms) stays well below 60.
    expect(sample()!.cpuPercent).toBeGreaterThanOrEqual(60);
  });

  it('reads undefined once the root is gone', async () => {
    const child = spawn('sleep', ['30'], { stdio: 'ignore' });
    started.push(child);
    const sample = createTreeSampler(child.pid!);
    expect(sample()).toBeDefined();
    child.kill('SIGKILL');
    await until(() => !pidAlive(child.pid!), { what: 'the root to die' });
    await until(() => sample() === undefined, { what: 'the sampler to see the tree gone' });
  });
});
