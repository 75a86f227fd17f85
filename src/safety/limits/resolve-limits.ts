import { parseDuration } from '../../config/duration.js';
import type { OrchestrateConfig } from '../../config/schema.js';
import { ConfigError } from '../../errors.js';

/** The limits one agent run is held to, in plain units. */
export interface ResolvedLimits {
  /** Resident memory of the whole process tree, bytes. */
  memoryBytes: number;
  /** CPU of the whole tree in percent of one core; undefined = not checked (the default). */
  cpuPercent?: number;
  /** Consecutive samples over a limit before the run is stopped. */
  samples: number;
  intervalMs: number;
  /** Processes (threads included) per agent (default 4096). */
  processes?: number;
  /** Size of each private tmpfs of an agent, bytes (default 1 GiB). */
  tmpBytes?: number;
}

/**
 * Defaults. Memory 4 GiB: a CLI and the tests it runs fit well below it (the real CLIs sit at
 * 200-600 MB), while a runaway allocation is caught long before it takes a developer machine down.
 * CPU is off unless configured: building and testing legitimately keep every core busy for minutes,
 * so any fixed default either stops useful work or, on a big machine, never fires; an operator who
 * shares a host sets it. Three samples two seconds apart: a short spike (a compiler, a test
 * worker) passes, six seconds of sustained excess does not. 4096 processes (threads count: a node
 * CLI has about 15) leave room for a parallel test run and stop a fork bomb; 1 GiB per private
 * tmpfs holds a build's temp files, not a filler's.
 */
export const DEFAULT_LIMITS: ResolvedLimits = {
  memoryBytes: 4 * 1024 ** 3,
  samples: 3,
  intervalMs: 2000,
  processes: 4096,
  tmpBytes: 1024 ** 3,
};

/** Below this, sampling a whole /proc every tick costs more than it tells. */
const MIN_INTERVAL_MS = 50;

const SIZE_UNITS: Record<string, number> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };

/** Parses `4g`, `512m`, `1.5G`, `800mb`, `65536` (bytes); binary units. Undefined when not a size. */
export function parseSize(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)\s*([kmg]?)b?$/i.exec(text.trim());
  if (!match) return undefined;
  const bytes = Math.round(Number(match[1]) * SIZE_UNITS[match[2]!.toLowerCase()]!);
  return bytes > 0 ? bytes : undefined;
}

/**
 * `config.limits` → numbers, with the defaults above. A bad value is a config error naming the
 * field, so the session refuses to start instead of running unguarded.
 */
export function resolveLimits(limits: OrchestrateConfig['limits'] | undefined): ResolvedLimits {
  const resolved: ResolvedLimits = { ...DEFAULT_LIMITS };
  if (limits?.memory !== undefined) {
    const bytes = parseSize(limits.memory);
    if (bytes === undefined) throw new ConfigError(`limits.memory: not a size above zero: "${limits.memory}"`, 'use e.g. "4g" or "512m"');
    resolved.memoryBytes = bytes;
  }
  if (limits?.tmp !== undefined) {
    const bytes = parseSize(limits.tmp);
    if (bytes === undefined) throw new ConfigError(`limits.tmp: not a size above zero: "${limits.tmp}"`, 'use e.g. "1g" or "512m"');
    resolved.tmpBytes = bytes;
  }
  if (limits?.processes !== undefined) resolved.processes = limits.processes;
  if (limits?.cpu !== undefined) {
    if (!Number.isFinite(limits.cpu) || limits.cpu <= 0) {
      throw new ConfigError(
        `limits.cpu: must be a percentage of one core above zero, got ${limits.cpu}`,
        'use e.g. 150 for one and a half cores',
      );
    }
    resolved.cpuPercent = limits.cpu;
  }
  if (limits?.samples !== undefined) {
    if (!Number.isInteger(limits.samples) || limits.samples < 1) {
      throw new ConfigError(`limits.samples: must be a whole number of at least 1, got ${limits.samples}`, 'use e.g. 3');
    }
    resolved.samples = limits.samples;
  }
  if (limits?.interval !== undefined) {
    const ms = parseDuration(limits.interval);
    if (ms === undefined || ms < MIN_INTERVAL_MS) {
      throw new ConfigError(
        `limits.interval: not a duration of at least ${MIN_INTERVAL_MS}ms: "${limits.interval}"`,
        'use e.g. "2s" or "500ms"',
      );
    }
    resolved.intervalMs = ms;
  }
  return resolved;
}
