import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { pidAlive } from '../../src/process/kill-group.js';
import { listProcessTree, readProcStat } from '../../src/process/process-tree.js';
import { AgentCgroup, detectCgroups } from '../../src/safety/limits/cgroups.js';
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

/** Waits until `pid` is `sleep` (exec done) and asleep. */
const asleep = (pid: number): Promise<unknown> =>
  until(() => readFileSync(`/proc/${pid}/comm`, 'utf8') === 'sleep\n' && readProcStat(pid)?.state === 'S', { what: 'sleep to be asleep' });

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
    // idle from its first reading on: not while the fork still becomes sleep (that takes a tick or two)
    await asleep(idle.pid!);
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

  it('reads the same resident memory as VmRSS in /proc/<pid>/status', async () => {
    const idle = spawn('sleep', ['30'], { stdio: 'ignore' });
    started.push(idle);
    // once it sleeps (exec done) its memory stays put
    await asleep(idle.pid!);
    const vmRss = Number(/^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${idle.pid}/status`, 'utf8'))![1]) * 1024;
    expect(createTreeSampler(idle.pid!)()!.memoryBytes).toBe(vmRss);
  });

  it("with the run's cgroup members: counts a process outside the tree that the cgroup lists, and the root even when it is not listed", () => {
    const root = spawn('sleep', ['30'], { stdio: 'ignore' });
    const outside = node('globalThis.b = Buffer.alloc(32 * 1024 * 1024, 1); setInterval(() => {}, 1e6)');
    started.push(root);
    expect(listProcessTree(root.pid!)).toEqual([root.pid]);
    const walked = createTreeSampler(root.pid!)()!;
    const byCgroup = createTreeSampler(root.pid!, undefined, () => [outside.pid!])()!;
    expect(walked.pids).toBe(1);
    expect(byCgroup.pids).toBe(2);
    expect(byCgroup.memoryBytes).toBeGreaterThan(walked.memoryBytes);
    // members that cannot be read: the tree is walked
    expect(createTreeSampler(root.pid!, undefined, () => undefined)()!.pids).toBe(1);
  });

  it('with cgroup members: undefined once the root is gone, whatever the cgroup still lists', async () => {
    const root = spawn('sleep', ['30'], { stdio: 'ignore' });
    const other = spawn('sleep', ['30'], { stdio: 'ignore' });
    started.push(root, other);
    const sample = createTreeSampler(root.pid!, undefined, () => [root.pid!, other.pid!]);
    expect(sample()!.pids).toBe(2);
    root.kill('SIGKILL');
    await until(() => !pidAlive(root.pid!), { what: 'the root to die' });
    await until(() => sample() === undefined, { what: 'the sampler to see the tree gone' });
  });
});

const cgroups = detectCgroups();

describe.skipIf(cgroups.kind === 'none')('createTreeSampler with a real cgroup', { timeout: 180_000 }, () => {
  it('counts a process that left the tree (its parent exited) but stays in the cgroup; the tree walk loses it', async () => {
    if (cgroups.kind === 'none') return;
    const cg = AgentCgroup.create(cgroups, `orchestrate-${process.pid}-sampler-${Date.now()}`, { pidsMax: 64, memoryBytes: 1024 ** 3 });
    try {
      // as the sandbox's prelude: join the cgroup, then become the run's root; the root starts a
      // middle process that starts a holder of 48 MB in the background and exits at once
      const holder = 'globalThis.b = Buffer.alloc(48 * 1024 * 1024, 1); console.log(process.pid); setInterval(() => {}, 1e6)';
      const middle = `require('node:child_process').spawn(process.execPath, ['-e', ${JSON.stringify(holder)}], { detached: true, stdio: ['ignore', 'inherit', 'ignore'] }).unref()`;
      const root = spawn(
        'sh',
        [
          '-c',
          'for f in $0; do echo $$ > "$f"; done; exec "$@"',
          cg.procsFiles().join(' '),
          process.execPath,
          '-e',
          `require('node:child_process').spawn(process.execPath, ['-e', ${JSON.stringify(middle)}], { stdio: ['ignore', 'inherit', 'ignore'] }); setInterval(() => {}, 1e6)`,
        ],
        { stdio: ['ignore', 'pipe', 'ignore'] },
      );
      started.push(root);
      let out = '';
      root.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
      const holderPid = await waitFor(() => Number(out.trim()) || undefined, { what: 'the holder to start', unless: gone(root) });
      pids.add(holderPid);
      // the middle process is gone: the holder was re-parented out of the root's tree
      await until(() => !listProcessTree(root.pid!).includes(holderPid) && listProcessTree(root.pid!).length === 1, {
        what: 'the holder to leave the tree',
      });
      expect(cg.members()).toEqual(expect.arrayContaining([root.pid, holderPid]));
      const byCgroup = createTreeSampler(root.pid!, undefined, () => cg.members())()!;
      const walked = createTreeSampler(root.pid!)()!;
      expect(walked.pids).toBe(1);
      expect(byCgroup.pids).toBe(2);
      expect(byCgroup.memoryBytes - walked.memoryBytes).toBeGreaterThanOrEqual(48 * 1024 ** 2);
    } finally {
      for (const pid of cg.members() ?? []) pids.add(pid);
      cg.remove();
    }
  });
});
