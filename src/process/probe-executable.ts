import { execa } from 'execa';

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
  const result = await execa(executable, versionArgs, {
    cwd: options.cwd,
    env: options.env,
    extendEnv: false,
    stdin: 'ignore',
    timeout: options.timeoutMs,
    reject: false,
    forceKillAfterDelay: 1000,
    all: true,
    maxBuffer: 1_000_000,
  });
  if (result.failed && result.code === 'ENOENT') return { available: false, reason: `${executable}: not found on PATH` };
  if (result.timedOut)
    return { available: false, reason: `${executable} ${versionArgs.join(' ')}: no answer within ${options.timeoutMs} ms` };
  if (result.exitCode !== 0) {
    const tail =
      String(result.all ?? '')
        .trim()
        .split('\n')
        .slice(-1)[0] ?? '';
    return {
      available: false,
      reason: `${executable} ${versionArgs.join(' ')} exited ${result.exitCode ?? result.signal}${tail ? `: ${tail}` : ''}`,
    };
  }
  const version = String(result.stdout ?? '')
    .trim()
    .split('\n')[0];
  return version ? { available: true, version } : { available: true };
}
