import { spawn, type ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { pidAlive } from '../../../../src/process/kill-group.js';
import { listProcessTree, readProcStat } from '../../../../src/process/process-tree.js';
import { createTreeSampler } from '../../../../src/safety/limits/tree-sampler.js';
import { until } from '../../../helpers/until.js';

// Real processes, real /proc. The sampler's wall clock is injected (one second between readings),
// so a cpu figure is exactly the ticks the tree used in between, whatever the machine's load.

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

describe('createTreeSampler', () => {
  it('sums the resident memory of a grandchild into the tree', async () => {
    // the child only waits; its child fills 64 MB (filled, so the pages are really resident)
    const child = node(`
      const { spawn } = require('node:child_process');
      spawn(process.execPath, ['-e', "globalThis.b = Buffer.alloc(64 * 1024 * 1024, 1); console.log('held'); setInterval(() => {}, 1e6)"], { stdio: ['ignore', 'inherit', 'ignore'] });
      setInterval(() => {}, 1e6);
    `);
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
    await until(() => out.includes('held'), { what: 'the grandchild to hold its memory' });
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
    await until(() => ticks(busy.pid!, 'ownTicks') >= from + 30, { timeoutMs: 10_000, what: '30 ticks of busy cpu' });
    // one injected second: percent of one core = ticks used (100 ticks a second)
    expect(busySample()!.cpuPercent).toBeGreaterThanOrEqual(30);
    expect(idleSample()!.cpuPercent).toBe(0);
  });

  it('counts the cpu of commands that started and ended between two readings', async () => {
    // The parent blocks in spawnSync while each short busy child runs; every child is gone before
    // the next reading, so only the reaped-children time can show their work.
    const parent = node(`
      const { spawnSync } = require('node:child_process');
      for (;;) spawnSync(process.execPath, ['-e', 'const t = Date.now(); while (Date.now() - t < 100) {}']);
    `);
    const sample = createTreeSampler(parent.pid!, secondsClock());
    sample();
    const from = ticks(parent.pid!, 'reapedChildTicks');
    await until(() => ticks(parent.pid!, 'reapedChildTicks') >= from + 60, { timeoutMs: 15_000, what: '60 ticks of reaped children' });
    // Own time alone (the parent plus at most one live child of ≤ 100 ms) stays well below 60.
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
