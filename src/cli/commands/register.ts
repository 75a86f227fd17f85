import type { Command } from 'commander';
import type { ExitCode } from '../../errors.js';
import type { Io } from '../io.js';
import { registerApplyCommand } from './apply.js';
import { registerCheckCommand } from './check-command.js';
import { registerDiffCommand } from './diff.js';
import { registerDiscardCommand } from './discard.js';
import { registerDoctorCommand } from './doctor.js';
import { registerCtlCommand } from './ctl.js';
import { registerDashboardCommand } from './dashboard.js';
import { registerHookCommand } from './hook.js';
import { registerInitCommand } from './init.js';
import { registerReplayCommand } from './replay.js';
import { registerResumeCommand } from './resume.js';
import { registerLogsCommand } from './logs.js';
import { registerSessionsCommand } from './sessions.js';
import { registerShowCommand } from './show.js';

/**
 * Adds the subcommands (sessions, show, logs, check-command, …) to the program. Each lives in its
 * own file under commands/ and registers itself here.
 */
export function registerSubcommands(program: Command, io: Io, setExit: (code: ExitCode) => void): void {
  registerSessionsCommand(program, io, setExit);
  registerShowCommand(program, io, setExit);
  registerLogsCommand(program, io, setExit);
  registerCheckCommand(program, io, setExit);
  registerCtlCommand(program, io, setExit);
  registerReplayCommand(program, io, setExit);
  registerResumeCommand(program, io, setExit);
  registerHookCommand(program, io, setExit);
  registerDiffCommand(program, io, setExit);
  registerApplyCommand(program, io, setExit);
  registerDiscardCommand(program, io, setExit);
  registerDashboardCommand(program, io, setExit);
  registerDoctorCommand(program, io, setExit);
  registerInitCommand(program, io, setExit);
}
