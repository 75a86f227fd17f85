import type { Command } from 'commander';
import { sessionDiff } from '../../copy/session-diff.js';
import { EXIT, type ExitCode } from '../../errors.js';
import { resolveSession, resolveWorkspace } from '../../session/resolve-session.js';
import type { Io } from '../io.js';

/** Options of `orchestrate diff`. */
export interface DiffFlags {
  target?: string;
  workspace?: string;
  assignment?: string;
  stat?: boolean;
}

/** Registers `orchestrate diff <id> [--assignment <id>] [--stat]`. */
export function registerDiffCommand(program: Command, io: Io, setExit: (code: ExitCode) => void): void {
  program
    .command('diff')
    .description("show what a session would change in the checkout (its copy's commits against the baseline)")
    .argument('<id>', 'a session id, a unique prefix of one, "last", or a session directory')
    .option('--assignment <id>', "only this assignment's commits")
    .option('--stat', 'only the list of files and line counts')
    .option('--target <dir>', 'the project (default: the current directory)')
    .option('--workspace <dir>', 'where sessions are written (default <target>/.orchestrate)')
    .action((ref: string, _flags: DiffFlags, cmd: Command) => {
      setExit(diffCommand(ref, cmd.optsWithGlobals<DiffFlags>(), io));
    });
}

/** Prints the session's (or one assignment's) diff, and what an apply would refuse. */
export function diffCommand(ref: string, flags: DiffFlags, io: Io): ExitCode {
  const { dir } = resolveSession(ref, resolveWorkspace(io.cwd, flags), io.cwd);
  const diff = sessionDiff(dir, { ...(flags.assignment ? { assignment: flags.assignment } : {}), stat: flags.stat === true });
  io.stdout.write(`${diff.text.replace(/\n*$/, '')}\n`);
  for (const x of diff.refused) io.stdout.write(`not applied: ${x.path}: ${x.why}\n`);
  return EXIT.OK;
}
