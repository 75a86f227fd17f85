import { runCaptured } from './run-captured.js';

/** What the availability probe found for one executable. */
export interface ProbeResult {
  available: boolean;
  /** First line of the version output when it answered. */
  version?: string;
  /** Why it is not available (not found, timed out, exit code N). */
  reason?: string;
}

/**
 * Runs `<executable> <versionArgs>` with a bound. Available means: it resolved, ran and exited 0
 * within `timeoutMs`. Never throws.
 */
export async function probeExecutable(
  executable: string,
  versionArgs: readonly string[],
  options: { timeoutMs: number; env: NodeJS.ProcessEnv; cwd: string },
): Promise<ProbeResult> {
  const result = await runCaptured(executable, versionArgs, {
    cwd: options.cwd,
    env: options.env,
    timeoutMs: options.timeoutMs,
    killAfterMs: 1000,
  });
  if (result.startError?.code === 'ENOENT') return { available: false, reason: `${executable}: not found on PATH` };
  if (result.startError) return { available: false, reason: `${executable}: ${result.startError.message}` };
  if (result.timedOut)
    return { available: false, reason: `${executable} ${versionArgs.join(' ')}: no answer within ${options.timeoutMs} ms` };
  if (result.exitCode !== 0) {
    const tail = result.all.trim().split('\n').slice(-1)[0] ?? '';
    return {
      available: false,
      reason: `${executable} ${versionArgs.join(' ')} exited ${result.exitCode ?? result.signal}${tail ? `: ${tail}` : ''}`,
    };
  }
  const version = result.stdout.trim().split('\n')[0];
  return version ? { available: true, version } : { available: true };
}
