import type { Ceilings, SpendReport } from './session-budget.js';
import { SpendLedger, type UsageEntry } from './spend-ledger.js';

/**
 * A session's spend against its ceilings from its journal alone (a running or crashed session
 * has no summary yet): the same figures the supervisor's budget reports.
 */
export function spendFromJournal(entries: readonly UsageEntry[], ceilings: Ceilings = {}): SpendReport {
  const ledger = new SpendLedger();
  for (const e of entries) ledger.add(e);
  const total = ledger.total();
  const reached = [...entries].reverse().find((e) => e.type === 'budget.reached') as
    (UsageEntry & { ceiling?: unknown; reason?: unknown }) | undefined;
  return {
    ceiling: { costUsd: ceilings.costUsd ?? null, tokens: ceilings.tokens ?? null },
    total: { tokens: total.tokens, costUsd: total.costKnown ? total.costUsd : null, knownCostUsd: total.costUsd },
    agents: Object.fromEntries(
      Object.entries(ledger.agents).map(([agent, a]) => [
        agent,
        { tokens: a.tokens, costUsd: a.unpriced === 0 ? a.costUsd : null, knownCostUsd: a.costUsd },
      ]),
    ),
    ...(reached && (reached.ceiling === 'cost' || reached.ceiling === 'tokens')
      ? { reached: reached.ceiling, reason: String(reached.reason ?? '') }
      : {}),
  };
}
