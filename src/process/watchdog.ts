import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Socket } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readProcStat } from './process-tree.js';

/** One agent run the watchdog must not let outlive orchestrate. `startTime` (from /proc) guards against pid reuse. */
export interface WatchTarget {
  pid: number;
  pgid: number;
  startTime: number;
}

/**
 * The line protocol on the watchdog's stdin, one JSON object a line. The pipe closing without a
 * `bye` first means orchestrate died (even by SIGKILL): the watchdog then stops everything watched.
 */
export type WatchdogMessage = { watch: WatchTarget } | { unwatch: number } | { bye: true };

export interface WatchdogOptions {
  /** How long watched processes get between SIGTERM and SIGKILL once orchestrate is gone (default 2 s). */
  graceMs?: number;
  /** Where the watchdog appends one JSON line per thing it did (default: nowhere). */
  logFile?: string;
  /** The compiled watchdog-main.js (default: found next to this module, or in dist/ when running from src/). */
  mainPath?: string;
  /** Its environment (default: orchestrate's). */
  env?: NodeJS.ProcessEnv;
}

/** orchestrate's handle on its watchdog. Every method is a no-op once the watchdog is gone or said bye to. */
export interface Watchdog {
  readonly pid: number;
  /** Watches an agent run; `pgid` defaults to its pid, `startTime` is read from /proc. False when the pid is already gone. */
  watch(target: { pid: number; pgid?: number; startTime?: number }): boolean;
  /** Forgets a run that ended (so its pid, once reused, is certainly never signalled). */
  unwatch(pid: number): void;
  /** Clean shutdown: the watchdog exits at once and signals nothing. */
  bye(): void;
  /** True until bye() or the watchdog's exit. */
  readonly active: boolean;
}

/**
 * Starts the watchdog: `node watchdog-main.js` detached (own session and group, so the terminal's
 * Ctrl-C and hang-up do not reach it), stdin a pipe from orchestrate, stdout and stderr ignored (it
 * must not hold orchestrate's output open). It is unreferenced, pipe included, so it never keeps
 * orchestrate's event loop alive.
 */
export function startWatchdog(options: WatchdogOptions = {}): Watchdog {
  const main = options.mainPath ?? watchdogMainPath();
  const args = [main, '--grace-ms', String(options.graceMs ?? 2000), ...(options.logFile ? ['--log', options.logFile] : [])];
  const child = spawn(process.execPath, args, { detached: true, stdio: ['pipe', 'ignore', 'ignore'], env: options.env ?? process.env });
  return new WatchdogHandle(child);
}

/** `watchdog-main.js` beside the compiled module; from the TypeScript sources (tests), the built one in dist/. */
export function watchdogMainPath(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const sibling = path.join(here, 'watchdog-main.js');
  if (existsSync(sibling)) return sibling;
  const built = path.resolve(here, '../../dist/process/watchdog-main.js');
  if (existsSync(built)) return built;
  throw new Error(`watchdog-main.js not found next to ${here} nor in dist/ (run npm run build)`);
}

class WatchdogHandle implements Watchdog {
  readonly pid: number;
  private open = true;
  private readonly stdin: Socket;

  constructor(private readonly child: ChildProcess) {
    this.pid = child.pid ?? -1;
    this.stdin = child.stdin as unknown as Socket;
    // a watchdog that died (or never started) must not crash orchestrate through its pipe
    this.stdin.on('error', () => (this.open = false));
    child.on('error', () => (this.open = false));
    child.on('exit', () => (this.open = false));
    child.unref();
    this.stdin.unref();
    if (child.pid === undefined) this.open = false;
  }

  get active(): boolean {
    return this.open;
  }

  watch(target: { pid: number; pgid?: number; startTime?: number }): boolean {
    const startTime = target.startTime ?? readProcStat(target.pid)?.startTime;
    if (startTime === undefined) return false;
    this.send({ watch: { pid: target.pid, pgid: target.pgid ?? target.pid, startTime } });
    return true;
  }

  unwatch(pid: number): void {
    this.send({ unwatch: pid });
  }

  bye(): void {
    this.send({ bye: true });
    this.open = false;
    this.stdin.end();
  }

  private send(message: WatchdogMessage): void {
    if (!this.open) return;
    this.stdin.write(`${JSON.stringify(message)}\n`);
  }
}
