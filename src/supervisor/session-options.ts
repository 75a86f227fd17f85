import type { AgentId } from '../agents/agent-id.js';
import type { Clock } from '../clock.js';
import type { OrchestrateConfig } from '../config/schema.js';
import type { ReviewSettings } from '../review/review-settings.js';
import type { ConfirmDecider } from '../safety/confirm/types.js';
import type { Watchdog } from '../process/watchdog.js';
import type { ResolvedLimits } from '../safety/limits/resolve-limits.js';
import type { ResumeInput } from './resume-plan.js';
import type { Journal } from '../session/journal.js';
import type { SessionPaths } from '../session/paths.js';
import type { EventPolicy } from '../safety/event-policy.js';
import type { SandboxPlan } from './sandbox-plan.js';

/** Everything a session needs, resolved by the CLI. */
export interface SessionOptions {
  task: string;
  target: string;
  workspace: string;
  /** Agents to consider, in preference order. */
  agents: AgentId[];
  planFile?: string;
  config: OrchestrateConfig;
  configFile?: string;
  /** sha256 of the config file as read (from the person's checkout or home, before any agent), journaled. */
  configSha256?: string;
  /** `--apply`: bring a successful session's changes into the checkout without asking. */
  apply?: boolean;
  timeoutMs: number;
  probeTimeoutMs: number;
  killGraceMs: number;
  stallMs: number;
  trustTarget: boolean;
  /** Peer reviews: on or off, revision rounds, fallback timer, strict. Journaled in `session.started`. */
  review: ReviewSettings;
  sandbox: SandboxPlan;
  env: NodeJS.ProcessEnv;
  clock: Clock;
  signal: AbortSignal;
  policies?: EventPolicy[];
  /** Told about the journal as soon as it exists (the dashboard subscribes here). */
  onJournal?: (journal: Journal, paths: SessionPaths) => void;
  version: string;
  /**
   * Asks the person at the terminal a yes/no question (default no, bounded wait). Absent when
   * headless: then nobody is asked and the documented headless answer applies.
   */
  ask?: (question: string) => Promise<'yes' | 'no' | 'timeout'>;
  /** Confirm-class commands: who decides (a person or the headless policy) and what CLIs that cannot ask get. */
  confirm?: { decide: ConfirmDecider; fallback: 'deny' | 'allow' };
  /** The command that runs orchestrate itself (claude's PreToolUse hook calls it). */
  orchestrateBin?: string[];
  /** Continue this session instead of starting a new one (`orchestrate resume`). */
  resume?: ResumeInput;
  /** How orchestrate was started (an escalation's re-run command repeats it). */
  invocation?: { argv: string[]; cwd: string };
  /** config `recovery.backoff`, parsed (the first wait between relaunches; doubles). */
  recoveryBackoffMs?: number;
  /** Memory/CPU limits per agent run (config `limits`, resolved). */
  limits?: ResolvedLimits;
  /** Ends the agents if orchestrate dies without cleaning up. */
  watchdog?: Watchdog;
}
