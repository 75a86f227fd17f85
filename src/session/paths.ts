import path from 'node:path';
import { userStateDir } from '../paths.js';

/** Every file of one session directory, in one place. */
export interface SessionPaths {
  root: string;
  session: string;
  plan: string;
  events: string;
  summaryJson: string;
  summaryMd: string;
  agentsDir: string;
  reviewsDir: string;
  controlDir: string;
  /** The questions open for a person now (`questions.json`), for dashboards that do not run the session. */
  questions: string;
}

/** Files of one agent run: `agents/<agent>/<run>/`. */
export interface RunPaths {
  dir: string;
  command: string;
  prompt: string;
  stdout: string;
  stderr: string;
}

/** The sessions folder of a workspace. */
export function sessionsDir(workspace: string): string {
  return path.join(workspace, 'sessions');
}

/** Paths of the session `id` under `workspace`. */
export function sessionPaths(root: string): SessionPaths {
  return {
    root,
    session: path.join(root, 'session.json'),
    plan: path.join(root, 'plan.json'),
    events: path.join(root, 'events.jsonl'),
    summaryJson: path.join(root, 'summary.json'),
    summaryMd: path.join(root, 'summary.md'),
    agentsDir: path.join(root, 'agents'),
    reviewsDir: path.join(root, 'reviews'),
    controlDir: path.join(root, 'control'),
    questions: path.join(root, 'questions.json'),
  };
}

/** Paths of one run of an agent. `run` is the assignment id, plus `.N` for later attempts. */
export function runPaths(session: SessionPaths, agent: string, run: string): RunPaths {
  const dir = path.join(session.agentsDir, agent, run);
  return {
    dir,
    command: path.join(dir, 'command.json'),
    prompt: path.join(dir, 'prompt.md'),
    stdout: path.join(dir, 'stdout.jsonl'),
    stderr: path.join(dir, 'stderr.log'),
  };
}

/**
 * orchestrate's own state folder, outside every target: `$ORCHESTRATE_STATE_DIR`, else
 * `$XDG_STATE_HOME/orchestrate`, else `~/.local/state/orchestrate`. Session copies live here.
 */
export function stateRoot(env: Readonly<Record<string, string | undefined>>): string {
  if (env['ORCHESTRATE_STATE_DIR']) return path.resolve(env['ORCHESTRATE_STATE_DIR']);
  return path.resolve(userStateDir(env));
}

/** Where a session's agents keep their private copies of their CLI state (sandboxed runs). */
export function agentStateDir(root: string, sessionId: string): string {
  return path.join(root, 'agent-state', sessionId);
}
