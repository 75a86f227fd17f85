import path from 'node:path';
import type { Command } from 'commander';
import { EXIT, type ExitCode } from '../../errors.js';
import { runClaudeHook } from '../../safety/layer1/claude-hook.js';
import type { Io } from '../io.js';

interface HookFlags {
  context: string;
}

/** A PreToolUse payload is a few KiB; more than this is not one. */
const MAX_STDIN = 4 * 1024 * 1024;

/**
 * `orchestrate hook claude --context <file>`: claude's PreToolUse hook (safety layer 1), written
 * into the session's claude settings by writeEnforcement. Reads the hook payload on stdin; exit 0
 * lets the command run, exit 2 blocks it with stderr as the reason. Every failure is exit 2.
 */
export function registerHookCommand(program: Command, io: Io, setExit: (code: ExitCode) => void): void {
  program
    .command('hook')
    .description('(internal) the enforcement hook an agent CLI calls before running a shell command')
    .argument('<cli>', 'the CLI calling the hook: claude')
    .requiredOption('--context <file>', 'the session context file written by orchestrate')
    .action(async (cli: string, flags: HookFlags) => {
      // claude reads exit 2 as "block"; EXIT.USAGE is 2, which is also what a bad call deserves.
      if (cli !== 'claude') {
        io.stderr.write(`orchestrate hook: unknown CLI "${cli}" (blocked, fail closed)\n`);
        setExit(EXIT.USAGE);
        return;
      }
      const outcome = await runClaudeHook(await readStdin(), path.resolve(io.cwd, flags.context), io.env);
      if (outcome.stderr) io.stderr.write(outcome.stderr);
      setExit(outcome.exitCode === 0 ? EXIT.OK : EXIT.USAGE);
    });
}

async function readStdin(): Promise<string> {
  let text = '';
  for await (const chunk of process.stdin) {
    text += (chunk as Buffer).toString('utf8');
    if (text.length > MAX_STDIN) throw new Error('hook input larger than 4 MiB');
  }
  return text;
}
