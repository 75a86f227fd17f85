import type { Command } from 'commander';
import { EXIT, UsageError, type ExitCode } from '../../errors.js';
import { replaySession, type ReplayDifference } from '../../review/replay.js';
import { readRawAnswers } from '../../review/raw-answers.js';
import { sessionPaths } from '../../session/paths.js';
import { readJournal, type JournalContents } from '../../session/read-journal.js';
import { resolveSession, resolveWorkspace } from '../../session/resolve-session.js';
import type { Io } from '../io.js';

/** Options of `orchestrate replay`. */
export interface ReplayFlags {
  target?: string;
  workspace?: string;
  json?: boolean;
}

/** Registers `orchestrate replay <session>`. */
export function registerReplayCommand(program: Command, io: Io, setExit: (code: ExitCode) => void): void {
  program
    .command('replay')
    .description(
      "recompute a session's review triggers, verdicts (from each reviewer's raw output) and decisions, and compare (exit 9 on a difference)",
    )
    .argument('<session>', 'a session id, a unique prefix of one, "last", or a session directory')
    .option('--target <dir>', 'the project (default: the current directory)')
    .option('--workspace <dir>', 'where sessions are written (default <target>/.orchestrate)')
    .option('--json', 'print one JSON object: counts and every difference')
    .action((ref: string, _flags: ReplayFlags, cmd: Command) => {
      setExit(replayCommand(ref, cmd.optsWithGlobals<ReplayFlags>(), io));
    });
}

/** Replays one session's review decisions; 0 when the journal agrees with the rules, else 9. */
export function replayCommand(ref: string, flags: ReplayFlags, io: Io): ExitCode {
  const { id, dir } = resolveSession(ref, resolveWorkspace(io.cwd, flags), io.cwd);
  const file = sessionPaths(dir).events;
  const journal = readSessionJournal(file, dir);
  // a torn last line is a crash mid-write: replay what was written whole
  if (journal.torn)
    io.stderr.write(
      `orchestrate: ${file} line ${journal.torn.line} is torn (the session stopped mid-write); replayed the ${journal.entries.length} whole entries\n`,
    );
  // each verdict is derived again from the reviewer's raw output, then each decision from it
  const report = replaySession(journal.entries, readRawAnswers(dir));
  const code = report.differences.length ? EXIT.REPLAY_DIFFERS : EXIT.OK;
  if (flags.json) {
    const torn = journal.torn ? { torn: { line: journal.torn.line } } : {};
    io.stdout.write(`${JSON.stringify({ id, dir, entries: journal.entries.length, ...torn, ...report, exitCode: code })}\n`);
    return code;
  }
  const n = report.differences.length;
  const lines = [`replay ${id}: ${report.triggers} triggers, ${report.decisions} decisions, ${n} difference${n === 1 ? '' : 's'}`];
  for (const d of report.differences) lines.push(`  ${describe(d)}`);
  io.stdout.write(`${lines.join('\n')}\n`);
  return code;
}

function readSessionJournal(file: string, dir: string): JournalContents {
  try {
    return readJournal(file);
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    if (e.code === 'ENOENT')
      throw new UsageError(`no journal in ${dir}`, 'the session never started; pick another with `orchestrate sessions`');
    throw new UsageError(
      `cannot replay ${file}: ${e.message}`,
      'the journal is damaged or unreadable; `orchestrate logs` shows what can be read',
    );
  }
}

/** `seq 42, review 2: <what>: expected …, journal has …`. */
function describe(d: ReplayDifference): string {
  const where = [d.seq !== undefined ? `seq ${d.seq}` : undefined, d.review !== undefined ? `review ${d.review}` : undefined]
    .filter(Boolean)
    .join(', ');
  const expected = d.expected === null ? 'nothing' : JSON.stringify(d.expected);
  const actual = d.actual === null ? 'nothing' : JSON.stringify(d.actual);
  return `${where ? `${where}: ` : ''}${d.what}: expected ${expected}, journal has ${actual}`;
}
