import { Command, CommanderError, Option } from 'commander';
import { EXIT, OrchestrateError, type ExitCode } from '../errors.js';
import { runCommand, type RunFlags } from './commands/run.js';
import { registerSubcommands } from './commands/register.js';
import { processIo, type Io } from './io.js';
import { refuseMistypedCommand } from './mistyped-command.js';
import { readVersion } from './version.js';

/** Builds the command-line program. Commander throws instead of exiting (exitOverride). */
export function buildProgram(io: Io, setExit: (code: ExitCode) => void): Command {
  const program = new Command('orchestrate')
    .description('Make Claude Code, Gemini CLI and Codex CLI work on one task together, sandboxed and supervised.')
    .version(readVersion(), '-V, --version')
    .argument('[task]', 'what the agents should do, in quotes (`-`: read it from stdin)')
    .option('--task-file <file>', 'read the task from a file (any size; `-` = stdin)')
    .option('--target <dir>', 'the project the agents work on', '.')
    .option('--workspace <dir>', 'where sessions are written (default <target>/.orchestrate)')
    .option('--agents <list>', 'agents to use, in preference order (e.g. claude,gemini)')
    .option('--plan <file>', 'a plan file instead of the default decomposition')
    .option('--config <file>', 'config file (default <target>/orchestrate.config.json)')
    .option('--timeout <duration>', 'time budget for the whole session (default 30m)')
    .option('--max-cost <usd>', 'cost ceiling for the whole session in USD, split over the assignments (exit 13 when reached)')
    .option('--max-tokens <n>', 'token ceiling for the whole session (input + output of every agent; exit 13 when reached)')
    .option('--headless', 'plain lines, no spinner (automatic when stdout is not a TTY or CI is set)')
    .option('--json', 'print the normalised events as NDJSON on stdout; the last line is session.completed')
    .option('--no-sandbox', 'run the agents without bubblewrap (recorded in the session)')
    .option('--no-trust', 'do not trust the target for gemini (no --skip-trust)')
    .option('--verbose', 'show every event')
    .addOption(new Option('--on-confirm <answer>', 'headless: what a confirm-class command gets (default deny)').choices(['deny', 'allow']))
    .option('--no-review', 'run no peer reviews (the summary says so)')
    .option('--apply', "apply a successful session's changes to the checkout without asking (CI)")
    .option('--strict', 'a degraded review (no independent reviewer) fails the session (exit 7)')
    .option('--port <n>', "the live dashboard's port on 127.0.0.1 (default: a free one; headless runs get a dashboard only with --port)")
    .option('--no-dashboard', 'no live dashboard')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    })
    .showHelpAfterError('(see orchestrate --help, or orchestrate <command> --help)')
    .action(async (task: string | undefined, flags: RunFlags) => {
      if (task !== undefined)
        refuseMistypedCommand(
          task,
          program.commands.flatMap((c) => [c.name(), ...c.aliases()]),
        );
      setExit(await runCommand(task, flags, io));
    });
  registerSubcommands(program, io, setExit);
  return program;
}

/** Runs the CLI: argv in, exit code out. The one place errors are printed. */
export async function main(argv: string[], io: Io = processIo): Promise<ExitCode> {
  let exitCode: ExitCode = EXIT.OK;
  const program = buildProgram(io, (code) => (exitCode = code));
  try {
    await program.parseAsync(argv);
    return exitCode;
  } catch (error) {
    return reportError(error, io);
  }
}

function reportError(error: unknown, io: Io): ExitCode {
  if (error instanceof CommanderError) {
    // help and version exit 0; everything else commander rejects is a usage error
    return error.exitCode === 0 ? EXIT.OK : EXIT.USAGE;
  }
  if (error instanceof OrchestrateError) {
    io.stderr.write(`orchestrate: ${error.message}\n`);
    if (error.hint) io.stderr.write(`hint: ${error.hint}\n`);
    return error.exitCode;
  }
  io.stderr.write(`orchestrate: internal error: ${(error as Error).stack ?? String(error)}\n`);
  return EXIT.INTERNAL;
}
