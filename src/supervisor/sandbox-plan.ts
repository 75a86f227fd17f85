import type { AgentId } from '../agents/agent-id.js';
import type { CommandSpec } from '../agents/adapter.js';
import type { MountPlan } from '../safety/mount-plan.js';
import type { RunLimits } from '../safety/limits/kernel-limits.js';

/** Where a wrapped agent runs: used to decide what the sandbox makes writable or hides. */
export interface WrapContext {
  agent: AgentId;
  /** The agent's full environment (HOME, CODEX_HOME, GEMINI_CLI_HOME decide its state dirs). */
  env: Record<string, string>;
  sessionDir: string;
  /** The session copy the agent works in: its cwd and writable; the target itself stays read-only. */
  workDir?: string;
  /**
   * Read-only binds (safety layer 1: codex rules, the hook's files). `source` at another `dest` is
   * read-only there whatever contains it; `source` at itself is shown read-only where it would
   * otherwise be hidden (it never makes a writable root read-only).
   */
  extraReadOnlyBinds?: ReadonlyArray<{ source: string; dest: string }>;
  /** Directories a person granted this run at an escalation (writable, like the target). */
  extraWritable?: readonly string[];
  /** The agent CLI's executable when the command is not it (the self-test runs it through sh): its folders are shown. */
  executable?: string;
}

/** What the kernel side of the sandbox adds to one run (sandbox-runtime.ts). */
export interface RunSandboxExtras {
  /** The descriptor the seccomp program is read from inside the prelude. */
  seccompFd?: number;
  /** Wraps the bwrap command (joins the run's cgroup, opens the seccomp program, becomes `asUser`). */
  prelude?: (command: CommandSpec, asUser?: { uid: number; gid: number }) => CommandSpec;
  limits?: RunLimits;
  afterRun?: () => string[];
}

/** A command ready to spawn, with what the run must watch and do afterwards. */
export interface WrappedCommand extends CommandSpec {
  /** The binds the sandbox made, and the rules it dropped and why. */
  mountPlan?: MountPlan;
  /** Kernel-enforced limits of this run, to watch for hits. */
  limits?: RunLimits;
  /** Once the run ended: write back a refreshed login, fix what the agent left; notes for the journal. */
  afterRun?: () => string[];
}

/** Whether agents run sandboxed, why, and how a command is wrapped. */
export interface SandboxPlan {
  active: boolean;
  /** One line for the journal and summary: which sandbox, or why there is none. */
  reason: string;
  wrap(command: CommandSpec, ctx: WrapContext): WrappedCommand;
}

/** No sandbox: commands run as built. */
export function noSandbox(reason: string): SandboxPlan {
  return { active: false, reason, wrap: (command) => command };
}
