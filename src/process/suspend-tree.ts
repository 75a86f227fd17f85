import { setTimeout as sleep } from 'node:timers/promises';
import { listProcessTree, readProcStat } from './process-tree.js';

/** Which processes a pause or resume reached. */
export interface TreeSignalResult {
  /** Every pid signalled, in the order it was signalled. */
  signalled: number[];
  /** Pids that did not reach the stopped state within the bound (suspend only; normally empty). */
  notStopped: number[];
}

const MAX_ROUNDS = 20;
const STOP_WAIT_MS = 500;

/**
 * Pauses (SIGSTOP) `rootPid` and every descendant. A signal to the agent's process group is not
 * enough: under `bwrap --new-session --unshare-pid` the agent lives in its own session and group,
 * visible here only as a descendant. Top-down, then the tree is listed again until no new process
 * shows up, so a child forked while its parent was being stopped is caught in the next round.
 * Resolves once every signalled process is stopped (or gone), bounded.
 */
export async function suspendTree(rootPid: number): Promise<TreeSignalResult> {
  const signalled: number[] = [];
  const done = new Set<number>();
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const fresh = listProcessTree(rootPid).filter((pid) => !done.has(pid));
    if (fresh.length === 0) break;
    for (const pid of fresh) {
      done.add(pid);
      if (sendSignal(pid, 'SIGSTOP')) signalled.push(pid);
    }
    // A stop takes effect on the process's next return to user space: wait for it before
    // listing again, so a fork that was in flight has produced its child by then.
    await waitStopped(fresh);
  }
  return { signalled, notStopped: signalled.filter((pid) => !stoppedOrGone(pid)) };
}

/**
 * Continues (SIGCONT) `rootPid` and every descendant, leaves first, so a parent never runs
 * before the children it might wait on are going again.
 */
export function resumeTree(rootPid: number): TreeSignalResult {
  const signalled = listProcessTree(rootPid)
    .reverse()
    .filter((pid) => sendSignal(pid, 'SIGCONT'));
  return { signalled, notStopped: [] };
}

function sendSignal(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(pid, signal);
    return true;
  } catch {
    return false; // exited meanwhile
  }
}

function stoppedOrGone(pid: number): boolean {
  const state = readProcStat(pid)?.state;
  // T: stopped; t: traced-stopped; Z: exited; undefined: gone
  return state === undefined || state === 'T' || state === 't' || state === 'Z' || state === 'X';
}

async function waitStopped(pids: number[]): Promise<void> {
  const deadline = Date.now() + STOP_WAIT_MS;
  while (!pids.every(stoppedOrGone) && Date.now() < deadline) await sleep(1);
}
