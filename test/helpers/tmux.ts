// A real terminal multiplexer for the live view: tmux on a private socket, one pane of a fixed
// size running a command; the screen is read back with capture-pane. kill() ends the server.
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';

export const TMUX_USABLE = spawnSync('tmux', ['-V'], { stdio: 'ignore' }).status === 0;

export interface TmuxPane {
  /** The visible screen, one string per row, wrapped lines joined (so a too-long line shows as one). */
  screen(): string[];
  /** The whole history and the screen, wrapped lines joined. */
  history(): string[];
  kill(): void;
}

function quote(word: string): string {
  return /^[A-Za-z0-9_./:=@%+,-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** Starts `argv` in a detached tmux session of `cols`x`rows`; the pane stays after the command exits. */
export function startTmux(argv: string[], opts: { cols: number; rows: number; env: Record<string, string>; cwd: string }): TmuxPane {
  const socket = `orch-${randomUUID()}`;
  const tmux = (...args: string[]): string => {
    const r = spawnSync('tmux', ['-L', socket, '-f', '/dev/null', ...args], {
      env: { ...opts.env, TERM: 'xterm-256color' },
      cwd: opts.cwd,
      encoding: 'utf8',
    });
    if (r.status !== 0) throw new Error(`tmux ${args[0]}: ${r.stderr}`);
    return r.stdout;
  };
  // the command's exit status is printed and the pane kept, so the final screen can be read
  const cmd = `${argv.map(quote).join(' ')}; echo "EXIT=$?"; exec sleep 600`;
  tmux('new-session', '-d', '-s', 'main', '-x', String(opts.cols), '-y', String(opts.rows), cmd);
  const capture = (...extra: string[]): string[] =>
    tmux('capture-pane', '-p', '-J', '-t', 'main', ...extra)
      .replace(/\n$/, '')
      .split('\n');
  return {
    screen: () => capture(),
    history: () => capture('-S', '-'),
    kill: () => {
      spawnSync('tmux', ['-L', socket, 'kill-server'], { stdio: 'ignore' });
    },
  };
}
