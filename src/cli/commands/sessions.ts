import type { Command } from 'commander';
import pc from 'picocolors';
import { EXIT, type ExitCode } from '../../errors.js';
import { listSessions } from '../../session/list-sessions.js';
import { resolveWorkspace } from '../../session/resolve-session.js';
import type { ObservedState, SessionRecord } from '../../session/session-record.js';
import type { Io } from '../io.js';

/** Options of `orchestrate sessions`. */
export interface SessionsFlags {
  target?: string;
  workspace?: string;
  json?: boolean;
}

const TASK_WIDTH = 60;

/** Registers `orchestrate sessions`. */
export function registerSessionsCommand(program: Command, io: Io, setExit: (code: ExitCode) => void): void {
  program
    .command('sessions')
    .description('list the sessions of a workspace, newest first')
    .option('--target <dir>', 'the project (default: the current directory)')
    .option('--workspace <dir>', 'where sessions are written (default <target>/.orchestrate)')
    .option('--json', 'print one JSON array')
    .action((_flags: SessionsFlags, cmd: Command) => {
      // optsWithGlobals: the main command declares --target/--workspace/--json too and commander gives them to it
      setExit(sessionsCommand(cmd.optsWithGlobals<SessionsFlags>(), io));
    });
}

/** Lists the sessions as a table (or `--json`); damaged ones show as `unreadable` with the reason. */
export function sessionsCommand(flags: SessionsFlags, io: Io): ExitCode {
  const workspace = resolveWorkspace(io.cwd, flags);
  const records = listSessions(workspace);
  if (flags.json) {
    io.stdout.write(`${JSON.stringify(records.map(listing), null, 2)}\n`);
    return EXIT.OK;
  }
  if (records.length === 0) {
    io.stdout.write(`No sessions in ${workspace}\n`);
    return EXIT.OK;
  }
  const c = pc.createColors(Boolean(io.stdout.isTTY));
  const header = ['ID', 'STARTED (UTC)', 'STATE', 'OUTCOME', 'TIER', 'AGENTS', 'TASK'];
  const rows = records.map((r) => [
    r.id,
    formatStart(r.startedAt),
    r.state,
    r.outcome ?? '-',
    r.tier ?? '-',
    r.agents.join(',') || '-',
    clip(r.task ?? '-', TASK_WIDTH),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const pad = (cells: string[]): string[] => cells.map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)));
  io.stdout.write(`${c.bold(pad(header).join('  '))}\n`);
  records.forEach((r, n) => {
    // pad first, colour after: escape codes would break the column widths
    const cells = pad(rows[n] ?? []);
    cells[2] = stateColour(c, r.state)(cells[2] ?? '');
    io.stdout.write(`${cells.join('  ').trimEnd()}\n`);
  });
  const notes = records.filter((r) => r.reason);
  if (notes.length) {
    io.stdout.write('\n');
    for (const r of notes) io.stdout.write(`${r.id}: ${stateColour(c, r.state)(r.state)}: ${r.reason}\n`);
  }
  return EXIT.OK;
}

/** The `--json` form of one row: the listing fields, not the whole session.json/summary.json (`show --json` has those). */
function listing(r: SessionRecord): Record<string, unknown> {
  return {
    id: r.id,
    dir: r.dir,
    state: r.state,
    ...(r.reason ? { reason: r.reason } : {}),
    task: r.task ?? null,
    target: r.target ?? null,
    startedAt: r.startedAt ?? null,
    endedAt: r.endedAt ?? null,
    outcome: r.outcome ?? null,
    exitCode: r.exitCode ?? null,
    tier: r.tier ?? null,
    agents: r.agents,
    supervisorPid: r.supervisorPid ?? null,
  };
}

/** The colour of a state, shared by `sessions` and `show`. */
export function stateColour(c: ReturnType<typeof pc.createColors>, state: ObservedState): (s: string) => string {
  switch (state) {
    case 'completed':
      return c.green;
    case 'running':
      return c.cyan;
    case 'interrupted':
      return c.yellow;
    default:
      return c.red;
  }
}

function formatStart(iso: string | undefined): string {
  if (!iso) return '-';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toISOString().slice(0, 19).replace('T', ' ');
}

function clip(text: string, max: number): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}
