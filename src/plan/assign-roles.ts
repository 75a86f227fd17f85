import type { AgentId } from '../agents/agent-id.js';
import type { Role } from '../config/schema.js';
import { DEFAULT_ROLE_PREFERENCES, ROLES } from './defaults.js';

/** Which agent takes a role, and the one-line reason written into plan.json. */
export interface RoleChoice {
  role: Role;
  agent: AgentId;
  reason: string;
}

/**
 * Assigns every role to an available agent by the fixed preference table. Deterministic: the
 * result depends only on the set of available agents and the preference lists.
 */
export function assignRoles(available: readonly AgentId[], preferences: Partial<Record<Role, readonly AgentId[]>> = {}): RoleChoice[] {
  const present = new Set(available);
  const choices: RoleChoice[] = [];
  for (const role of ROLES) {
    const prefs = withEveryAgent(preferences[role] ?? DEFAULT_ROLE_PREFERENCES[role]);
    const implementer = choices.find((c) => c.role === 'implementation')?.agent;
    let agent = prefs.find((a) => present.has(a) && !(role === 'validation' && a === implementer && present.size > 1));
    let reason: string;
    if (agent === undefined) {
      agent = prefs.find((a) => present.has(a));
      if (agent === undefined) throw new Error('assignRoles needs at least one available agent');
    }
    const first = prefs[0];
    if (agent === first) reason = `${agent} is the preferred agent for ${role}`;
    else if (role === 'validation' && first !== undefined && first === implementer && present.has(first))
      reason = `${agent} validates because ${first} implements (no agent validates its own work)`;
    else reason = `${agent} takes ${role} because ${missing(prefs, agent, present)} unavailable`;
    choices.push({ role, agent, reason });
  }
  return choices;
}

/** The preference list, completed with any agent it leaves out (so every tier has an answer). */
function withEveryAgent(prefs: readonly AgentId[]): AgentId[] {
  const all: AgentId[] = ['gemini', 'claude', 'codex'];
  return [...new Set([...prefs, ...all])];
}

function missing(prefs: readonly AgentId[], chosen: AgentId, present: Set<AgentId>): string {
  const before = prefs.slice(0, prefs.indexOf(chosen)).filter((a) => !present.has(a));
  return before.length === 1 ? `${before[0]} is` : `${before.join(' and ')} are`;
}
