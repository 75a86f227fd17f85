import { readFileSync } from 'node:fs';
import { listProcessTree, readProcStat } from './process-tree.js';

/** Sends `signal` to the whole process group led by `pgid`. False when the group is gone. */
export function signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw error;
  }
}

/**
 * Sends `signal` to the process groups of `rootPid`'s children that are not its own group, and
 * not to `rootPid`. Under `bwrap --new-session --unshare-pid` that is the sandbox's own group: the
 * agent CLI and what it started (and bwrap's pid 1 inside, which the kernel shields from any
 * signal it has no handler for). bwrap itself must not get it: it dies of a SIGTERM, and its pid 1
 * and every process inside go with it by SIGKILL (--die-with-parent), with no time to save
 * anything. False when there is no such group (the sandbox has not started its command yet).
 */
export function signalInnerGroups(rootPid: number, signal: NodeJS.Signals): boolean {
  const own = readProcStat(rootPid)?.pgid;
  const groups = new Set<number>();
  for (const pid of listProcessTree(rootPid).slice(1)) {
    const stat = readProcStat(pid);
    if (stat && stat.ppid === rootPid && stat.pgid !== own && stat.pgid > 0) groups.add(stat.pgid);
  }
  let sent = false;
  for (const pgid of groups) sent = signalGroup(pgid, signal) || sent;
  return sent;
}

/**
 * SIGKILLs `pid` if it is still the process that started at `startTime` (field 22 of
 * /proc/<pid>/stat), so a reused pid is never hit. True when the signal was sent.
 */
export function killIfSame(pid: number, startTime: number): boolean {
  if (readProcStat(pid)?.startTime !== startTime) return false;
  return killPid(pid);
}

/** SIGKILLs one process. False when it had exited already. */
export function killPid(pid: number): boolean {
  try {
    process.kill(pid, 'SIGKILL');
    return true;
  } catch {
    return false; // exited meanwhile
  }
}

/** True while any process of the group `pgid` exists. */
export function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (error) {
    // EPERM means it exists but belongs to someone else: still alive.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * True while `pid` names a live process. A zombie counts as dead: it has finished and only waits
 * to be reaped, so it will never act again.
 */
export function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    // no /proc (not Linux) or the pid is gone: ask the kernel directly
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
