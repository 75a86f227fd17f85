import type { AgentId } from '../agents/agent-id.js';
import type { RunHandle } from './agent-run.js';
import type { ConfirmBroker } from '../safety/confirm/broker.js';
import type { Plan } from '../plan/types.js';
import type { Summary } from '../session/summary.js';
import type { HookServer } from '../safety/hook/hook-server.js';
import type { Journal } from '../session/journal.js';
import type { SessionPaths } from '../session/paths.js';
import type { SessionState } from '../session/session-state.js';
import type { SessionOptions } from './session-options.js';
import type { SessionStop } from './session-stop.js';
import type { WorkCopies } from './work-copies.js';
import type { SessionBudget } from '../budget/session-budget.js';

/** One agent process that is running now (control acts on these). */
export interface LiveRun {
  agent: AgentId;
  assignment: string;
  run: string;
  pid: number;
  /** Set for a reviewer's run: the review number. */
  review?: number;
  /** Stops this run (the run ends with the matching status). */
  handle: RunHandle;
  /** Paused by `ctl pause` (its stall timer must not count the pause). */
  paused?: boolean;
}

/** The session's pre-execution hooks: the decision point's socket and the client every CLI runs. */
export interface SessionHooks {
  server: HookServer;
  /** Folder of the client and (when its path is short enough) the socket; read-only to agents. */
  dir: string;
  /** The folder that holds the socket (the sandbox binds it read-only). */
  socketDir: string;
  /** How the client is run: `[<dir>/hook-client]` (C, where a compiler is found) or `[perl, <dir>/hook-client.pl]`. */
  program: string[];
  close(): Promise<void>;
}

/** What every part of a running session shares: options, files, journal and live processes. */
export interface SessionRuntime {
  opts: SessionOptions;
  paths: SessionPaths;
  journal: Journal;
  state: SessionState;
  /**
   * Writes session.json atomically. `durable: false` skips the fsync: for records only a live
   * machine needs (a run's pid, read by the sweep to kill leftovers; a power loss leaves none).
   */
  saveState(options?: { durable?: boolean }): void;
  plan: Plan;
  /** Agents that answered the probe, in preference order. */
  available: AgentId[];
  /** Each available agent's executable, resolved to its real path by the probe. */
  executables: Map<AgentId, string>;
  /** The session's copies of the target: where each assignment works, its commits, the merges. */
  copies: WorkCopies;
  /** Runs in progress, by run name. */
  live: Map<string, LiveRun>;
  /** Usage per agent over every run, reviews included. */
  usage: Summary['agents'];
  /** The session's confirm broker (claude's hook asks it about confirm-class commands). */
  confirm?: ConfirmBroker;
  /** The session's decision point for every CLI's pre-execution hook (safety layer 1). */
  hooks?: SessionHooks;
  /** Ends the session early (signal, `ctl stop`, headless escalation); runs watch its signal. */
  stop: SessionStop;
  /** Time windows, ceiling shares and spend (src/budget/; set once the plan exists). */
  budget?: SessionBudget;
}
