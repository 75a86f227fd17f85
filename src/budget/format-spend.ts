import type { SpendReport } from './session-budget.js';

/** Spend against the ceilings as lines a person reads (summary, `show`, the end of a run). */
export function formatSpendLines(s: SpendReport): string[] {
  const cost = (known: number | null, lower: number): string =>
    known === null ? `unknown (at least $${lower.toFixed(4)}: a model without a price)` : `$${known.toFixed(4)}`;
  const lines = [
    `total: ${cost(s.total.costUsd, s.total.knownCostUsd)}${s.ceiling.costUsd !== null ? ` of $${s.ceiling.costUsd} ceiling` : ''}, ${s.total.tokens} tokens${s.ceiling.tokens !== null ? ` of ${s.ceiling.tokens} ceiling` : ''}`,
    ...Object.entries(s.agents).map(([agent, a]) => `${agent}: ${cost(a.costUsd, a.knownCostUsd)}, ${a.tokens} tokens`),
  ];
  if (s.reason) lines.push(`ceiling reached: ${s.reason}`);
  return lines;
}
