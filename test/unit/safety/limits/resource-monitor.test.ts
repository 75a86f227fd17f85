import { describe, expect, it } from 'vitest';
import { ResourceMonitor, type LimitEvent, type TreeUsage } from '../../../../src/safety/limits/resource-monitor.js';
import type { ResolvedLimits } from '../../../../src/safety/limits/resolve-limits.js';
import { ManualClock, settle } from '../../../helpers/manual-clock.js';

const MB = 1024 ** 2;
const LIMITS: ResolvedLimits = { memoryBytes: 100 * MB, cpuPercent: 150, samples: 3, intervalMs: 2000 };

/** A monitor fed a scripted series of readings (the last one repeats), recording what it reports. */
async function scripted(readings: Array<TreeUsage | undefined>, limits: ResolvedLimits = LIMITS) {
  const clock = new ManualClock();
  const warnings: LimitEvent[] = [];
  const exceeded: LimitEvent[] = [];
  const sampledAt: number[] = [];
  let i = 0;
  const monitor = new ResourceMonitor({
    limits,
    clock,
    sample: () => {
      sampledAt.push(clock.now());
      return readings[Math.min(i++, readings.length - 1)];
    },
    onWarn: (e) => warnings.push(e),
    onExceeded: (e) => exceeded.push(e),
  }).start();
  await settle();
  return { clock, monitor, warnings, exceeded, sampledAt };
}

const mem = (mb: number, cpuPercent?: number): TreeUsage => ({
  memoryBytes: mb * MB,
  pids: 2,
  ...(cpuPercent === undefined ? {} : { cpuPercent }),
});

describe('ResourceMonitor', () => {
  it('samples at start, then once per interval', async () => {
    const { clock, sampledAt } = await scripted([mem(10)]);
    await clock.fireNext();
    await clock.fireNext();
    expect(sampledAt).toEqual([0, 2000, 4000]);
  });

  it('warns on the first sample over the limit and stops after `samples` in a row', async () => {
    const { clock, monitor, warnings, exceeded } = await scripted([mem(10), mem(120), mem(130), mem(140), mem(10)]);
    await clock.fireNext(); // 120: warn
    expect(warnings).toEqual([{ limit: 'memory', value: 120 * MB, max: 100 * MB, samples: 1, needed: 3, pids: 2 }]);
    await clock.fireNext(); // 130: still only one warning
    expect(warnings).toHaveLength(1);
    expect(exceeded).toEqual([]);
    await clock.fireNext(); // 140: third in a row
    expect(exceeded).toEqual([{ limit: 'memory', value: 140 * MB, max: 100 * MB, samples: 3, needed: 3, pids: 2 }]);
    // exceeded ends the sampling: no timer left
    expect(monitor.active).toBe(false);
    expect(clock.pending).toBe(0);
  });

  it('resets the streak on a sample under the limit, and warns again for a new streak', async () => {
    const { clock, monitor, warnings, exceeded } = await scripted([mem(120), mem(120), mem(50), mem(120), mem(120), mem(50)]);
    for (let n = 0; n < 5; n++) await clock.fireNext();
    expect(warnings.map((w) => w.samples)).toEqual([1, 1]);
    expect(exceeded).toEqual([]);
    expect(monitor.active).toBe(true);
    monitor.stop();
  });

  it('holds cpu to its limit from the second sample on, separately from memory', async () => {
    // the first reading has no cpu figure (nothing to compare with yet)
    const { clock, warnings, exceeded } = await scripted([mem(10), mem(10, 200), mem(10, 300), mem(10, 400)]);
    await clock.fireNext();
    await clock.fireNext();
    await clock.fireNext();
    expect(warnings).toEqual([{ limit: 'cpu', value: 200, max: 150, samples: 1, needed: 3, pids: 2 }]);
    expect(exceeded).toEqual([{ limit: 'cpu', value: 400, max: 150, samples: 3, needed: 3, pids: 2 }]);
  });

  it('never checks cpu when no cpu limit is set', async () => {
    const { clock, warnings, monitor } = await scripted([mem(10, 10_000)], { memoryBytes: 100 * MB, samples: 1, intervalMs: 10 });
    await clock.fireNext();
    await clock.fireNext();
    expect(warnings).toEqual([]);
    expect(monitor.peak).toEqual({ memoryBytes: 10 * MB, cpuPercent: 10_000 });
    monitor.stop();
  });

  it('with samples = 1, warns and stops on the same sample', async () => {
    const { warnings, exceeded, clock } = await scripted([mem(120)], { ...LIMITS, samples: 1 });
    expect(warnings).toHaveLength(1);
    expect(exceeded).toHaveLength(1);
    expect(clock.pending).toBe(0);
  });

  it('stop() leaves no timer and discards a sample in flight', async () => {
    const clock = new ManualClock();
    const exceeded: LimitEvent[] = [];
    let release: (usage: TreeUsage) => void = () => undefined;
    const monitor = new ResourceMonitor({
      limits: { ...LIMITS, samples: 1 },
      clock,
      sample: () => new Promise<TreeUsage>((resolve) => (release = resolve)),
      onWarn: () => undefined,
      onExceeded: (e) => exceeded.push(e),
    }).start();
    monitor.stop();
    release(mem(999)); // arrives after stop: must not count
    await settle();
    expect(exceeded).toEqual([]);
    expect(clock.pending).toBe(0);
  });

  it('stops by itself when the tree is gone', async () => {
    const { clock, monitor, sampledAt } = await scripted([mem(10), undefined]);
    await clock.fireNext();
    expect(monitor.active).toBe(false);
    expect(clock.pending).toBe(0);
    expect(sampledAt).toHaveLength(2);
  });

  it('reports a failing sampler and keeps sampling', async () => {
    const clock = new ManualClock();
    const errors: string[] = [];
    let n = 0;
    const monitor = new ResourceMonitor({
      limits: LIMITS,
      clock,
      sample: () => {
        if (n++ === 0) throw new Error('EMFILE');
        return mem(10);
      },
      onWarn: () => undefined,
      onExceeded: () => undefined,
      onError: (e) => errors.push(e.message),
    }).start();
    await settle();
    expect(errors).toEqual(['EMFILE']);
    expect(clock.pending).toBe(1);
    await clock.fireNext();
    expect(n).toBe(2);
    monitor.stop();
    expect(clock.pending).toBe(0);
  });
});
