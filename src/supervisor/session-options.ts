import type { AgentId } from '../agents/agent-id.js';
import type { Clock } from '../clock.js';
import type { OrchestrateConfig } from '../config/schema.js';
import type { Journal } from '../session/journal.js';
import type { SessionPaths } from '../session/paths.js';
import type { EventPolicy } from './event-policy.js';
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
  timeoutMs: number;
  probeTimeoutMs: number;
  killGraceMs: number;
  stallMs: number;
  trustTarget: boolean;
  sandbox: SandboxPlan;
  env: NodeJS.ProcessEnv;
  clock: Clock;
  signal: AbortSignal;
  policies?: EventPolicy[];
  /** Told about the journal as soon as it exists (the dashboard subscribes here). */
  onJournal?: (journal: Journal, paths: SessionPaths) => void;
  version: string;
}
