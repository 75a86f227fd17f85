import { readFileSync } from 'node:fs';

/**
 * True while `pid` names a live process. A zombie counts as dead: its supervisor has finished and
 * only waits to be reaped, so it will never write to the session again.
 */
export function isPidAlive(pid: number): boolean {
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
