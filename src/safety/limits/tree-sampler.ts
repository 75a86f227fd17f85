import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { listProcessTree, readProcStat } from '../../process/process-tree.js';

/** One reading of a whole process tree. */
export interface TreeUsage {
  /** Sum of the resident memory of every process of the tree, bytes. */
  memoryBytes: number;
  /** CPU of the tree since the previous reading, percent of one core; undefined on the first reading. */
  cpuPercent?: number;
  /** Processes in the tree. */
  pids: number;
}

/**
 * USER_HZ: the unit of the tick counts in /proc/<pid>/stat. The kernel fixes it at 100 for user
 * space on every architecture Node runs on (x86, arm, arm64, ppc, s390, riscv).
 */
const TICKS_PER_SECOND = 100;

/**
 * The real sampler (synchronous, a UsageSampler): reads /proc directly for `rootPid` and all its descendants.
 *
 * Not pidusage (no longer a dependency, docs/ARCHITECTURE.md): pidusage keeps one open /proc/<pid>/stat descriptor
 * per pid in a process-wide history that its only cleanup, `clear()`, drops without closing
 * (measured: 5 sampled pids, 5 descriptors still open after clear()), and clear() also wipes
 * every other run's history, so two agents running at once would reset each other's cpu
 * baseline. This sampler holds no descriptor and no timer; its state is two numbers per run.
 *
 * Memory: the sum of every process's VmRSS. Pages shared between processes count once per
 * process, so the sum can only overstate: a limit trips early, never late.
 *
 * CPU: the tree's cumulative ticks are the own time (utime+stime) plus the reaped-children time
 * (cutime+cstime) of every live process. When a process of the tree exits and its parent in the
 * tree reaps it, its time moves from one term into the other, so short-lived commands (a
 * compiler, a test worker living less than one interval) are still counted. The figure is the
 * growth of that total over the wall time between two readings.
 */
export function createTreeSampler(rootPid: number, now: () => number = () => performance.now()): () => TreeUsage | undefined {
  let previous: { ticks: number; at: number } | undefined;
  return (): TreeUsage | undefined => {
    const at = now();
    let memoryBytes = 0;
    let ticks = 0;
    let pids = 0;
    for (const pid of listProcessTree(rootPid)) {
      const stat = readProcStat(pid);
      if (!stat) continue; // exited since the listing
      pids++;
      ticks += stat.ownTicks + stat.reapedChildTicks;
      memoryBytes += residentBytes(pid);
    }
    if (pids === 0) return undefined;
    const usage: TreeUsage = { memoryBytes, pids };
    if (previous && at > previous.at) {
      const seconds = (at - previous.at) / 1000;
      // A process that left the tree unreaped (re-parented) takes its ticks with it: never below 0.
      usage.cpuPercent = (Math.max(0, ticks - previous.ticks) / TICKS_PER_SECOND / seconds) * 100;
    }
    previous = { ticks, at };
    return usage;
  };
}

/** VmRSS of one process in bytes; 0 for a zombie (no memory left) or a process gone. */
function residentBytes(pid: number): number {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return 0;
  }
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  return match ? Number(match[1]) * 1024 : 0;
}
