import type { Command } from 'commander';
import type { ExitCode } from '../../errors.js';
import type { Io } from '../io.js';

/**
 * Adds the subcommands (sessions, show, logs, check-command, …) to the program. Each lives in its
 * own file under commands/ and registers itself here.
 */
export function registerSubcommands(program: Command, io: Io, setExit: (code: ExitCode) => void): void {
  void program;
  void io;
  void setExit;
}
