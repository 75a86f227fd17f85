import type { AgentId } from '../agents/agent-id.js';
import type { Role } from '../config/schema.js';

/** The roles in phase order. */
export const ROLES: readonly Role[] = ['design', 'implementation', 'validation'];

/**
 * Default share per role (the spec: design 40-50%, implementation 40-50%, validation 10-20%).
 * Validation is also the agent's review share, so it gets the middle of its band.
 */
export const DEFAULT_ROLE_WEIGHTS: Record<Role, number> = {
  design: 0.4,
  implementation: 0.45,
  validation: 0.15,
};

/**
 * Who takes each role: the first available agent in the list. Validation additionally never goes
 * to the agent that implements, when another agent is available (an author does not validate its
 * own work). With all three this gives gemini/claude/codex; the README lists every tier's row.
 */
export const DEFAULT_ROLE_PREFERENCES: Record<Role, readonly AgentId[]> = {
  design: ['gemini', 'claude', 'codex'],
  implementation: ['claude', 'codex', 'gemini'],
  validation: ['codex', 'gemini', 'claude'],
};

/** What each role asks for, stated in every prompt. */
export const ROLE_DESCRIPTIONS: Record<Role, string> = {
  design: 'architecture and design',
  implementation: 'implementation of the code and its tests',
  validation: 'review and validation',
};

/** Standing instructions per role. */
export const ROLE_INSTRUCTIONS: Record<Role, string> = {
  design:
    'Study the project and write a short design for the task in docs/design.md: the approach, ' +
    'the files to change, the interfaces, and how to test it. Do not implement the change.',
  implementation:
    'Implement the task in the project, following docs/design.md when it exists. Keep the change ' +
    'focused, add or update tests, and run them.',
  validation:
    "Review and validate the implementation: read the change, run the project's tests and checks, " +
    'and fix small problems you find. Report anything you could not fix as a BLOCKER.',
};

/** Default whole-session time budget. */
export const DEFAULT_TIMEOUT_MS = 30 * 60_000;
