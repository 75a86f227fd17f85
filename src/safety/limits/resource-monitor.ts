import type { Clock } from '../../clock.js';
import type { ResolvedLimits } from './resolve-limits.js';
import { createTreeSampler, type RunMembers, type TreeUsage } from './tree-sampler.js';

export type { TreeUsage } from './tree-sampler.js';

/** Reads the tree once; undefined when the tree is gone (its root exited). */
export type UsageSampler = () => TreeUsage | undefined | Promise<TreeUsage | undefined>;

export type LimitKind = 'memory' | 'cpu';

/** A limit crossed: what was measured against what is allowed, and for how long so far. */
export interface LimitEvent {
  limit: LimitKind;
  /** Measured: bytes for memory, percent of one core for cpu. */
  value: number;
  /** The limit, same unit. */
  max: number;
  /** Consecutive samples over the limit, this one included. */
  samples: number;
  /** Consecutive samples that stop the run (`limits.samples`). */
  needed: number;
  pids: number;
}

export type ResourceMonitorOptions = {
  limits: ResolvedLimits;
  clock: Clock;
  /** First sample over a limit in a streak. */
  onWarn: (event: LimitEvent) => void;
  /** `limits.samples` consecutive samples over a limit; the monitor has stopped when this is called. */
  onExceeded: (event: LimitEvent) => void;
  /** The sampler failed unexpectedly; the monitor keeps going. Default: ignored. */
  onError?: (error: Error) => void;
} & ({ rootPid: number; members?: RunMembers } | { sample: UsageSampler });

/**
 * Samples one agent run's whole process tree every `limits.intervalMs` and holds it to the memory
 * and cpu limits. Per limit: the first sample over it warns (once per streak), `limits.samples`
 * consecutive samples over it report `exceeded` and end the sampling, a sample under it resets
 * the streak. Stopping the run is the caller's job (onExceeded), so this never signals anything.
 *
 * One sample at a time: the next is scheduled only after the previous one finished, so a slow
 * /proc never piles samples up. The first sample is taken at start().
 */
export class ResourceMonitor {
  private readonly sample: UsageSampler;
  private readonly streaks: Record<LimitKind, number> = { memory: 0, cpu: 0 };
  private cancelTimer: (() => void) | undefined;
  private running = false;
  private peakUsage: { memoryBytes: number; cpuPercent: number } = { memoryBytes: 0, cpuPercent: 0 };

  constructor(private readonly options: ResourceMonitorOptions) {
    this.sample = 'sample' in options ? options.sample : createTreeSampler(options.rootPid, undefined, options.members);
  }

  /** Starts sampling (idempotent). */
  start(): this {
    if (this.running) return this;
    this.running = true;
    this.runTick();
    return this;
  }

  /** Stops sampling: no timer is left, a sample in flight is discarded. Idempotent. */
  stop(): void {
    this.running = false;
    this.cancelTimer?.();
    this.cancelTimer = undefined;
  }

  get active(): boolean {
    return this.running;
  }

  /** The highest figures seen so far (for the run's summary). */
  get peak(): { memoryBytes: number; cpuPercent: number } {
    return { ...this.peakUsage };
  }

  private async tick(): Promise<void> {
    this.cancelTimer = undefined;
    let usage: TreeUsage | undefined;
    try {
      usage = await this.sample();
    } catch (error) {
      if (this.running) this.options.onError?.(error as Error);
      this.schedule();
      return;
    }
    if (!this.running) return; // stopped while sampling
    if (usage === undefined) {
      this.stop(); // the tree is gone: nothing left to hold to a limit
      return;
    }
    this.peakUsage.memoryBytes = Math.max(this.peakUsage.memoryBytes, usage.memoryBytes);
    this.peakUsage.cpuPercent = Math.max(this.peakUsage.cpuPercent, usage.cpuPercent ?? 0);
    const { limits } = this.options;
    const exceeded =
      this.check('memory', usage.memoryBytes, limits.memoryBytes, usage.pids) ??
      this.check('cpu', usage.cpuPercent, limits.cpuPercent, usage.pids);
    if (exceeded) {
      this.stop();
      this.options.onExceeded(exceeded);
      return;
    }
    this.schedule();
  }

  /** Advances one limit's streak; returns the event when the streak reached `samples`. */
  private check(limit: LimitKind, value: number | undefined, max: number | undefined, pids: number): LimitEvent | undefined {
    // No cpu figure yet (first sample) or no such limit: neither over nor under, the streak stands.
    if (value === undefined || max === undefined) return undefined;
    if (value <= max) {
      this.streaks[limit] = 0;
      return undefined;
    }
    const samples = ++this.streaks[limit];
    const event: LimitEvent = { limit, value, max, samples, needed: this.options.limits.samples, pids };
    if (samples === 1) this.options.onWarn(event);
    return samples >= event.needed ? event : undefined;
  }

  private schedule(): void {
    if (!this.running) return;
    this.cancelTimer = this.options.clock.setTimeout(() => this.runTick(), this.options.limits.intervalMs);
  }

  /** A throwing callback must not become an unhandled rejection: it is reported like a sampler failure. */
  private runTick(): void {
    this.tick().catch((error: unknown) => this.options.onError?.(error as Error));
  }
}
