import { statfsSync } from 'node:fs';
import { listProcessTree } from '../../process/process-tree.js';
import type { AgentCgroup } from './cgroups.js';
import { HeldFile } from './held-file.js';

/** A limit the kernel enforced (or the watch saw crossed), with its figures. */
export interface LimitHit {
  limit: 'processes' | 'memory' | 'tmp';
  /** Measured: processes, bytes. */
  value: number;
  max: number;
  /** How it was enforced: `cgroup` (the kernel refused), `tmpfs` (the private tmpfs is full), `watch` (counted). */
  by: 'cgroup' | 'tmpfs' | 'watch';
  detail: string;
}

/** What a run watches besides its process tree's sampling: called every poll until a hit. */
export interface RunLimits {
  /** `cgroup v1`, `cgroup v2`, or `none` with the fallback used. */
  mechanism: string;
  poll(rootPid: number): LimitHit | undefined;
  /** The run's processes as its cgroup lists them (the tree sampler reads these instead of walking the tree); absent without a cgroup. */
  members?: () => readonly number[] | undefined;
  /** Lets go of what the polls hold open (the run ended). */
  close?(): void;
}

export interface RunLimitsInput {
  cgroup?: AgentCgroup;
  mechanism: string;
  pidsMax: number;
  memoryBytes: number;
  /** Private tmpfs mounts inside the sandbox, and their size. */
  tmpfs: readonly string[];
  tmpSizeBytes: number;
}

/**
 * Watches one run: the cgroup's own counters (pids.max refused a fork, the OOM killer ran), and
 * whether a private tmpfs is full (seen through /proc/<pid>/root of a process inside the
 * sandbox). Without a cgroup it counts the tree's processes against the same maximum.
 */
export function runLimits(input: RunLimitsInput): RunLimits {
  /** A process inside the sandbox, with its /proc/<pid>/stat held open (the descriptor names that one process). */
  let insider: { pid: number; stat: HeldFile } | undefined;
  const forget = (): void => {
    insider?.stat.close();
    insider = undefined;
  };
  const cgroup = input.cgroup;
  let polls = 0;
  /**
   * A live process of the sandbox (it sees the tmpfs however it was re-parented): the one held, or
   * a new one from the tree (`tree`: already listed by this poll). With a cgroup the tree is walked
   * only to find a new one.
   */
  const insiderPid = (rootPid: number, tree: readonly number[] | undefined): number | undefined => {
    if (insider !== undefined && isLive(insider.stat) && (tree === undefined || tree.includes(insider.pid))) return insider.pid;
    forget();
    const pid = (tree ?? listProcessTree(rootPid)).find((p) => p !== rootPid);
    if (pid === undefined) return undefined;
    const stat = new HeldFile(`/proc/${pid}/stat`);
    if (!isLive(stat)) {
      stat.close();
      return undefined;
    }
    insider = { pid, stat };
    return pid;
  };
  return {
    mechanism: input.mechanism,
    close: forget,
    ...(cgroup ? { members: () => cgroup.members() } : {}),
    poll(rootPid) {
      // the cgroup's event files say whether a limit was hit; its figures are read only then
      const hits = cgroup?.hits();
      if (cgroup && hits && (hits.pidsMaxHits > 0 || hits.oomKills > 0)) {
        const c = cgroup.counters();
        if (c.pidsMaxHits > 0)
          return {
            limit: 'processes',
            value: Math.max(c.pids, input.pidsMax),
            max: input.pidsMax,
            by: 'cgroup',
            detail: `pids.max refused ${c.pidsMaxHits} fork(s)`,
          };
        if (c.oomKills > 0)
          return {
            limit: 'memory',
            value: Math.max(c.memoryBytes, input.memoryBytes),
            max: input.memoryBytes,
            by: 'cgroup',
            detail: `the kernel killed ${c.oomKills} process(es) at the memory limit`,
          };
      }
      // without a cgroup the tree's processes are counted every poll
      const tree = cgroup ? undefined : listProcessTree(rootPid);
      if (tree && tree.length > input.pidsMax) {
        return {
          limit: 'processes',
          value: tree.length,
          max: input.pidsMax,
          by: 'watch',
          detail: `${tree.length} processes in the tree`,
        };
      }
      // the kernel already bounds each tmpfs; whether one is full is looked at every few polls (a
      // statfs through the insider's root per tmpfs is most of a poll's cost, with many agents),
      // and only then is the insider looked for or checked
      if (input.tmpfs.length === 0 || polls++ % TMPFS_EVERY !== 0) return undefined;
      const pid = insiderPid(rootPid, tree);
      if (pid === undefined) {
        polls = 0; // none yet (the sandbox is starting): looked for again at the next poll
        return undefined;
      }
      for (const dir of input.tmpfs) {
        try {
          const s = statfsSync(`/proc/${pid}/root${dir}`);
          const size = s.blocks * s.bsize;
          // a tmpfs of this size is ours (the host's own mounts at these paths do not count)
          if (Math.abs(size - input.tmpSizeBytes) > s.bsize || s.bfree > 0) continue;
          return { limit: 'tmp', value: size, max: input.tmpSizeBytes, by: 'tmpfs', detail: `the private ${dir} is full` };
        } catch {
          // not visible (yet): the process left, or the path is not a mount there
        }
      }
      return undefined;
    },
  };
}

/** The tmpfs are looked at on the first poll with an insider and every this many after (the run's poll is every 200 ms: within a second). */
const TMPFS_EVERY = 5;

/** The process the descriptor was opened for still exists (a reused pid is another process) and is not a zombie. */
function isLive(stat: HeldFile): boolean {
  const text = stat.read();
  if (text === undefined) return false;
  // field 3 (state) follows the command name, which is in parentheses and may itself hold ')'
  const close = text.lastIndexOf(')');
  return close >= 0 && text.length > close + 2 && text[close + 2] !== 'Z';
}
