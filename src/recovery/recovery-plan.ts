import type { LaunchSpec } from '../agents/adapter.js';
import type { AgentId } from '../agents/agent-id.js';
import type { RunStatus } from '../run-status.js';
import type { Diagnosis } from './diagnose.js';
import type { PathProbe } from './path-scope.js';
import type { Invocation } from './rerun-command.js';

/** The essentials of a finished run (a subset of AgentRunResult). */
export interface RecoveryRun {
  status: RunStatus;
  reason?: string;
  diagnoses: readonly Diagnosis[];
  cliSessionId?: string;
  exit: { code: number | null; signal: string | null } | null;
  /** Whether the CLI's final event arrived; when absent, read from `reason` (decideOutcome's wording). */
  finalEvent?: boolean;
  lastMessages?: readonly string[];
}

/** Everything planRecovery decides on. Plain data (plus an optional file-system probe). */
export interface RecoveryInput {
  agent: AgentId;
  run: RecoveryRun;
  /** Relaunches already spent per cause id (catalogue id or `run.*`). Parks are not counted. */
  attempts: Readonly<Record<string, number>>;
  /** config `recovery.maxAttempts` (default 2). */
  maxAttempts: number;
  /** config `recovery.backoff` in ms (default DEFAULT_BACKOFF_MS). */
  backoffMs: number;
  /** The target and `sandbox.allowWrite`: where a write may be granted without asking. */
  allowedRoots: readonly string[];
  /** The extra dirs the failed run already had. */
  currentAddDirs: readonly string[];
  now: number;
  /** The next agents in fallback order, without those that already failed this assignment. */
  availableFallbacks: readonly AgentId[];
  /** The failed launch: its working dir, context and config args (for the flag diff). */
  launch: { cwd: string; context: LaunchSpec['context']; extraArgs?: readonly string[]; model?: string };
  /** The assignment's prompt and the files its runs changed (for a fresh session's prompt). */
  work: { originalPrompt: string; filesChanged: readonly string[] };
  /** How orchestrate was started, for the re-run command of an escalation. */
  invocation: Invocation & { configPath?: string };
  /** Parks already spent by this assignment (doubles the backoff of a park without a reset time). */
  parks?: number;
  /** The session's deadline: a park ending after it hands the work on (or gives up) instead. */
  deadlineMs?: number;
  /** The file system, for `..`/symlink resolution of refused paths (default: the real one). */
  probe?: PathProbe;
}

/** What a relaunch changes. */
export interface RelaunchChange {
  /** The full new extra-dir list (LaunchSpec.addDirs). */
  addDirs?: string[];
  /** Folders to create before the relaunch (a granted dir that does not exist yet). */
  ensureDirs?: string[];
  /** Relaunch in the adapter's own permission mode: leave these config args out. */
  dropArgs?: string[];
  /** Start a new CLI session (the old one cannot be resumed). */
  freshSession?: true;
  /** Force the outside-a-git-repo preparation (LaunchSpec.context.targetIsGitRepo = false). */
  skipGitRepoCheck?: true;
}

export type RecoveryPlan =
  | {
      kind: 'relaunch';
      cause: string;
      /** This relaunch's number for its cause (attempts[cause] + 1). */
      attempt: number;
      change: RelaunchChange;
      /** The argv difference, from the adapter's real argv (`+ --add-dir /x`). */
      flagDiff: string[];
      resumeSessionId?: string;
      prompt: string;
      /** Wait this long first (backoffMs * 2^attempts spent; 0 when the fix is a flag). */
      delayMs: number;
      reason: string;
    }
  | {
      kind: 'escalate';
      cause: string;
      /** One line for a terminal prompt: `allow writing /data for gemini? [y/N]`. */
      question: string;
      /** What a "yes" grants: relaunch with this dir added (also to the sandbox's writable binds), or trust the target. */
      offer?: { addDir: string } | { trust: true };
      /** One paragraph for the summary (headless: the session ends with exit code 8). */
      blocker: string;
      /** The exact command line to re-run after fixing it. */
      rerun: string;
    }
  | {
      kind: 'park';
      cause: string;
      untilMs: number;
      reason: string;
      /** Agents that could take the assignment meanwhile, in fallback order (advice; see docs/recovery.md). */
      handOff: AgentId[];
      /** For the relaunch after the park: resume this session with this prompt. */
      resumeSessionId?: string;
      prompt: string;
    }
  | { kind: 'fallback'; cause: string; to: AgentId; reason: string }
  | { kind: 'give_up'; cause?: string; reason: string };

/** config `recovery.backoff` when unset. */
export const DEFAULT_BACKOFF_MS = 2000;
