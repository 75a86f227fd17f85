/** One agent's spend: tokens always, cost where a figure exists. */
export interface AgentSpend {
  tokens: number;
  /** USD over the runs whose cost is known. */
  costUsd: number;
  /** Runs' usage reports without a cost (no price for the model): the cost is then at least `costUsd`. */
  unpriced: number;
}

/** The shape of a journaled `agent.usage` this ledger reads (plain data: a journal read back will do). */
export interface UsageEntry {
  type: string;
  agent?: string;
  assignment?: string;
  review?: unknown;
  inputTokens?: unknown;
  outputTokens?: unknown;
  costUsd?: unknown;
}

/**
 * Sums the session's spend from its `agent.usage` entries, per agent and in total, and per
 * running work run (keyed by assignment) so a run's share can be checked. Reviews count in the
 * totals; they have no share of their own.
 */
export class SpendLedger {
  readonly agents: Record<string, AgentSpend> = {};
  private readonly runs = new Map<string, { tokens: number; costUsd: number }>();

  /** Adds one journal entry (anything but `agent.usage` is ignored). */
  add(e: UsageEntry): void {
    if (e.type !== 'agent.usage' || typeof e.agent !== 'string') return;
    const tokens = num(e.inputTokens) + num(e.outputTokens);
    const cost = typeof e.costUsd === 'number' && Number.isFinite(e.costUsd) ? e.costUsd : undefined;
    const a = (this.agents[e.agent] ??= { tokens: 0, costUsd: 0, unpriced: 0 });
    a.tokens += tokens;
    if (cost === undefined) a.unpriced += 1;
    else a.costUsd = round6(a.costUsd + cost);
    if (e.review === undefined && typeof e.assignment === 'string') {
      const r = this.runs.get(e.assignment);
      if (r) {
        r.tokens += tokens;
        r.costUsd = round6(r.costUsd + (cost ?? 0));
      }
    }
  }

  /** Starts counting a work run of `assignment` from zero. */
  startRun(assignment: string): void {
    this.runs.set(assignment, { tokens: 0, costUsd: 0 });
  }

  endRun(assignment: string): void {
    this.runs.delete(assignment);
  }

  /** What the running work run of `assignment` spent so far. */
  run(assignment: string): { tokens: number; costUsd: number } | undefined {
    return this.runs.get(assignment);
  }

  /** Every agent together; `costKnown` false when some usage had no price. */
  total(): { tokens: number; costUsd: number; costKnown: boolean } {
    const all = Object.values(this.agents);
    return {
      tokens: all.reduce((s, a) => s + a.tokens, 0),
      costUsd: round6(all.reduce((s, a) => s + a.costUsd, 0)),
      costKnown: all.every((a) => a.unpriced === 0),
    };
  }
}

function num(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : 0;
}

export function round6(n: number): number {
  return Math.round(n * 1e6) / 1e6;
}
