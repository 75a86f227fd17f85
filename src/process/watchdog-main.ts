// The watchdog process (see watchdog.ts): reads watch/unwatch/bye lines from orchestrate on stdin.
// When the pipe closes without a bye, orchestrate is gone (crashed or SIGKILLed): every watched
// run is stopped (SIGTERM, a grace, SIGKILL), then the watchdog exits. It never signals a pid
// whose start time differs from the one recorded, so a reused pid is never hit.
import { appendFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { listProcessTree, readProcStat } from './process-tree.js';
import { liveGroupMembers } from './process-tree.js';
import type { WatchTarget } from './watchdog.js';

const graceMs = Number(argValue('--grace-ms') ?? 2000);
const logFile = argValue('--log');
const watched = new Map<number, WatchTarget>();
let saidBye = false;

// In its own session already; a stray Ctrl-C or hang-up still must not end it before it has done its job.
process.on('SIGINT', () => log({ ignored: 'SIGINT' }));
process.on('SIGHUP', () => log({ ignored: 'SIGHUP' }));

const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
lines.on('line', (line) => {
  let message: Record<string, unknown>;
  try {
    message = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return log({ badLine: line });
  }
  if (message['bye'] === true) {
    saidBye = true;
    log({ bye: true, stillWatched: [...watched.keys()] });
    process.exit(0);
  }
  const target = message['watch'] as WatchTarget | undefined;
  if (target && [target.pid, target.pgid, target.startTime].every(Number.isInteger)) watched.set(target.pid, target);
  else if (typeof message['unwatch'] === 'number') watched.delete(message['unwatch']);
  else log({ unknown: message });
});
lines.on('close', () => {
  if (saidBye) return;
  void reap([...watched.values()]).finally(() => process.exit(0));
});

/** Stops every watched run and whatever it started, by explicit pids checked against their start times. */
async function reap(targets: WatchTarget[]): Promise<void> {
  // Taken now, while the leaders still link their descendants (a bwrap'd agent is only reachable that way).
  const doomed = collect(targets, new Map());
  log({ orchestrateGone: true, watched: targets.map((t) => t.pid), signalling: [...doomed.keys()] });
  if (doomed.size === 0) return;
  signalAll(doomed, 'SIGTERM');
  signalAll(doomed, 'SIGCONT'); // a paused agent must run to act on its SIGTERM
  await waitGone(doomed, graceMs);
  for (let round = 0; round < 5; round++) {
    const left = collect(targets, doomed);
    if (left.size === 0) return;
    log({ sigkill: [...left.keys()] });
    signalAll(left, 'SIGKILL');
    await waitGone(left, 1000);
  }
}

/**
 * The live processes to stop, pid → start time: each leader's tree and group while the leader is
 * still the same process; once the leader is gone, the group's leftovers that started no earlier
 * than it (a pid is not reused while its group exists); and those of `known` still the same processes.
 */
function collect(targets: WatchTarget[], known: Map<number, number>): Map<number, number> {
  const out = new Map<number, number>();
  const add = (pid: number): void => {
    const stat = readProcStat(pid);
    if (stat && stat.state !== 'Z' && pid !== process.pid) out.set(pid, stat.startTime);
  };
  for (const [pid, startTime] of known) if (sameProcess(pid, startTime)) add(pid);
  const byGroup = liveGroupMembers(new Set(targets.map((t) => t.pgid)));
  for (const t of targets) {
    const leader = readProcStat(t.pid);
    const sameLeader = leader !== undefined && leader.state !== 'Z' && leader.startTime === t.startTime;
    // A live leader with another start time is a reused pid: its group is someone else's.
    if (!sameLeader && leader !== undefined && leader.state !== 'Z') continue;
    if (sameLeader) for (const pid of listProcessTree(t.pid)) add(pid);
    for (const m of byGroup.get(t.pgid) ?? []) if (m.startTime >= t.startTime) add(m.pid);
  }
  return out;
}

function sameProcess(pid: number, startTime: number): boolean {
  const stat = readProcStat(pid);
  return stat !== undefined && stat.state !== 'Z' && stat.startTime === startTime;
}

function signalAll(pids: Map<number, number>, signal: NodeJS.Signals): void {
  for (const [pid, startTime] of pids) {
    if (!sameProcess(pid, startTime)) continue;
    try {
      process.kill(pid, signal);
    } catch {
      // exited meanwhile
    }
  }
}

async function waitGone(pids: Map<number, number>, boundMs: number): Promise<void> {
  const deadline = Date.now() + boundMs;
  while ([...pids].some(([pid, startTime]) => sameProcess(pid, startTime)) && Date.now() < deadline) await sleep(20);
}

function log(record: Record<string, unknown>): void {
  if (!logFile) return;
  try {
    appendFileSync(logFile, `${JSON.stringify({ time: new Date().toISOString(), pid: process.pid, ...record })}\n`);
  } catch {
    // logging must never stop the watchdog
  }
}

function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
