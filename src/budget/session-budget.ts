import type { Clock } from '../clock.js';
import { SpendLedger, round6, type UsageEntry } from './spend-ledger.js';
import { windowAtStart, type BudgetNode } from './time-shares.js';
import { FINAL_STATUSES } from '../run-status.js';

/** A session's spend ceilings (`--max-cost`, `--max-tokens`, or the config's `maxCost`, `maxTokens`). */
export interface Ceilings {
  costUsd?: number;
  tokens?: number;
}

/** What one launch of an assignment may use: its time window and its share of each ceiling. */
export interface LaunchBudget {
  timeoutMs: number;
  share: Ceilings;
}

export interface SessionBudgetInput {
  nodes: readonly BudgetNode[];
  /**
   * The session's `--timeout` (a resumed session gets its own). It counts from the first launch:
   * probing, copying the target and starting the hooks take none of the agents' time.
   */
  timeoutMs: number;
  ceilings: Ceilings;
  clock: Clock;
  /** An assignment's status now (the scheduler's view). */
  statusOf: (id: string) => string | undefined;
  /** Stops the running work run of an assignment that passed its share (orchestrate's own ceiling). */
  stopRun: (assignment: string, reason: string) => void;
  /** A resumed session's earlier `agent.usage` entries: what was spent before still counts. */
  previous?: readonly UsageEntry[];
  /** Told once when a ceiling is reached (the journal records it). */
  onReached?: (why: { kind: 'cost' | 'tokens'; reason: string }) => void;
}

/**
 * The session's time and money: each launch's window along the plan's critical path and its
 * share of the ceilings, both re-balanced on what is left when it starts; the spend so far (fed
 * from the journal); and whether a ceiling is reached. A run that passes its share before its
 * final event is stopped through `stopRun`; one whose CLI reports spend only at its end keeps its
 * result, and the ceiling then stops the session from starting more work.
 */
export class SessionBudget {
  readonly ledger = new SpendLedger();
  private readonly shares = new Map<string, Ceilings>();
  private readonly finals = new Set<string>();
  private reachedWhy: { kind: 'cost' | 'tokens'; reason: string } | undefined;
  private firstLaunchAt: number | undefined;

  constructor(private readonly input: SessionBudgetInput) {
    for (const e of input.previous ?? []) this.ledger.add(e);
  }

  /** When this supervisor's time budget runs out (`--timeout` after the first launch). */
  get deadlineMs(): number {
    return (this.firstLaunchAt ?? this.input.clock.now()) + this.input.timeoutMs;
  }

  get ceilings(): Ceilings {
    return this.input.ceilings;
  }

  /** Registers a launch of `id` and returns its window and shares (the run's spend counts from 0). */
  launch(id: string): LaunchBudget {
    this.firstLaunchAt ??= this.input.clock.now();
    const done = new Set(
      this.input.nodes.filter((n) => n.id !== id && FINAL_STATUSES.has(this.input.statusOf(n.id) ?? '')).map((n) => n.id),
    );
    const timeoutMs = windowAtStart(this.input.nodes, id, this.deadlineMs - this.input.clock.now(), done);
    const share = this.shareFor(id, done);
    this.ledger.startRun(id);
    this.finals.delete(id);
    this.shares.set(id, share);
    return { timeoutMs, share };
  }

  /** The launch of `id` ended. */
  ended(id: string): void {
    this.shares.delete(id);
    this.ledger.endRun(id);
  }

  /** Feeds one journal entry (subscribe this to the journal). */
  onEntry(e: UsageEntry): void {
    if (e.type === 'agent.result' && e.review === undefined && typeof e.assignment === 'string') this.finals.add(e.assignment);
    if (e.type !== 'agent.usage') return;
    this.ledger.add(e);
    const assignment = typeof e.assignment === 'string' && e.review === undefined ? e.assignment : undefined;
    // after the rest of the line: usage and the final event come from one line (codex turn.completed)
    queueMicrotask(() => this.check(assignment));
  }

  /** Why no more work may start, if a ceiling is reached. */
  reached(): { kind: 'cost' | 'tokens'; reason: string } | undefined {
    this.evaluate();
    return this.reachedWhy;
  }

