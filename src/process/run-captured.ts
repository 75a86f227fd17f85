import { spawn, type ChildProcess } from 'node:child_process';
import { childRegistry } from './child-registry.js';
import { signalGroup } from './kill-group.js';

/** How a captured command ended. */
export interface CapturedResult {
  /** Null when a signal ended it or it never started. */
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** It ran past `timeoutMs` and was stopped. */
  timedOut: boolean;
  /** Why it could not start (ENOENT: not found; E2BIG: arguments too long). */
  startError?: NodeJS.ErrnoException;
  /** The first `stdoutBytes` of stdout. */
  stdout: string;
  /** The last `tailBytes` of stdout and stderr together, in the order they arrived. */
  all: string;
}

export interface CapturedOptions {
  cwd?: string;
  /** The complete environment (nothing else leaks in). */
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
  /** After the SIGTERM of a timeout or abort, the SIGKILL. */
  killAfterMs: number;
  signal?: AbortSignal;
  stdoutBytes?: number;
  tailBytes?: number;
}

/**
 * Runs a command to its end or its time bound with no stdin, in its own process group (a timeout
 * or abort SIGTERMs the group, then SIGKILLs it; whatever the command left in its group goes at
 * its exit), registered so it cannot outlive orchestrate. Never throws: a start that fails is
 * `startError`. node:child_process directly: orchestrate's short checks (version probes, the
 * sandbox probe, the self-test, the mechanical review's tests) need none of execa's layers.
 */
export function runCaptured(file: string, args: readonly string[], options: CapturedOptions): Promise<CapturedResult> {
  const stdoutBytes = options.stdoutBytes ?? 1_000_000;
  const tailBytes = options.tailBytes ?? 64 * 1024;
  let child: ChildProcess;
  try {
    child = spawn(file, [...args], { cwd: options.cwd, env: options.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    // E2BIG is thrown by spawn itself
    const startError = error as NodeJS.ErrnoException;
    return Promise.resolve({ exitCode: null, signal: null, timedOut: false, startError, stdout: '', all: '' });
  }
  const pid = child.pid;
  if (pid !== undefined) childRegistry.add(pid, `${file} (bounded)`);
  let stdout = '';
  let all = '';
  let timedOut = false;
  let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  let killer: NodeJS.Timeout | undefined;
  const stop = (): void => {
    if (pid === undefined || exit) return;
    signalGroup(pid, 'SIGTERM');
    killer ??= setTimeout(() => signalGroup(pid, 'SIGKILL'), options.killAfterMs);
  };
  const timer = setTimeout(() => {
    timedOut = true;
    stop();
  }, options.timeoutMs);
  const take = (chunk: Buffer, isStdout: boolean): void => {
    const text = chunk.toString('utf8');
    if (isStdout && stdout.length < stdoutBytes) stdout = (stdout + text).slice(0, stdoutBytes);
    all = (all + text).slice(-tailBytes);
  };
  child.stdout?.on('data', (chunk: Buffer) => take(chunk, true));
  child.stderr?.on('data', (chunk: Buffer) => take(chunk, false));
  for (const stream of [child.stdout, child.stderr]) stream?.on('error', () => undefined);
  child.once('exit', (code, signal) => {
    exit = { code, signal };
    // what it left in its group (a test server, a watcher) goes with it, and cannot hold the pipes open
    if (pid !== undefined) signalGroup(pid, 'SIGKILL');
  });
  if (options.signal?.aborted) stop();
  else options.signal?.addEventListener('abort', stop, { once: true });
  return new Promise((resolve) => {
    let startError: NodeJS.ErrnoException | undefined;
    // ENOENT, EACCES: no pid, an 'error', then 'close'; a later error (a failed signal) changes nothing
    child.on('error', (error: NodeJS.ErrnoException) => (startError ??= pid === undefined ? error : undefined));
    child.once('close', () => {
      clearTimeout(timer);
      clearTimeout(killer);
      options.signal?.removeEventListener('abort', stop);
      if (pid !== undefined) childRegistry.delete(pid);
      resolve({ exitCode: exit?.code ?? null, signal: exit?.signal ?? null, timedOut, ...(startError ? { startError } : {}), stdout, all });
    });
  });
}
