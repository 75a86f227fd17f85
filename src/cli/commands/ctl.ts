import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { parseDuration } from '../../config/duration.js';
import { isAgentId } from '../../agents/agent-id.js';
import { CONTROL_ACTIONS, type ControlAction, type ControlResponse } from '../../control/control-message.js';
import { awaitControlResponse, submitControlRequest, withdrawControlRequest } from '../../control/submit-request.js';
import { EXIT, UsageError, type ExitCode } from '../../errors.js';
import { sessionPaths } from '../../session/paths.js';
import { resolveSession, resolveWorkspace } from '../../session/resolve-session.js';
import { isSupervisorAlive, type RecordedSession } from '../../session/sweep.js';
import type { Io } from '../io.js';

/** Options of `orchestrate ctl`. */
export interface CtlFlags {
  target?: string;
  workspace?: string;
  agent?: string;
  json?: boolean;
  wait?: string;
}

const DEFAULT_WAIT_MS = 5000;

/**
 * Exit codes of `ctl`: 0 the supervisor did it; 2 (usage) a bad action, agent or session, a
 * session that is not running, or a request the supervisor answered `ignored` (it does not apply
 * to the session as it is, e.g. resume while not paused); 1 the supervisor answered `failed`, or
 * did not answer in time (the request is then withdrawn, unless it was already taken up).
 */
export const CTL_EXIT: Record<ControlResponse['result'] | 'timeout', ExitCode> = {
  done: EXIT.OK,
  ignored: EXIT.USAGE,
  failed: EXIT.INTERNAL,
  timeout: EXIT.INTERNAL,
};

/** Registers `orchestrate ctl <id> <action>`. */
export function registerCtlCommand(program: Command, io: Io, setExit: (code: ExitCode) => void): void {
  program
    .command('ctl')
    .description('control a running session from another terminal: pause, resume or stop its agents, or ask for a review')
    .argument('<id>', 'a session id, a unique prefix of one, "last", or a session directory')
    .argument('<action>', CONTROL_ACTIONS.join(' | '))
    .option('--agent <name>', 'only this agent (claude, gemini or codex)')
    .option('--wait <duration>', 'how long to wait for the supervisor to answer (default 5s)')
    .option('--target <dir>', 'the project (default: the current directory)')
    .option('--workspace <dir>', 'where sessions are written (default <target>/.orchestrate)')
    .option('--json', 'print the answer as one JSON object')
    .action(async (ref: string, action: string, _flags: CtlFlags, cmd: Command) => {
      setExit(await ctlCommand(ref, action, cmd.optsWithGlobals<CtlFlags>(), io));
    });
}

/** Sends one control request to a running session's supervisor and prints its answer. */
export async function ctlCommand(ref: string, action: string, flags: CtlFlags, io: Io): Promise<ExitCode> {
  if (!(CONTROL_ACTIONS as readonly string[]).includes(action)) {
    throw new UsageError(`unknown action "${action}"`, `use one of: ${CONTROL_ACTIONS.join(', ')}`);
  }
  if (flags.agent !== undefined && !isAgentId(flags.agent)) {
    throw new UsageError(`--agent: unknown agent "${flags.agent}"`, 'use claude, gemini or codex');
  }
  const waitMs = flags.wait === undefined ? DEFAULT_WAIT_MS : parseDuration(flags.wait);
  if (waitMs === undefined) throw new UsageError(`--wait: not a duration: "${flags.wait}"`, 'use e.g. "5s" or "500ms"');

  const { id, dir } = resolveSession(ref, resolveWorkspace(io.cwd, flags), io.cwd);
  const paths = sessionPaths(dir);
  const session = readSession(paths.session, id);
  if (session.state !== 'running') {
    throw new UsageError(
      `session ${id} is not running (it is ${session.state}): there is nothing to control`,
      'see it with `orchestrate show`',
    );
  }
  if (!isSupervisorAlive(session)) {
    throw new UsageError(
      `session ${id} is not running: its supervisor (pid ${session.supervisorPid}) is gone, it crashed`,
      'see it with `orchestrate show`; `orchestrate sessions` sweeps what it left',
    );
  }
  if (flags.agent && session.agents.length > 0 && !session.agents.includes(flags.agent)) {
    throw new UsageError(`--agent: session ${id} has no agent "${flags.agent}"`, `its agents: ${session.agents.join(', ')}`);
  }

  const request = submitControlRequest(paths.controlDir, {
    action: action as ControlAction,
    ...(flags.agent ? { agent: flags.agent } : {}),
  });
  const response = await awaitControlResponse(paths.controlDir, request.id, { timeoutMs: waitMs });
  if (!response) {
    const withdrawn = withdrawControlRequest(paths.controlDir, request.id);
    const message = withdrawn
      ? `the supervisor of session ${id} (pid ${session.supervisorPid}) did not answer within ${waitMs} ms; the request was withdrawn`
      : `the supervisor of session ${id} took the request up but did not answer within ${waitMs} ms; it may still act on it`;
    if (flags.json)
      io.stdout.write(
        `${JSON.stringify({ id: request.id, action, ...(flags.agent ? { agent: flags.agent } : {}), result: 'timeout', message })}\n`,
      );
    else io.stderr.write(`orchestrate: ${message}\n`);
    return CTL_EXIT.timeout;
  }
  if (flags.json) io.stdout.write(`${JSON.stringify(response)}\n`);
  else {
    const what = `${response.action}${response.agent ? ` (${response.agent})` : ''}`;
    if (response.result === 'done') io.stdout.write(`session ${id}: ${what} done: ${response.message}\n`);
    else io.stderr.write(`orchestrate: session ${id}: ${what} ${response.result}: ${response.message}\n`);
  }
  return CTL_EXIT[response.result];
}

function readSession(file: string, id: string): RecordedSession {
  let value: Partial<RecordedSession> | null;
  try {
    value = JSON.parse(readFileSync(file, 'utf8')) as Partial<RecordedSession> | null;
  } catch (error) {
    throw new UsageError(`session ${id}: cannot read session.json (${(error as Error).message})`, 'see it with `orchestrate show`');
  }
  if (!value || typeof value.state !== 'string' || typeof value.supervisorPid !== 'number') {
    throw new UsageError(`session ${id}: session.json has no state or supervisor pid`, 'see it with `orchestrate show`');
  }
  return { ...(value as RecordedSession), agents: Array.isArray(value.agents) ? value.agents : [] };
}
