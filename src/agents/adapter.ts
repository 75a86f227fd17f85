import type { AgentId } from './agent-id.js';
import type { StreamParser } from '../events/agent-event.js';

/** Why an agent is being launched: real work, or a read-only peer review with structured output. */
export type LaunchMode = 'work' | 'review';

/** Everything an adapter needs to build one headless launch. Paths are absolute. */
export interface LaunchSpec {
  /** The executable to run (a name found on PATH, or a path). */
  executable: string;
  /** The full prompt text. */
  prompt: string;
  /** The target project; the agent's working directory. */
  cwd: string;
  /** Extra directories the agent may write (claude/codex `--add-dir`, gemini `--include-directories`). */
  addDirs: readonly string[];
  /** Model name from config; omitted means the CLI's default (gemini and codex get a default). */
  model?: string;
  /** Extra arguments from config, appended before the prompt. */
  extraArgs: readonly string[];
  /** `work` edits the target; `review` is read-only and answers through structured output. */
  mode: LaunchMode;
  /** Resume the CLI's own session with this id (from its `agent.session` event). */
  resumeSessionId?: string;
  /** This run's share of the session's cost ceiling (USD): a CLI with a native ceiling gets it (claude `--max-budget-usd`). */
  maxBudgetUsd?: number;
  /** JSON Schema for the structured answer (review mode). codex needs it in a file. */
  outputSchema?: { json: string; file: string };
  /** Facts about the launch environment that change the flags. */
  context: {
    /** orchestrate runs as uid 0 (claude refuses its bypass flag as root unless sandboxed). */
    isRoot: boolean;
    /** orchestrate's OS sandbox (bubblewrap) is really active for this launch. */
    sandboxed: boolean;
    /** The target is a git work tree (codex otherwise needs `--skip-git-repo-check`). */
    targetIsGitRepo: boolean;
    /** The session trusts the target (gemini `--skip-trust`). */
    trustTarget: boolean;
  };
  /** Per-session enforcement files generated from the command policy (safety layer 1). */
  policyFiles?: {
    /** claude `--settings` JSON file holding the PreToolUse hook. */
    claudeSettings?: string;
    /** gemini `--policy` TOML file. */
    geminiPolicy?: string;
    /** claude reads no user or project settings (`--setting-sources ""`): none can switch the hook off. */
    claudeOnlyFlagSettings?: boolean;
    /** codex flags that install orchestrate's PreToolUse hook (`--enable hooks`, `-c hooks.…`). */
    codexHookFlags?: readonly string[];
  };
}

/** The exact process to start: argv and the environment variables the adapter adds. */
export interface CommandSpec {
  file: string;
  args: string[];
  /** Variables added on top of the supervisor's base environment. */
  env: Record<string, string>;
  /**
   * The prompt goes to the child's stdin (the CLI reads it there), not into argv: one argument is
   * limited to 128 KiB by the kernel (MAX_ARG_STRLEN), and a task can be bigger.
   */
  promptOnStdin?: boolean;
}

/** One adapter per CLI. Pure: no processes, no file system. */
export interface AgentAdapter {
  readonly id: AgentId;
  /** The default executable name looked up on PATH. */
  readonly defaultExecutable: string;
  /** Arguments of the version probe used to decide availability (`--version`). */
  readonly versionArgs: readonly string[];
  /** The exact headless argv and env for this CLI, as REFERENCE.md documents it. */
  buildCommand(spec: LaunchSpec): CommandSpec;
  /** A fresh parser for one run's stdout. */
  createParser(): StreamParser;
}
