import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { childRegistry } from './child-registry.js';
import { FileCopy } from './file-copy.js';
import { groupAlive, signalGroup, signalInnerGroups } from './kill-group.js';

/** How an agent process ended. `signal` is set when a signal ended it. */
export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** What to start and where its raw output goes. */
export interface SpawnAgentOptions {
  file: string;
  args: readonly string[];
  /** The complete environment (nothing else leaks in). */
  env: Record<string, string>;
  cwd: string;
  /** Byte-for-byte copies of stdout and stderr. */
  stdoutFile: string;
  stderrFile: string;
  /** Called with every stdout chunk as it arrives (no polling). */
  onStdout: (chunk: Buffer) => void;
  /** Called with every stderr chunk as it arrives. */
  onStderr?: (chunk: Buffer) => void;
  /** A file whose content is the child's stdin (the prompt: no per-argument size limit); else stdin is closed. */
  stdinFile?: string;
  label: string;
  /**
   * The command is the bubblewrap sandbox (`--new-session --unshare-pid --die-with-parent`): a
   * stop's SIGTERM goes to the sandbox's own group, where the agent is, not to bwrap.
   */
  sandboxed?: boolean;
}

const STDERR_TAIL_BYTES = 64 * 1024;

/**
 * One agent CLI running in its own process group (detached), stdin closed (codex hangs on an
 * open stdin; claude waits 3 s for it). Stopping always targets the whole group.
 */
export class AgentProcess {
  readonly pid: number;
  /** Resolves when the process has exited and its stdout and stderr are fully read. */
  readonly exited: Promise<ExitInfo>;
  /** Resolves the moment the process has exited (the kernel reported it), before its output is drained. */
  readonly gone: Promise<ExitInfo>;
  private stderrTailText = '';
  private exitInfo: ExitInfo | undefined;

  private constructor(
    child: ChildProcess,
    pid: number,
    stdoutCopy: FileCopy,
    stderrCopy: FileCopy,
    private readonly sandboxed: boolean,
  ) {
    this.pid = pid;
    const gone = new Promise<ExitInfo>((resolve) => {
      child.once('exit', (code, signal) => {
        this.exitInfo = { code, signal };
        // The leader is gone; anything left in its group (a grandchild holding stdout open) goes too.
        signalGroup(pid, 'SIGKILL');
        resolve(this.exitInfo);
      });
    });
    this.gone = gone;
    // 'close' comes after 'exit' once stdout and stderr are fully read
    const drained = new Promise<void>((resolve) => child.once('close', () => resolve()));
    this.exited = (async () => {
      const info = await gone;
      await drained;
      stdoutCopy.close();
      stderrCopy.close();
      childRegistry.delete(pid);
      return info;
    })();
  }

  /** Starts the process. Throws when it could not be spawned at all (e.g. ENOENT, E2BIG). */
  static async start(options: SpawnAgentOptions): Promise<AgentProcess> {
    const stdoutCopy = new FileCopy(options.stdoutFile);
    const stderrCopy = new FileCopy(options.stderrFile);
    // the file itself becomes fd 0: a regular file with EOF, so no CLI waits on an open pipe
    // (codex blocks, claude waits 3 s, gemini gives a pipe 500 ms)
    const stdinFd = options.stdinFile !== undefined ? openSync(options.stdinFile, 'r') : undefined;
    const failed = (error: unknown): never => {
      stdoutCopy.close();
      stderrCopy.close();
      throw startError(error);
    };
    let child: ChildProcess;
    try {
      // node:child_process directly: execa's promise, stream and cleanup layers cost CPU at every
      // start (and 100 modules at import) for nothing this runner uses
      child = spawn(options.file, [...options.args], {
        cwd: options.cwd,
        env: options.env, // the complete environment: nothing of orchestrate's own leaks in
        detached: true, // own process group, so stopping reaches grandchildren
        stdio: [stdinFd ?? 'ignore', 'pipe', 'pipe'],
      });
    } catch (error) {
      // E2BIG (an argument over the kernel's 128 KiB limit) is thrown by spawn itself
      return failed(error);
    } finally {
      if (stdinFd !== undefined) closeSync(stdinFd); // the child has its own copy
    }
    const pid = await new Promise<number>((resolve, reject) => {
      child.once('spawn', () => resolve(child.pid as number));
      child.once('error', reject); // ENOENT, EACCES: no 'spawn', then 'close'
    }).catch(async (error: unknown) => {
      await new Promise((resolve) => child.once('close', resolve));
      return failed(error);
    });
    // a later error (a failed read of a pipe) must not crash orchestrate; 'exit' and 'close' still come
    for (const emitter of [child, child.stdout, child.stderr]) emitter?.on('error', () => undefined);
    childRegistry.add(pid, options.label);
    const agent = new AgentProcess(child, pid, stdoutCopy, stderrCopy, options.sandboxed === true);
    child.stdout?.on('data', (chunk: Buffer) => {
      stdoutCopy.write(chunk);
      options.onStdout(chunk);
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      stderrCopy.write(chunk);
      agent.appendStderr(chunk);
      options.onStderr?.(chunk);
    });
    return agent;
  }

  /** The last 64 KiB of stderr, for diagnosis. */
  stderrTail(): string {
    return this.stderrTailText;
  }

  /** Set once the process has exited. */
  get exit(): ExitInfo | undefined {
    return this.exitInfo;
  }

  /**
   * Stops the whole group: SIGTERM, then SIGKILL after `graceMs` if anything in the group is
   * still alive (gemini ignores SIGTERM on its pid). Resolves when the process has exited.
   * Sandboxed, the SIGTERM goes to the agent inside (bwrap would die of it and SIGKILL the agent
   * at once); the SIGKILL still goes to bwrap's group, which takes the whole sandbox down.
   */
  async stop(graceMs: number): Promise<ExitInfo> {
    if (!this.exitInfo) {
      if (!(this.sandboxed && signalInnerGroups(this.pid, 'SIGTERM'))) signalGroup(this.pid, 'SIGTERM');
      const timer = setTimeout(() => signalGroup(this.pid, 'SIGKILL'), graceMs);
      try {
        await this.exited;
      } finally {
        clearTimeout(timer);
      }
    }
    if (groupAlive(this.pid)) signalGroup(this.pid, 'SIGKILL');
    return this.exited;
  }

  /** SIGKILLs the whole group now. */
  kill(): void {
    signalGroup(this.pid, 'SIGKILL');
  }

  /** Suspends (SIGSTOP) or continues (SIGCONT) the whole group. */
  suspend(paused: boolean): boolean {
    return signalGroup(this.pid, paused ? 'SIGSTOP' : 'SIGCONT');
  }

  private appendStderr(chunk: Buffer): void {
    this.stderrTailText = (this.stderrTailText + chunk.toString('utf8')).slice(-STDERR_TAIL_BYTES);
  }
}

/** The cause of a failed spawn, with a plain reason for the kernel's argument-size limit. */
function startError(error: unknown): Error {
  const cause = error instanceof Error ? error : new Error(String(error));
  if ((cause as NodeJS.ErrnoException).code === 'E2BIG') {
    return new Error(`spawn E2BIG: the command line is over the kernel's size limit for one argument (128 KiB)`, { cause });
  }
  return cause;
}
