import { formatDuration } from '../config/duration.js';
import { ROLE_DESCRIPTIONS } from './defaults.js';
import type { Assignment, Plan } from './types.js';

/** The reporting protocol every prompt ends with; the adapters turn these lines into events. */
export const REPORT_PROTOCOL = [
  'Report progress with lines that begin exactly with one of these prefixes, in your messages:',
  '  MILESTONE: <what you finished>       (a meaningful step is done; a peer may review it)',
  '  BLOCKER: <what stops you>            (you cannot go on without help or a decision)',
  '  REVIEW_REQUEST: <what to look at>    (you want a peer review now)',
  '  DONE: <one-line summary>             (your assignment is complete)',
].join('\n');

/**
 * Builds one assignment's prompt: role, share of the budget, the whole task, what the other agents
 * do, and how to report. Pure and deterministic (no dates, no paths that vary between runs).
 */
export function buildPrompt(plan: Plan, assignment: Assignment): string {
  const roleLine =
    assignment.role === 'custom'
      ? `Your role: custom (${assignment.title})`
      : `Your role: ${assignment.role} (${ROLE_DESCRIPTIONS[assignment.role]})`;
  const others = plan.assignments
    .filter((a) => a.id !== assignment.id)
    .map((a) => `  - ${a.agent}: ${a.title} (${pct(a.weight)} of the budget)${a.dependsOn.includes(assignment.id) ? ', after you' : ''}`);
  const before = assignment.dependsOn
    .map((id) => plan.assignments.find((a) => a.id === id))
    .filter((a): a is Assignment => a !== undefined)
    .map((a) => `  - ${a.agent} has finished: ${a.title}`);
  return [
    `You are ${assignment.agent}, one of ${plan.tier.agents.length} coding agents working on one task under orchestrate.`,
    roleLine,
    // the window follows the plan: assignments that run at the same time each have the whole of theirs
    `Your share: ${pct(assignment.weight)} of the session's work; your time window: about ${formatDuration(assignment.budgetMs)}.`,
    '',
    `Task: ${plan.task}`,
    '',
    'Your assignment:',
    `  ${assignment.title}`,
    ...wrap(assignment.instructions),
    '',
    ...(before.length ? ['Already done:', ...before, ''] : []),
    ...(others.length ? ['The other agents:', ...others, ''] : ['You are working alone on this task.', '']),
    'Work only inside the project directory you were started in. Do not push, publish or install',
    "global packages; such commands are stopped or need a person's approval.",
    '',
    REPORT_PROTOCOL,
    '',
  ].join('\n');
}

function pct(weight: number): string {
  return `${Math.round(weight * 100)}%`;
}

function wrap(text: string): string[] {
  return text.split('\n').map((line) => `  ${line}`);
}
