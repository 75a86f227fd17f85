import type { AgentId } from '../agents/agent-id.js';
import type { Role } from '../config/schema.js';

/** The collaboration tiers, from ideal to fallback. */
export type TierName = 'all-three' | 'gemini+claude' | 'gemini+codex' | 'claude+codex' | 'solo';

/** One agent's piece of the task. */
export interface Assignment {
  /** Stable id, e.g. `1-design-gemini`. */
  id: string;
  agent: AgentId;
  role: Role | 'custom';
  /** 1 design, 2 implementation, 3 validation (plan files may use any phase number). */
  phase: number;
  title: string;
  /** Share of the whole time budget (0..1); stated in the prompt. */
  weight: number;
  /** weight × session timeout, in milliseconds. */
  budgetMs: number;
  /** Assignments that must succeed before this one starts. Those without one run concurrently. */
  dependsOn: string[];
  /** What this assignment asks of the agent, beyond the role's standing instructions. */
  instructions: string;
  /** Why this agent got this role (the tier table's row, or "from plan file"). */
  reason: string;
}

/** The plan written to `plan.json`: deterministic for the same task, options and tier. */
export interface Plan {
  version: 1;
  task: string;
  tier: { name: TierName; agents: AgentId[]; reason: string };
  /** Each present agent's total share of the time budget. */
  weights: Partial<Record<AgentId, number>>;
  timeoutMs: number;
  /** Runtime fallback order for agents that fail for good. */
  fallbackOrder: AgentId[];
  assignments: Assignment[];
  source: 'default-decomposition' | 'plan-file';
}
