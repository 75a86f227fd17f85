import type { AgentId } from '../agents/agent-id.js';
import type { Role } from '../config/schema.js';
import { assignRoles } from './assign-roles.js';
import { DEFAULT_ROLE_WEIGHTS, ROLE_DESCRIPTIONS, ROLE_INSTRUCTIONS, ROLES } from './defaults.js';
import { timeShares } from '../budget/time-shares.js';
import { tierFor } from './tier.js';
import type { Assignment, Plan } from './types.js';

/** Inputs of the default decomposition. The plan is a pure function of these. */
export interface DecomposeInput {
  task: string;
  /** Available agents in preference order (`--agents` order, filtered by the probe). */
  available: readonly AgentId[];
  timeoutMs: number;
  weights?: Partial<Record<Role, number>>;
  rolePreferences?: Partial<Record<Role, readonly AgentId[]>>;
}

/**
 * The default decomposition: design, then implementation, then validation, each role assigned by
 * the tier table, weights re-normalised to sum to 1 and turned into time budgets.
 */
export function decompose(input: DecomposeInput): Plan {
  if (input.available.length === 0) throw new Error('decompose needs at least one available agent');
  const tier = tierFor(input.available);
  const roleWeights = normaliseWeights(input.weights);
  const choices = assignRoles(input.available, input.rolePreferences);
  const assignments: Assignment[] = [];
  ROLES.forEach((role, index) => {
    const choice = choices.find((c) => c.role === role);
    if (!choice) return;
    const weight = roleWeights[role];
    const previous = assignments.at(-1);
    assignments.push({
      id: `${index + 1}-${role}-${choice.agent}`,
      agent: choice.agent,
      role,
      phase: index + 1,
      // the task itself is in every prompt once (`Task:`); repeating it in titles multiplied its size
      title: capitalise(ROLE_DESCRIPTIONS[role]),
      weight,
      budgetMs: 0,
      dependsOn: previous ? [previous.id] : [],
      instructions: ROLE_INSTRUCTIONS[role],
      reason: choice.reason,
    });
  });
  // a chain: each window is its weight's share (the same function as for plan files)
  const windows = timeShares(assignments, input.timeoutMs);
  for (const a of assignments) a.budgetMs = windows.get(a.id) ?? 0;
  const weights: Partial<Record<AgentId, number>> = {};
  for (const a of assignments) weights[a.agent] = round4((weights[a.agent] ?? 0) + a.weight);
  const agents = [...new Set(input.available)];
  return {
    version: 1,
    task: input.task,
    tier: { name: tier, agents, reason: tierReason(tier, agents) },
    weights,
    timeoutMs: input.timeoutMs,
    fallbackOrder: agents,
    assignments,
    source: 'default-decomposition',
  };
}

/** Re-normalises role weights to sum to 1 (rounded to 4 places so plan.json is stable). */
export function normaliseWeights(overrides: Partial<Record<Role, number>> = {}): Record<Role, number> {
  const raw = ROLES.map((r) => overrides[r] ?? DEFAULT_ROLE_WEIGHTS[r]);
  const sum = raw.reduce((a, b) => a + b, 0);
  const out = {} as Record<Role, number>;
  ROLES.forEach((r, i) => (out[r] = round4((raw[i] ?? 0) / sum)));
  return out;
}

function tierReason(tier: string, agents: AgentId[]): string {
  return tier === 'all-three'
    ? 'all three agents are available'
    : `only ${agents.join(' and ')} ${agents.length === 1 ? 'is' : 'are'} available: tier ${tier}`;
}

function round4(n: number): number {
  return Math.round(n * 10_000) / 10_000;
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
