import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { AgentId } from '../agents/agent-id.js';
import { agentIdSchema } from '../config/schema.js';
import { formatIssues, where } from '../config/format-issues.js';
import { parseJsonFile } from '../config/parse-json.js';
import { ConfigError } from '../errors.js';
import { timeShares } from '../budget/time-shares.js';
import { tierFor } from './tier.js';
import type { Assignment, Plan } from './types.js';

/** A `--plan` file: the assignments a person wrote instead of the default decomposition. */
export const planFileSchema = z
  .object({
    assignments: z
      .array(
        z
          .object({
            id: z.string().regex(/^[A-Za-z0-9._-]+$/, 'use letters, digits, ".", "_" or "-"'),
            agent: agentIdSchema,
            role: z.enum(['design', 'implementation', 'validation', 'custom']).default('custom'),
            title: z.string().min(1),
            instructions: z.string().default(''),
            weight: z.number().positive(),
            dependsOn: z.array(z.string()).default([]),
            phase: z.number().int().positive().optional(),
          })
          .strict(),
      )
      .min(1),
  })
  .strict();

/** Reads and validates a plan file, and builds the plan for the agents that are available. */
export function loadPlanFile(file: string, task: string, available: readonly AgentId[], timeoutMs: number): Plan {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(
      `${file}: cannot read plan (${(error as Error).message})`,
      'give the path of a plan file (see "Plan files" in the README)',
    );
  }
  const raw = parseJsonFile(text, file, 'the plan file must be one JSON object');
  const parsed = planFileSchema.safeParse(raw);
  const source = { file, text };
  if (!parsed.success)
    throw new ConfigError(`${file}: invalid plan\n${formatIssues(parsed.error, 5, source)}`, 'see "Plan files" in the README');
  /** `file:line:column` of assignment `i`'s field. */
  const at = (...path: Array<string | number>): string => where(source, { path: ['assignments', ...path] });
  const items = parsed.data.assignments;
  const ids = new Set<string>();
  items.forEach((a, i) => {
    if (ids.has(a.id))
      throw new ConfigError(`${at(i, 'id')}: assignments.${i}.id: duplicate id "${a.id}"`, 'give every assignment its own id');
    ids.add(a.id);
  });
  items.forEach((a, i) => {
    a.dependsOn.forEach((d, j) => {
      if (!ids.has(d))
        throw new ConfigError(
          `${at(i, 'dependsOn', j)}: assignments.${i}.dependsOn.${j}: unknown assignment "${d}"`,
          'name an id from this plan',
        );
    });
    if (!available.includes(a.agent))
      throw new ConfigError(
        `${at(i, 'agent')}: assignments.${i}.agent: ${a.agent} is not available`,
        `available: ${available.join(', ') || 'none'}`,
      );
  });
  assertAcyclic(
    items.map((a) => ({ id: a.id, dependsOn: a.dependsOn })),
    file,
  );
  const sum = items.reduce((s, a) => s + a.weight, 0);
  const assignments: Assignment[] = items.map((a) => {
    const weight = Math.round((a.weight / sum) * 10_000) / 10_000;
    return {
      id: a.id,
      agent: a.agent,
      role: a.role,
      phase: a.phase ?? 1,
      title: a.title,
      weight,
      budgetMs: 0,
      dependsOn: a.dependsOn,
      instructions: a.instructions,
      reason: 'from plan file',
    };
  });
  // parallel assignments share a window along the plan's critical path (they do not split it)
  const windows = timeShares(assignments, timeoutMs);
  for (const a of assignments) a.budgetMs = windows.get(a.id) ?? 0;
  const agents = [...new Set(assignments.map((a) => a.agent))];
  const weights: Partial<Record<AgentId, number>> = {};
  for (const a of assignments) weights[a.agent] = Math.round(((weights[a.agent] ?? 0) + a.weight) * 10_000) / 10_000;
  return {
    version: 1,
    task,
    tier: { name: tierFor(agents), agents, reason: 'agents named by the plan file' },
    weights,
    timeoutMs,
    fallbackOrder: [...available],
    assignments,
    source: 'plan-file',
  };
}

function assertAcyclic(nodes: { id: string; dependsOn: string[] }[], file: string): void {
  const state = new Map<string, 'visiting' | 'done'>();
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const visit = (id: string, trail: string[]): void => {
    if (state.get(id) === 'done') return;
    if (state.get(id) === 'visiting')
      throw new ConfigError(`${file}: dependency cycle: ${[...trail, id].join(' -> ')}`, 'remove one dependsOn');
    state.set(id, 'visiting');
    for (const d of byId.get(id)?.dependsOn ?? []) visit(d, [...trail, id]);
    state.set(id, 'done');
  };
  for (const n of nodes) visit(n.id, []);
}
