// Runs the real orchestrate CLI in a pseudo-terminal, without --headless, so it behaves as for a
// person at a terminal: the live view, and questions asked with askPerson on its stdin. The pty
// comes from util-linux `script` (`script -qfec "<cmd>" /dev/null`), else python3's pty module.
// Output is read as it arrives; `type` writes to the terminal as if typed. Waits are for a pattern or
// the exit, and fail at once when orchestrate ends first; they have no time bound of their own
// unless given one (the test's timeout bounds them: under load a session takes what it takes).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { ORCHESTRATE_BIN, SANDBOX_USABLE, type OrchestrateHarness } from './orchestrate-harness.js';

/** Which pty provider this machine has, or why there is none. */
export const PTY_PROVIDER: 'script' | 'python3' | undefined = (() => {
  if (spawnSync('script', ['-qfec', 'true', '/dev/null'], { stdio: 'ignore' }).status === 0) return 'script';
  if (spawnSync('python3', ['-c', 'import pty'], { stdio: 'ignore' }).status === 0) return 'python3';
  return undefined;
})();

export interface PtyExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  output: string;
}

export interface PtyRun {
  /** The pty provider's pid (orchestrate is its child, in the pty's own session). */
  pid: number;
  /** Everything the terminal showed so far, ANSI escapes removed. */
  output(): string;
  /** Resolves with the output once `pattern` appears after `from` (an output offset); throws when orchestrate ends first, or after `timeoutMs` if given. */
  waitFor(pattern: RegExp | string, timeoutMs?: number, from?: number): Promise<string>;
  /** Types `text` at the terminal (add `\n` for Enter). */
  type(text: string): void;
  exited: Promise<PtyExit>;
  /** Resolves with the exit; given `timeoutMs`, kills the whole run (SIGKILL) after it and throws. */
  waitExit(timeoutMs?: number): Promise<PtyExit>;
  kill(): Promise<void>;
}

const ANSI = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007]*\u0007|\u001b[()][A-Za-z0-9]|\u001b[=>78]|\r/g;

function shellQuote(word: string): string {
  return /^[A-Za-z0-9_./:=@%+,-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** Starts `orchestrate <args>` for `h` in a pseudo-terminal (sandboxed when bubblewrap is usable). */
export function startInPty(h: OrchestrateHarness, args: string[], extraEnv: Record<string, string> = {}): PtyRun {
  if (!PTY_PROVIDER) throw new Error('no pseudo-terminal provider: install util-linux (script) or python3');
  const sandboxArgs = SANDBOX_USABLE || args.includes('--no-sandbox') ? [] : ['--no-sandbox'];
  const argv = [process.execPath, ORCHESTRATE_BIN, '--target', h.target, '--config', h.configFile, ...sandboxArgs, ...args];
  const env = { ...h.env(extraEnv), TERM: 'xterm-256color', COLUMNS: '120', LINES: '40' };
  // stty sets a real size: the live view lays out by columns
  const cmd = `stty cols 120 rows 40 2>/dev/null; exec ${argv.map(shellQuote).join(' ')}`;
  const child: ChildProcess =
    PTY_PROVIDER === 'script'
      ? spawn('script', ['-qfec', cmd, '/dev/null'], { cwd: h.root, env, stdio: ['pipe', 'pipe', 'pipe'] })
      : spawn('python3', ['-c', 'import pty,sys,os; sys.exit(os.waitstatus_to_exitcode(pty.spawn(["/bin/sh","-c",sys.argv[1]])))', cmd], {
          cwd: h.root,
          env,
          stdio: ['pipe', 'pipe', 'pipe'],
        });
  let raw = '';
  const listeners = new Set<() => void>();
  const onData = (c: Buffer): void => {
    raw += c.toString();
    for (const l of [...listeners]) l();
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  child.stdin?.on('error', () => undefined);
  const output = (): string => raw.replace(ANSI, '');
  const exited = new Promise<PtyExit>((resolve) => child.once('close', (code, signal) => resolve({ code, signal, output: output() })));
  let done = false;
  void exited.then(() => {
    done = true;
    for (const l of [...listeners]) l();
  });

  const kill = async (): Promise<void> => {
    if (!done) child.kill('SIGKILL');
    await exited;
  };
  return {
    pid: child.pid as number,
    output,
    waitFor(pattern, timeoutMs, from = 0) {
      return new Promise<string>((resolve, reject) => {
        const check = (): void => {
          const text = output().slice(from);
          const hit = typeof pattern === 'string' ? text.includes(pattern) : pattern.test(text);
          if (hit) return finish(() => resolve(output()));
          if (done) finish(() => reject(new Error(`orchestrate ended before ${pattern} appeared; output:\n${output()}`)));
        };
        const timer =
          timeoutMs === undefined
            ? undefined
            : setTimeout(
                () => finish(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${pattern}; output:\n${output()}`))),
                timeoutMs,
              );
        const finish = (then: () => void): void => {
          clearTimeout(timer);
          listeners.delete(check);
          then();
        };
        listeners.add(check);
        check();
      });
    },
    type(text) {
      child.stdin?.write(text);
    },
    exited,
    async waitExit(timeoutMs) {
      if (timeoutMs === undefined) return exited;
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
      const result = await Promise.race([exited, timeout]);
      clearTimeout(timer);
      if (result === 'timeout') {
        await kill();
        throw new Error(`orchestrate did not end within ${timeoutMs} ms; output:\n${output()}`);
      }
      return result;
    },
    kill,
  };
}
