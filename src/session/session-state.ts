import type { CopyInfo } from './copy-info.js';
import type { ExitCode } from '../errors.js';

/** Lifecycle of a session as `session.json` records it. */
export type SessionLifecycle = 'running' | 'completed' | 'failed' | 'interrupted' | 'crashed';

/** `session.json`: the session's current state, replaced atomically on every change. */
export interface SessionState {
  version: 1;
  id: string;
  task: string;
  target: string;
  workspace: string;
  state: SessionLifecycle;
  startedAt: string;
  endedAt?: string;
  /** When `orchestrate resume` continued the session (once per resume). */
  resumedAt?: string[];
  outcome?: string;
  exitCode?: ExitCode;
  /** The supervisor's own pid (a live pid means the session is being run). */
  supervisorPid: number;
  tier?: string;
  agents: string[];
  /** Every agent run's process group, so a later start can sweep orphans. */
  processes: Array<{
    agent: string;
    assignment: string;
    run: string;
    pid: number;
    pgid: number;
    alive: boolean;
    startTime?: number;
    paused?: boolean;
  }>;
  /** The supervisor's start time (/proc stat field 22), so a reused pid is never taken for it. */
  supervisorStartTime?: number;
  /** Each assignment's status. */
  assignments: Record<string, { agent: string; status: string; cliSessionId?: string }>;
  sandbox?: { active: boolean; reason: string };
  /** The session's copy of the target (agents work only there); absent in sessions from before copies. */
  copy?: CopyInfo;
  /** Set once the copy was discarded (`orchestrate discard`). */
  discarded?: string;
  options: Record<string, unknown>;
}