  /** The figures for the summary, `show` and `--json`. */
  report(): SpendReport {
    const total = this.ledger.total();
    return {
      ceiling: { costUsd: this.input.ceilings.costUsd ?? null, tokens: this.input.ceilings.tokens ?? null },
      total: { tokens: total.tokens, costUsd: total.costKnown ? total.costUsd : null, knownCostUsd: total.costUsd },
      agents: Object.fromEntries(
        Object.entries(this.ledger.agents).map(([agent, a]) => [
          agent,
          { tokens: a.tokens, costUsd: a.unpriced === 0 ? a.costUsd : null, knownCostUsd: a.costUsd },
        ]),
      ),
      ...(this.reachedWhy ? { reached: this.reachedWhy.kind, reason: this.reachedWhy.reason } : {}),
    };
  }

  /** Sets why a ceiling is reached, once: the spend so far is at or over it. */
  private evaluate(): void {
    if (this.reachedWhy) return;
    const total = this.ledger.total();
    const { costUsd, tokens } = this.input.ceilings;
    if (costUsd !== undefined && total.costUsd >= costUsd) {
      this.reachedWhy = { kind: 'cost', reason: `the cost ceiling of $${costUsd} was reached ($${total.costUsd} spent)` };
    } else if (tokens !== undefined && total.tokens >= tokens) {
      this.reachedWhy = { kind: 'tokens', reason: `the token ceiling of ${tokens} was reached (${total.tokens} used)` };
    }
  }

  private check(assignment: string | undefined): void {
    const before = this.reachedWhy;
    this.evaluate();
    if (!before && this.reachedWhy) this.input.onReached?.(this.reachedWhy);
    // a ceiling reached stops every run still working; else only the run over its own share
    const candidates = this.reachedWhy ? [...this.shares.keys()] : assignment ? [assignment] : [];
    for (const id of candidates) {
      if (this.finals.has(id) || !this.shares.has(id)) continue;
      const over = this.reachedWhy?.reason ?? this.overShare(id);
      if (over) this.input.stopRun(id, over);
    }
  }

  private overShare(id: string): string | undefined {
    const share = this.shares.get(id);
    const spent = this.ledger.run(id);
    if (!share || !spent) return undefined;
    if (share.costUsd !== undefined && spent.costUsd > share.costUsd)
      return `it spent $${spent.costUsd}, past its share of $${round6(share.costUsd)} of the cost ceiling`;
    if (share.tokens !== undefined && spent.tokens > share.tokens)
      return `it used ${spent.tokens} tokens, past its share of ${Math.floor(share.tokens)} of the token ceiling`;
    return undefined;
  }

  /**
   * `id`'s share of what is left of each ceiling: left = ceiling − spent − what the other running
   * runs may still spend of their shares; split by weight over `id` and the assignments not started.
   */
  private shareFor(id: string, done: ReadonlySet<string>): Ceilings {
    const { costUsd, tokens } = this.input.ceilings;
    const self = this.input.nodes.find((n) => n.id === id);
    if (!self || (costUsd === undefined && tokens === undefined)) return {};
    const waiting = this.input.nodes.filter(
      (n) => n.id !== id && !done.has(n.id) && !this.shares.has(n.id) && this.input.statusOf(n.id) !== 'running',
    );
    const fraction = self.weight / (self.weight + waiting.reduce((s, n) => s + n.weight, 0));
    const total = this.ledger.total();
    const reserved = (pick: (c: Ceilings) => number | undefined, spent: (r: { tokens: number; costUsd: number }) => number): number =>
      [...this.shares.entries()]
        .filter(([other]) => other !== id)
        .reduce((s, [other, c]) => s + Math.max(0, (pick(c) ?? 0) - spent(this.ledger.run(other) ?? { tokens: 0, costUsd: 0 })), 0);
    const out: Ceilings = {};
    if (costUsd !== undefined)
      out.costUsd = round6(
        Math.max(
          0,
          (costUsd -
            total.costUsd -
            reserved(
              (c) => c.costUsd,
              (r) => r.costUsd,
            )) *
            fraction,
        ),
      );
    if (tokens !== undefined)
      out.tokens = Math.max(
        0,
        Math.floor(
          (tokens -
            total.tokens -
            reserved(
              (c) => c.tokens,
              (r) => r.tokens,
            )) *
            fraction,
        ),
      );
    return out;
  }
}

/** Spend against the ceilings, per agent and in total; a cost of `null` is unknown (a model without a price), never 0. */
export interface SpendReport {
  ceiling: { costUsd: number | null; tokens: number | null };
  total: { tokens: number; costUsd: number | null; knownCostUsd: number };
  agents: Record<string, { tokens: number; costUsd: number | null; knownCostUsd: number }>;
  reached?: 'cost' | 'tokens';
  reason?: string;
}
