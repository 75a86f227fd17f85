import { EXIT_NAMES, type ExitCode } from '../errors.js';
import type { Plan } from '../plan/types.js';
import type { FileChanges } from '../session/file-snapshot.js';
import type { SessionFacts } from '../session/session-facts.js';
import type { AssignmentSummary, Summary } from '../session/summary.js';
import type { AssignmentState } from './assignment-state.js';
import type { SessionOptions } from './session-options.js';
import type { SpendReport } from '../budget/session-budget.js';

/** What the summary is built from, besides the assignments. */
export interface SummaryInput {
  id: string;
  opts: SessionOptions;
  plan: Plan | undefined;
  states: Iterable<AssignmentState>;
  exitCode: ExitCode;
  startedAt: number;
  endedAt: number;
  filesChanged: FileChanges;
  notes: string[];
  failure: string | undefined;
  /** Agent usage summed over every run, reviews included. */
  usage: Summary['agents'];
  /** Derived from the journal (collectFacts). */
  facts: SessionFacts;
  finalTier?: string;
  /** Spend against the ceilings (src/budget/). */
  spend?: SpendReport;
}

/** `summary.json`'s content: per assignment, per agent, and how the session ended. */
export function buildSummary(input: SummaryInput): Summary {
  const { opts, plan } = input;
  const states = [...input.states];
  const assignments: AssignmentSummary[] = states.map((s): AssignmentSummary => {
    const out: AssignmentSummary = {
      id: s.assignment.id,
      agent: s.agent,
      role: s.assignment.role,
      status: s.status,
      reason: s.reason,
      durationMs: s.durationMs,
      exitCode: s.result?.exit?.code ?? null,
      signal: s.result?.exit?.signal ?? null,
      filesChanged: s.changes,
    };
    if (s.cliSessionId) out.cliSessionId = s.cliSessionId;
    if (s.runDir) out.runDir = s.runDir;
    if (s.runs.length > 1) out.runs = [...s.runs];
    if (s.fallbackFrom?.length) out.fallbackFrom = [...s.fallbackFrom];
    if (s.result?.finalText) out.finalText = s.result.finalText.slice(0, 2000);
    return out;
  });
  const notes = [...input.notes];
  const lost = new Set(states.flatMap((s) => s.fallbackFrom ?? []));
  let finalTier: string | undefined;
  if (lost.size > 0 && plan) {
    const left = plan.tier.agents.filter((a) => !lost.has(a));
    finalTier = left.length === 1 ? 'solo' : left.join('+');
    for (const s of states) {
      if (s.fallbackFrom?.length)
        notes.push(
          `${s.assignment.id} was handed from ${s.fallbackFrom.join(' then ')} to ${s.agent} at runtime; the session went on as ${finalTier}.`,
        );
    }
  }
  if (input.failure) notes.unshift(input.failure);
  // truthful outcomes: implementation work that changed no file is never a plain "success"
  const implementers = states.filter((s) => s.assignment.role === 'implementation' && s.status === 'succeeded').map((s) => s.assignment.id);
  const nothingChanged = implementers.length > 0 && countChanges(input.filesChanged) === 0;
  if (nothingChanged)
    notes.unshift(`Nothing changed: the implementation (${implementers.join(', ')}) ended without changing any file of the target.`);
  if (!opts.sandbox.active) notes.push(`The agents ran WITHOUT the bubblewrap sandbox: ${opts.sandbox.reason}.`);
  return {
    version: 1,
    sessionId: input.id,
    task: opts.task,
    target: opts.target,
    tier: plan?.tier.name ?? 'none',
    outcome: nothingChanged ? `${EXIT_NAMES[input.exitCode]}, nothing changed` : EXIT_NAMES[input.exitCode],
    exitCode: input.exitCode,
    startedAt: new Date(input.startedAt).toISOString(),
    endedAt: new Date(input.endedAt).toISOString(),
    durationMs: input.endedAt - input.startedAt,
    sandbox: { active: opts.sandbox.active, reason: opts.sandbox.reason },
    assignments,
    agents: input.usage,
    filesChanged: input.filesChanged,
    safety: { violations: input.facts.violations, confirmations: input.facts.confirmations, limits: input.facts.limits },
    recovery: { preparations: input.facts.preparations, recoveries: input.facts.recoveries },
    reviews: input.facts.reviews,
    blockers: input.facts.blockers,
    ...(finalTier ? { finalTier } : {}),
    ...(nothingChanged ? { nothingChanged } : {}),
    ...(input.spend ? { spend: input.spend } : {}),
    notes,
  };
}

function countChanges(c: FileChanges): number {
  return c.added.length + c.modified.length + c.deleted.length;
}

/** Adds one run's usage to the per-agent totals. */
export function addUsage(
  totals: Summary['agents'],
  agent: string,
  run: { usage: { inputTokens: number; outputTokens: number; costUsd: number }; durationMs: number },
): void {
  const a = (totals[agent] ??= { inputTokens: 0, outputTokens: 0, costUsd: 0, durationMs: 0, runs: 0 });
  a.inputTokens += run.usage.inputTokens;
  a.outputTokens += run.usage.outputTokens;
  a.costUsd = Math.round((a.costUsd + run.usage.costUsd) * 1e6) / 1e6;
  a.durationMs += run.durationMs;
  a.runs += 1;
}
