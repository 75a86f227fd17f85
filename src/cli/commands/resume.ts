import { readFileSync, truncateSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { Option } from 'commander';
import { UsageError, type ExitCode } from '../../errors.js';
import type { Plan } from '../../plan/types.js';
import { readJournal } from '../../session/read-journal.js';
import { resolveSession, resolveWorkspace } from '../../session/resolve-session.js';
import { sessionPaths } from '../../session/paths.js';
import { readJson } from '../../session/session-record.js';
import type { SessionState } from '../../session/session-state.js';
import { isSupervisorAlive, sweepSession, takeLock } from '../../session/sweep.js';
import type { ResumeInput } from '../../supervisor/resume-plan.js';
import type { Io } from '../io.js';
import { runCommand, type RunFlags } from './run.js';

interface ResumeFlags extends Pick<
  RunFlags,
  'headless' | 'json' | 'verbose' | 'sandbox' | 'onConfirm' | 'review' | 'strict' | 'maxCost' | 'maxTokens'
> {
  target?: string;
  workspace?: string;
}

/** `orchestrate resume <session>`: continues a crashed, stopped or failed session in its own directory. */
export function registerResumeCommand(program: Command, io: Io, setExit: (code: ExitCode) => void): void {
  program
    .command('resume')
    .description("continue a crashed, stopped or failed session: finished work stays, the rest resumes each agent's own CLI session")
    .argument('<session>', 'a session id, a unique prefix, "last", or a session directory')
    .option('--target <dir>', 'the project (default: the current directory)')
    .option('--workspace <dir>', 'where sessions are written (default <target>/.orchestrate)')
    .option('--headless', 'plain lines, no spinner')
    .option('--json', 'print the normalised events as NDJSON')
    .option('--no-sandbox', 'run the agents without bubblewrap (recorded in the session)')
    .addOption(new Option('--on-confirm <answer>', 'headless: what a confirm-class command gets (default deny)').choices(['deny', 'allow']))
    .option('--no-review', 'run no peer reviews')
    .option('--strict', 'a degraded review fails the session')
    .option('--max-cost <usd>', "the session's cost ceiling from now on (default: the one it started with); what it spent so far counts")
    .option('--max-tokens <n>', "the session's token ceiling from now on (default: the one it started with)")
    .option('--verbose', 'show every event')
    .action(async (ref: string, _flags: ResumeFlags, cmd: Command) => {
      // the root's options count too: `orchestrate --no-sandbox --target x resume last`
      setExit(await resumeCommand(ref, cmd.optsWithGlobals<ResumeFlags>(), io));
    });
}

export async function resumeCommand(ref: string, flags: ResumeFlags, io: Io): Promise<ExitCode> {
  const { dir, id } = resolveSession(ref, resolveWorkspace(io.cwd, flags), io.cwd);
  // two resumes of one session at once would both take it over: the second is refused (the lock
  // is held for the whole resumed run; a holder that died leaves it to be taken over)
  const lockFile = path.join(dir, 'resume.lock');
  const release = takeLock(lockFile);
  if (!release) {
    throw new UsageError(
      `session ${id} is being resumed by another orchestrate (pid ${readFileSafe(lockFile) || '?'})`,
      `watch it with: orchestrate logs ${id} --follow`,
    );
  }
  try {
    return await resumeLocked(dir, id, flags, io);
  } finally {
    release();
  }
}

async function resumeLocked(dir: string, id: string, flags: ResumeFlags, io: Io): Promise<ExitCode> {
  const paths = sessionPaths(dir);
  let state = readRequired<SessionState>(paths.session, 'session.json');
  if (state.state === 'running' && isSupervisorAlive(state)) {
    throw new UsageError(
      `session ${id} is being run by orchestrate (pid ${state.supervisorPid})`,
      `watch it with: orchestrate logs ${id} --follow, or stop it with: orchestrate ctl ${id} stop`,
    );
  }
  if (state.state === 'running') {
    // its supervisor died: end what it left and mark it crashed before taking it over
    sweepSession(dir);
    state = readRequired<SessionState>(paths.session, 'session.json');
  }
  if (state.state === 'completed')
    throw new UsageError(`session ${id} completed; there is nothing to resume`, 'start a new session with: orchestrate "<task>"');
  const plan = readRequired<Plan>(paths.plan, 'plan.json');
  const journal = readJournal(paths.events);
  // a crash mid-write leaves a partial last line: cut it so the next entry starts on a line of its own
  if (journal.torn) truncateSync(paths.events, journal.torn.byteOffset);
  const lastSeq = journal.entries.at(-1)?.seq ?? 0;
  const resume: ResumeInput = { dir, state, plan, entries: journal.entries, lastSeq };
  const options = state.options as {
    agents?: string[];
    configFile?: string | null;
    timeoutMs?: number;
    trustTarget?: boolean;
    ceilings?: { costUsd?: number; tokens?: number };
  };
  const runFlags: RunFlags = {
    target: state.target,
    workspace: state.workspace,
    ...(options.agents ? { agents: options.agents.join(',') } : {}),
    ...(options.configFile ? { config: options.configFile } : {}),
    ...(options.timeoutMs ? { timeout: `${Math.round(options.timeoutMs / 1000)}s` } : {}),
    ...(options.trustTarget === false ? { trust: false } : {}),
    // the ceilings it started with, unless raised (or lowered) here
    ...(options.ceilings?.costUsd !== undefined ? { maxCost: String(options.ceilings.costUsd) } : {}),
    ...(options.ceilings?.tokens !== undefined ? { maxTokens: String(options.ceilings.tokens) } : {}),
    ...flagsOf(flags),
  };
  return runCommand(state.task, runFlags, { ...io, cwd: state.target }, resume);
}

function flagsOf(flags: ResumeFlags): Partial<RunFlags> {
  const out: Partial<RunFlags> = {};
  if (flags.headless) out.headless = true;
  if (flags.json) out.json = true;
  if (flags.verbose) out.verbose = true;
  if (flags.sandbox === false) out.sandbox = false;
  if (flags.onConfirm) out.onConfirm = flags.onConfirm;
  if (flags.review === false) out.review = false;
  if (flags.strict) out.strict = true;
  if (flags.maxCost !== undefined) out.maxCost = flags.maxCost;
  if (flags.maxTokens !== undefined) out.maxTokens = flags.maxTokens;
  return out;
}

function readRequired<T>(file: string, name: string): T {
  const read = readJson(file);
  if (!read.ok)
    throw new UsageError(`cannot resume: ${name} is ${read.error}`, 'only a session directory written by orchestrate can be resumed');
  return read.value as T;
}

function readFileSafe(file: string): string {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    return '';
  }
}
