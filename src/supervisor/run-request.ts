import type { AgentId } from '../agents/agent-id.js';
import type { LaunchMode } from '../agents/adapter.js';
import type { Assignment } from '../plan/types.js';

/** One launch of one agent CLI for an assignment: a first attempt, a relaunch, a revision or a review. */
export interface RunRequest {
  assignment: Assignment;
  agent: AgentId;
  /** Folder name under `agents/<agent>/`, unique within the session. */
  run: string;
  prompt: string;
  mode: LaunchMode;
  timeoutMs: number;
  resumeSessionId?: string;
  addDirs?: readonly string[];
  outputSchema?: { json: string; file: string };
  /** Extra fields on every journal entry of this run (a review run carries `review: n`). */
  tags?: Record<string, unknown>;
  /** Config args left out (a recovery relaunch in the adapter's own permission mode). */
  dropArgs?: readonly string[];
  /** Launch as outside a git repository (codex `--skip-git-repo-check`), whatever the probe said. */
  skipGitRepoCheck?: boolean;
  /** Trust the target for this run although the session does not (a person said yes). */
  trustTarget?: boolean;
  /** Directories a person granted at an escalation: writable in the sandbox too. */
  extraWritable?: readonly string[];
}
