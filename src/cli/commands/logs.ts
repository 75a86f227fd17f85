import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import pc from 'picocolors';
import { describeEntry } from '../../dashboard/describe-entry.js';
import { EXIT, type ExitCode } from '../../errors.js';
import { followJournal } from '../../session/follow-journal.js';
import type { JournalEntry } from '../../session/journal-entry.js';
import { journalFilter } from '../../session/journal-filter.js';
import { JournalTail, type BadLine, type TailLine } from '../../session/journal-tail.js';
import { sessionPaths } from '../../session/paths.js';
import { resolveSession, resolveWorkspace } from '../../session/resolve-session.js';
import { sessionActivity } from '../../session/session-activity.js';
import type { Io } from '../io.js';

/** Options of `orchestrate logs`. */
export interface LogsFlags {
  target?: string;
  workspace?: string;
  json?: boolean;
  follow?: boolean;
  agent?: string;
  type?: string;
}

/** Registers `orchestrate logs <id>`. */
export function registerLogsCommand(program: Command, io: Io, setExit: (code: ExitCode) => void): void {
  program
    .command('logs')
    .description("print a session's journal as readable lines (or NDJSON); --follow tails a running session")
    .argument('<id>', 'a session id, a unique prefix of one, "last", or a session directory')
    .option('--target <dir>', 'the project (default: the current directory)')
    .option('--workspace <dir>', 'where sessions are written (default <target>/.orchestrate)')
    .option('-f, --follow', 'keep printing new entries until the session ends')
    .option('--agent <names>', 'only entries of these agents (comma-separated)')
    .option('--type <types>', 'only these entry types: exact, or a prefix ending with "." or "*" (e.g. agent., safety.*)')
    .option('--json', 'print the raw journal entries as NDJSON')
    .action(async (ref: string, _flags: LogsFlags, cmd: Command) => {
      setExit(await logsCommand(ref, cmd.optsWithGlobals<LogsFlags>(), io));
    });
}

/** Prints a session's journal, filtered; with `--follow`, until the session ends (0) or Ctrl-C (130). */
export async function logsCommand(ref: string, flags: LogsFlags, io: Io): Promise<ExitCode> {
  const { dir } = resolveSession(ref, resolveWorkspace(io.cwd, flags), io.cwd);
  const paths = sessionPaths(dir);
  const c = pc.createColors(Boolean(io.stdout.isTTY));
  const keep = journalFilter(flags);
  const controller = new AbortController();
  // `logs … | head` closes the pipe: stop (following) quietly instead of dying on EPIPE. Left
  // attached on purpose: the error arrives on a later tick, possibly after this function returned.
  let pipeClosed = false;
  io.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    pipeClosed = true;
    controller.abort();
  });
  const print = (l: TailLine): void => {
    if (pipeClosed || !keep(l.entry)) return;
    if (flags.json) {
      // the line as the journal holds it, byte for byte
      io.stdout.write(`${l.raw}\n`);
      return;
    }
    const line = formatLine(l.entry, c);
    if (line !== undefined) io.stdout.write(`${line}\n`);
  };
  const bad = (b: BadLine): void => void io.stderr.write(`orchestrate: ${paths.events} line ${b.line} is not valid JSON; skipped\n`);
  const torn = (t: { line: number }): void =>
    void io.stderr.write(`orchestrate: ${paths.events} line ${t.line} is torn (no newline: the session stopped mid-write); not shown\n`);

  if (!flags.follow) {
    if (!existsSync(paths.events)) {
      io.stderr.write(`orchestrate: no journal in ${dir}\n`);
      return EXIT.OK;
    }
    const tail = new JournalTail(paths.events);
    const { lines, bad: bads } = tail.read();
    bads.forEach(bad);
    lines.forEach(print);
    // A partial last line of a session still running is being written, not torn.
    const partial = tail.partial;
    if (partial && sessionActivity(paths.session) !== 'running') torn(partial);
    return EXIT.OK;
  }

  const handlers = (['SIGINT', 'SIGTERM', 'SIGHUP'] as const).map((signal) => {
    const h = (): void => controller.abort();
    process.on(signal, h);
    return () => process.off(signal, h);
  });
  try {
    const result = await followJournal({ dir, onLine: print, onBadLine: bad, signal: controller.signal });
    if (result.torn) torn(result.torn);
    return result.reason === 'aborted' && !pipeClosed ? EXIT.INTERRUPTED : EXIT.OK;
  } finally {
    for (const off of handlers) off();
  }
}

const AGENT_COLOURS: Record<string, keyof ReturnType<typeof pc.createColors>> = { claude: 'magenta', codex: 'blue', gemini: 'cyan' };

/** One readable line: time, agent, what happened; undefined for entries that say nothing (usage). */
function formatLine(e: JournalEntry, c: ReturnType<typeof pc.createColors>): string | undefined {
  const text = describeEntry(e);
  if (text === undefined) return undefined;
  const agent = (e.agent ?? '').padEnd(6);
  const colour = e.agent ? AGENT_COLOURS[e.agent] : undefined;
  const who = colour ? (c[colour] as (s: string) => string)(agent) : agent;
  const alarming = e.type.startsWith('safety.') || e.type.endsWith('.error') || e.type === 'agent.permission_denied';
  return `${c.dim(e.time)} ${who} ${alarming ? c.red(text) : text}`;
}
