import { readdirSync, readFileSync } from 'node:fs';
import { readProcFile } from './proc-file.js';

/**
 * Process trees read from /proc (Linux). An agent is either a process-group leader (unsandboxed)
 * or the child of a bwrap leader that started it in another session and group
 * (`--new-session --unshare-pid`; its outer pids are visible from here). Only walking descendants
 * finds every process of both shapes, so that is what this module does.
 *
 * Every read tolerates a process exiting between listing and reading: a process that is gone is
 * simply not part of the answer.
 */

/** The fields of `/proc/<pid>/stat` orchestrate uses. */
export interface ProcStat {
  pid: number;
  /** R, S, D, Z (zombie), T, … */
  state: string;
  ppid: number;
  pgid: number;
  /** Session id. */
  sid: number;
  /** User + system CPU time of the process itself, in clock ticks. */
  ownTicks: number;
  /** User + system CPU time of its reaped children (waited for), in clock ticks. */
  reapedChildTicks: number;
  /** Field 22: clock ticks after boot when the process started; with the pid, names one process. */
  startTime: number;
}

/** Reads and parses `/proc/<pid>/stat`; undefined when the process is gone (or not Linux). */
export function readProcStat(pid: number): ProcStat | undefined {
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  const text = readProcFile(`/proc/${pid}/stat`);
  if (text === undefined) return undefined;
  // The command name (field 2) is in parentheses and may itself hold spaces and ')': split after the last one.
  const close = text.lastIndexOf(')');
  if (close < 0) return undefined;
  // rest[0] is field 3 (state), so field N is rest[N - 3].
  const rest = text.slice(close + 2).split(' ');
  const field = (n: number): number => Number(rest[n - 3]);
  const stat: ProcStat = {
    pid,
    state: rest[0] ?? '?',
    ppid: field(4),
    pgid: field(5),
    sid: field(6),
    ownTicks: field(14) + field(15),
    reapedChildTicks: field(16) + field(17),
    startTime: field(22),
  };
  return Number.isFinite(stat.ppid) && Number.isFinite(stat.startTime) ? stat : undefined;
}

/** Field 22 of `/proc/<pid>/stat`: compare before signalling a remembered pid, so a reused pid is never hit. */
export function processStartTime(pid: number): number | undefined {
  return readProcStat(pid)?.startTime;
}

/** True when `pid` has exited and waits to be reaped (it will never act again). */
export function isZombie(pid: number): boolean {
  return readProcStat(pid)?.state === 'Z';
}

/**
 * `rootPid` and all its live descendants (zombies included: they still hold a pid), root first,
 * then breadth first. Empty when the root is gone.
 */
export function listProcessTree(rootPid: number): number[] {
  if (readProcStat(rootPid) === undefined) return [];
  const childrenOf = childrenFileSupported() ? childrenFromTaskFiles : childrenIndexFromStat();
  const tree: number[] = [rootPid];
  const seen = new Set(tree);
  for (let i = 0; i < tree.length; i++) {
    for (const child of childrenOf(tree[i]!)) {
      if (seen.has(child)) continue;
      seen.add(child);
      tree.push(child);
    }
  }
  return tree;
}

let childrenFileCache: boolean | undefined;

/** `/proc/<pid>/task/<tid>/children` exists only with CONFIG_PROC_CHILDREN; probe once on ourselves. */
function childrenFileSupported(): boolean {
  if (childrenFileCache === undefined) {
    try {
      readFileSync(`/proc/${process.pid}/task/${process.pid}/children`, 'utf8');
      childrenFileCache = true;
    } catch {
      childrenFileCache = false;
    }
  }
  return childrenFileCache;
}

/** Children of every thread of `pid` (a child belongs to the thread that forked it, so read them all). */
function childrenFromTaskFiles(pid: number): number[] {
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return [];
  }
  const children: number[] = [];
  for (const tid of tids) {
    let text: string;
    try {
      text = readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8');
    } catch {
      continue; // the thread or the process ended meanwhile
    }
    for (const word of text.split(' ')) if (word) children.push(Number(word));
  }
  return children;
}

/** Every process's stat, in one pass over /proc (empty where there is no /proc). */
function allProcStats(): ProcStat[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    entries = [];
  }
  const stats: ProcStat[] = [];
  for (const name of entries) {
    if (!/^\d+$/.test(name)) continue;
    const stat = readProcStat(Number(name));
    if (stat) stats.push(stat); // else it exited between readdir and read
  }
  return stats;
}

/** One pass over every /proc/<pid>/stat, indexed by parent: the fallback without children files. */
function childrenIndexFromStat(): (pid: number) => number[] {
  const byParent = new Map<number, number[]>();
  for (const stat of allProcStats()) {
    const siblings = byParent.get(stat.ppid);
    if (siblings) siblings.push(stat.pid);
    else byParent.set(stat.ppid, [stat.pid]);
  }
  return (pid) => byParent.get(pid) ?? [];
}

/** The live members of each process group in `pgids`, with their start times. */
export function liveGroupMembers(pgids: ReadonlySet<number>): Map<number, Array<{ pid: number; startTime: number }>> {
  const out = new Map<number, Array<{ pid: number; startTime: number }>>();
  for (const stat of allProcStats()) {
    if (stat.state === 'Z' || !pgids.has(stat.pgid)) continue;
    const list = out.get(stat.pgid) ?? [];
    list.push({ pid: stat.pid, startTime: stat.startTime });
    out.set(stat.pgid, list);
  }
  return out;
}
