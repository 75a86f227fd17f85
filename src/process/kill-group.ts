import { readFileSync } from 'node:fs';
import { readProcStat } from './process-tree.js';

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
