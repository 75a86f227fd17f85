import { execa } from 'execa';
import { childRegistry } from './child-registry.js';

/** A session started by the dashboard: the orchestrate CLI as a child in its own process group. */
export interface OrchestrateChild {
  pid: number;
  /** Resolves with the exit code (null when killed by a signal) once it has exited. */
  exited: Promise<number | null>;
  /** SIGTERM to orchestrate (as from another terminal): it stops its agents and journals the interruption. */
  stop(): void;
}

/**
 * Starts `<node> <bin> <args>` detached (own group, so stopping it reaches its agents' supervisor
 * and nothing else), stdin closed, stdout and stderr appended to `logFile`. Registered with the
 * child registry, so it cannot outlive the dashboard that started it.
 */
export function spawnOrchestrate(
  bin: string[],
  args: string[],
  opts: { cwd: string; env: NodeJS.ProcessEnv; logFile: string },
): OrchestrateChild {
  const [file, ...pre] = bin;
  if (!file) throw new Error('spawnOrchestrate: empty command');
  const child = execa(file, [...pre, ...args], {
    cwd: opts.cwd,
    env: opts.env,
    extendEnv: false,
    detached: true,
    stdin: 'ignore',
    stdout: { file: opts.logFile, append: true },
    stderr: { file: opts.logFile, append: true },
    reject: false,
    buffer: false,
    forceKillAfterDelay: false,
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not start ${file}`);
  childRegistry.add(pid, 'orchestrate (started by the dashboard)');
  const exited = child.then((r) => {
    childRegistry.delete(pid);
    return r.exitCode ?? null;
  });
  return { pid, exited, stop: () => void child.kill('SIGTERM') };
}
