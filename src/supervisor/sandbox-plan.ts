import type { AgentId } from '../agents/agent-id.js';
import type { CommandSpec } from '../agents/adapter.js';

/** Where a wrapped agent runs: used to decide what the sandbox makes writable or hides. */
export interface WrapContext {
  agent: AgentId;
  /** The agent's full environment (HOME, CODEX_HOME, GEMINI_CLI_HOME decide its state dirs). */
  env: Record<string, string>;
  sessionDir: string;
  /** The session copy the agent works in: its cwd and writable; the target itself stays read-only. */
  workDir?: string;
  /** Read-only binds added after every other bind (safety layer 1: codex rules, the hook's files). */
  extraReadOnlyBinds?: ReadonlyArray<{ source: string; dest: string }>;
  /** Directories a person granted this run at an escalation (writable, like the target). */
  extraWritable?: readonly string[];
}

/** Whether agents run sandboxed, why, and how a command is wrapped. */
export interface SandboxPlan {
  active: boolean;
  /** One line for the journal and summary: which sandbox, or why there is none. */
  reason: string;
  wrap(command: CommandSpec, ctx: WrapContext): CommandSpec;
}

/** No sandbox: commands run as built. */
export function noSandbox(reason: string): SandboxPlan {
  return { active: false, reason, wrap: (command) => command };
}
