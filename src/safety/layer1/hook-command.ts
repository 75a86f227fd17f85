import type { AgentId } from '../../agents/agent-id.js';
import { shellQuote } from './claude-settings.js';

/** Where the session's hook client and decision point are, for one run. */
export interface HookEndpoint {
  /** How the client is run: the compiled client, or perl and the client script (absolute paths, the same inside the sandbox). */
  program: string[];
  /** The decision point's Unix socket. */
  socket: string;
  /** This run's key at the decision point. */
  key: string;
  /** Folders the sandbox must show read-only: the client's and the socket's. */
  dirs: string[];
}

/** Seconds the supervisor has to give its first answer (a decision or "wait, a person is asked"). */
export const HOOK_FIRST_ANSWER_SEC = 10;
/** Seconds each CLI gives the hook beyond our own bounds: a CLI's own timeout lets the call run. */
export const CLI_TIMEOUT_MARGIN_SEC = 30;

/**
 * The hook's command line for one CLI. Run through a shell by the CLI; `|| exit 2` turns a
 * missing or crashing perl into a block too (its error text is the stderr the CLI needs).
 */
export function hookCommand(cli: AgentId, hook: HookEndpoint, confirmWaitMs: number): string {
  const waitSec = Math.ceil(confirmWaitMs / 1000) + 5;
  return `${[...hook.program, hook.socket, cli, hook.key, String(HOOK_FIRST_ANSWER_SEC), String(waitSec)].map(shellQuote).join(' ')} || exit 2`;
}

/** The CLI's own bound on the hook, in seconds: beyond every bound the client keeps itself. */
export function hookTimeoutSec(confirmWaitMs: number): number {
  return Math.ceil(confirmWaitMs / 1000) + 5 + HOOK_FIRST_ANSWER_SEC + CLI_TIMEOUT_MARGIN_SEC;
}
