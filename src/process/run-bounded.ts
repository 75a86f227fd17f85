import { execa } from 'execa';

/** How a bounded command ended. */
export interface BoundedResult {
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  /** The last bytes of stdout and stderr together. */
  outputTail: string;
}

/**
 * Runs a command to its end or its time bound, in its own process group (killed whole on timeout
 * or abort), with no stdin. Used for orchestrate's own checks (the mechanical review's tests).
 */
export async function runBounded(
  file: string,
  args: readonly string[],
  options: { cwd: string; env: Record<string, string>; timeoutMs: number; signal?: AbortSignal; tailBytes?: number },
): Promise<BoundedResult> {
  const sub = execa(file, args, {
    cwd: options.cwd,
    env: options.env,
    extendEnv: false,
    stdin: 'ignore',
    all: true,
    reject: false,
    detached: true,
    cleanup: true,
    timeout: options.timeoutMs,
    forceKillAfterDelay: 2000,
    maxBuffer: 10_000_000,
    ...(options.signal ? { cancelSignal: options.signal } : {}),
  });
  let result: Awaited<typeof sub>;
  try {
    result = await sub;
  } finally {
    // whatever the command left in its group (a test server, a watcher) goes with it
    if (sub.pid !== undefined) {
      try {
        process.kill(-sub.pid, 'SIGKILL');
      } catch {
        // the group is already gone
      }
    }
  }
  const all = String(result.all ?? '');
  return {
    exitCode: result.exitCode ?? null,
    signal: result.signal ?? null,
    timedOut: result.timedOut,
    outputTail: all.slice(-(options.tailBytes ?? 4000)),
  };
}
