import { runCaptured } from './run-captured.js';

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
  const result = await runCaptured(file, args, {
    cwd: options.cwd,
    env: options.env,
    timeoutMs: options.timeoutMs,
    killAfterMs: 2000,
    ...(options.signal ? { signal: options.signal } : {}),
    stdoutBytes: 0,
    tailBytes: options.tailBytes ?? 4000,
  });
  return {
    exitCode: result.exitCode,
    signal: result.signal,
    timedOut: result.timedOut,
    outputTail: result.startError ? String(result.startError.message) : result.all.replace(/\r?\n$/, ''),
  };
}
