import path from 'node:path';
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { EXIT, UsageError, type ExitCode } from '../../errors.js';
import { classifyCommand, DECISION_RANK, type Decision, type FilterContext, type Verdict } from '../../safety/command-filter/index.js';
import type { Io } from '../io.js';
import { homeOf } from '../../paths.js';

interface CheckFlags {
  cwd?: string;
  json?: boolean;
  jsonl?: boolean;
}

/**
 * `orchestrate check-command [--cwd <dir>] [--json] -- "<command>"`: classifies one command;
 * `--jsonl`: one `{"cmd": …}` object a line on stdin, one verdict a line on stdout, same order.
 * HOME and TMPDIR come from the environment, as they would for the agent. Exit status: 0 allow,
 * 10 confirm, 11 block (for `--jsonl`, the strictest line), so scripts can branch on it.
 */
export function registerCheckCommand(program: Command, io: Io, setExit: (code: ExitCode) => void): void {
  program
    .command('check-command')
    .description('classify a shell command as block, confirm or allow (docs/command-policy.md)')
    .argument('[command...]', 'the command line, after --')
    .option('--cwd <dir>', 'the directory the command runs in (the workspace root)', '.')
    .option('--json', 'print the verdict as one JSON object')
    .option('--jsonl', 'read {"cmd": "..."} lines from stdin, write one verdict line each')
    .action(async (words: string[], _flags: CheckFlags, cmd: Command) => {
      const flags = cmd.optsWithGlobals<CheckFlags>();
      const cwd = path.resolve(io.cwd, flags.cwd ?? '.');
      const home = homeOf(io.env);
      const tmp = io.env['TMPDIR'] ?? '/tmp';
      const ctx: FilterContext = { cwd, workspaceRoots: [cwd], home, tmpDirs: [...new Set([tmp, '/tmp', '/var/tmp'])] };
      if (flags.jsonl) {
        setExit(await checkJsonLines(ctx, io));
        return;
      }
      const line = words.join(' ');
      if (!line.trim())
        throw new UsageError('check-command: no command given', 'usage: orchestrate check-command [--cwd <dir>] [--json] -- "<command>"');
      const verdict = classifyCommand(line, ctx);
      io.stdout.write(
        flags.json ? `${JSON.stringify(toOutput(line, verdict))}\n` : `${verdict.decision}\t${verdict.rule}\t${verdict.reason}\n`,
      );
      setExit(exitFor(verdict.decision));
    });
}

async function checkJsonLines(ctx: FilterContext, io: Io): Promise<ExitCode> {
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  let n = 0;
  let strictest: Decision = 'allow';
  const seen = (d: Decision): void => {
    if (DECISION_RANK[d] > DECISION_RANK[strictest]) strictest = d;
  };
  for await (const raw of lines) {
    n += 1;
    if (!raw.trim()) continue;
    let cmd: unknown;
    try {
      cmd = (JSON.parse(raw) as { cmd?: unknown }).cmd;
    } catch {
      cmd = undefined;
    }
    if (typeof cmd !== 'string') {
      // Fail closed and say which line: a line we cannot read is never an allow.
      io.stdout.write(
        `${JSON.stringify({ cmd: null, decision: 'confirm', rule: 'confirm.unparseable', reason: `stdin line ${n}: expected {"cmd": "<string>"}` })}\n`,
      );
      seen('confirm');
      continue;
    }
    const verdict = classifyCommand(cmd, ctx);
    seen(verdict.decision);
    io.stdout.write(`${JSON.stringify(toOutput(cmd, verdict))}\n`);
  }
  return exitFor(strictest);
}

/** The exit status scripts branch on: 0 allow, 10 confirm, 11 block (README, "Exit codes"). */
function exitFor(decision: Decision): ExitCode {
  return decision === 'block' ? EXIT.CHECK_BLOCK : decision === 'confirm' ? EXIT.CHECK_CONFIRM : EXIT.OK;
}

function toOutput(cmd: string, v: Verdict): { cmd: string; decision: string; rule: string; reason: string } {
  return { cmd, decision: v.decision, rule: v.rule, reason: v.reason };
}
