import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { pageSize } from '../../process/page-size.js';
import { readProcFile } from '../../process/proc-file.js';
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

/** The processes of a run as its cgroup lists them (`cgroup.procs`); undefined when that cannot be read. */
export type RunMembers = () => readonly number[] | undefined;

/**
 * The real sampler (synchronous, a UsageSampler): reads /proc directly for `rootPid` and all its descendants.
 *
 * Not pidusage (no longer a dependency, docs/ARCHITECTURE.md): pidusage keeps one open /proc/<pid>/stat descriptor
 * per pid in a process-wide history that its only cleanup, `clear()`, drops without closing
 * (measured: 5 sampled pids, 5 descriptors still open after clear()), and clear() also wipes
 * every other run's history, so two agents running at once would reset each other's cpu
 * baseline. This sampler holds no descriptor and no timer; its state is two numbers per run.
 *
 * Which processes: with `members` (the run has a cgroup), the root and every process of the
 * cgroup. Every process the run starts joins its cgroup (the sandbox's first command joins it
 * before it becomes bwrap, and children inherit it) and nothing inside the sandbox can leave it,
 * so that is the tree and anything that left the tree unreaped: one file instead of walking every
 * thread's children. Without a cgroup the tree is walked through /proc.
 *
 * Memory: the sum of every process's VmRSS (read from /proc/<pid>/statm, the same exact count in
 * pages, cheaper for the kernel to make than /proc/<pid>/status; not the `rss` of
 * /proc/<pid>/stat, which the kernel sums approximately). Pages shared between processes count once
 * per process, so the sum can only overstate: a limit trips early, never late.
 *
 * CPU: the tree's cumulative ticks are the own time (utime+stime) plus the reaped-children time
 * (cutime+cstime) of every live process. When a process of the tree exits and its parent in the
 * tree reaps it, its time moves from one term into the other, so short-lived commands (a
 * compiler, a test worker living less than one interval) are still counted. The figure is the
 * growth of that total over the wall time between two readings.
 */
export function createTreeSampler(
  rootPid: number,
  now: () => number = () => performance.now(),
  members?: RunMembers,
): () => TreeUsage | undefined {
  let previous: { ticks: number; at: number } | undefined;
  const page = pageSize();
  return (): TreeUsage | undefined => {
    const at = now();
    let memoryBytes = 0;
    let ticks = 0;
    let pids = 0;
    let rootSeen = false;
    for (const pid of processesOf(rootPid, members)) {
      const stat = readProcStat(pid);
      if (!stat) continue; // exited since the listing
      if (pid === rootPid) rootSeen = true;
      pids++;
      ticks += stat.ownTicks + stat.reapedChildTicks;
      memoryBytes += residentBytes(pid, page);
    }
    if (!rootSeen) return undefined; // the tree is gone with its root
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

/** The root and the rest of the run's processes (the root counts even before its first command joined the cgroup). */
function processesOf(rootPid: number, members: RunMembers | undefined): readonly number[] {
  const listed = members?.();
  if (listed === undefined) return listProcessTree(rootPid);
  return listed.includes(rootPid) ? listed : [rootPid, ...listed];
}

/** VmRSS of one process in bytes; 0 for a zombie (no memory left) or a process gone. */
function residentBytes(pid: number, page: number | undefined): number {
  if (page !== undefined) {
    // statm: size resident shared text lib data dt, in pages
    const statm = readProcFile(`/proc/${pid}/statm`);
    if (statm === undefined) return 0;
    const from = statm.indexOf(' ') + 1;
    const resident = Number(statm.slice(from, statm.indexOf(' ', from)));
    return Number.isFinite(resident) && from > 0 ? resident * page : 0;
  }
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return 0;
  }
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  return match ? Number(match[1]) * 1024 : 0;
}
