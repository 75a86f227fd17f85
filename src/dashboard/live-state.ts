import type { JournalEntry } from '../session/journal-entry.js';
import { describeEntry } from './describe-entry.js';

/** One agent run the live view shows: an assignment's work or a review. */
export interface LiveRow {
  agent: string;
  /** The reviewed assignment for a review, else the agent's own. */
  assignment: string;
  /** Set for review runs (the review number). */
  review?: number;
  /** Whom the review is of. */
  author?: string;
  state: 'starting' | 'running' | 'paused' | 'reviewing' | 'parked' | 'waiting' | 'exited';
  /** For `parked`: when it goes on (ISO). */
  until?: string;
  run?: string;
  /** When the work (or review) started, ms since epoch. */
  since: number;
  budgetMs?: number;
  tokens: number;
  costUsd: number;
  /** Some of its usage had no price: `costUsd` is a lower bound. */
  costUnknown?: boolean;
  last: string;
}

/**
 * What the terminal view shows, kept up to date from journal entries alone (pure: the TTY
 * renderer draws it, tests feed it entries). Review runs are rows of their own.
 */
export class LiveState {
  readonly rows = new Map<string, LiveRow>();
  total = 0;
  readonly done = new Set<string>();
  costUsd = 0;
  /** Some usage had no price: `costUsd` is a lower bound, shown as such. */
  costUnknown = false;
  /** The session's ceilings (`session.started` / `session.resumed`). */
  ceilings: { costUsd?: number; tokens?: number } = {};
  tokens = 0;
  private readonly reviewOf = new Map<number, string>();

  apply(e: JournalEntry): void {
    const time = Date.parse(e.time);
    const review = typeof e['review'] === 'number' ? e['review'] : undefined;
    if (e.type === 'plan.created' && Array.isArray(e.assignments)) this.total = e.assignments.length;
    if (e.type === 'review.requested' && review !== undefined && e.author !== undefined) this.reviewOf.set(review, e.author);
    if ((e.type === 'assignment.finished' || e.type === 'assignment.skipped') && e.assignment) this.done.add(e.assignment);
    if (e.type === 'agent.usage') {
      this.costUsd += num(e.costUsd);
      this.tokens += num(e.inputTokens) + num(e.outputTokens);
      if (e.costSource === 'unknown') this.costUnknown = true;
    }
    if ((e.type === 'session.started' || e.type === 'session.resumed') && typeof e['ceilings'] === 'object' && e['ceilings'] !== null)
      this.ceilings = e['ceilings'] as typeof this.ceilings;
    if (!e.agent || e.type === 'agent.probe') return;
    // only entries of a run (tagged `role: review`) are the reviewer's; review.* decisions name the author
    const isReviewRun = review !== undefined && e['role'] === 'review';
    if (review !== undefined && !isReviewRun) return;
    // pause and resume name the run, not the review: find the row by its run
    const byRun =
      (e.type === 'agent.paused' || e.type === 'agent.resumed') && typeof e['run'] === 'string'
        ? [...this.rows].find(([, r]) => r.run === e['run'])?.[0]
        : undefined;
    const key = byRun ?? (isReviewRun ? `${e.agent}#review${review}` : e.agent);
    let row = this.rows.get(key);
    if (e.type === 'assignment.started') {
      row = { agent: e.agent, assignment: e.assignment ?? '', state: 'starting', since: time, tokens: 0, costUsd: 0, last: '' };
      if (e.budgetMs !== undefined) row.budgetMs = e.budgetMs;
      this.rows.set(key, row);
      return;
    }
    if (!row) {
      if (e.type !== 'agent.launched') return;
      row = { agent: e.agent, assignment: e.assignment ?? '', state: 'starting', since: time, tokens: 0, costUsd: 0, last: '' };
      if (isReviewRun) {
        row.review = review;
        const author = this.reviewOf.get(review);
        if (author) row.author = author;
      }
      this.rows.set(key, row);
    }
    switch (e.type) {
      case 'agent.launched':
        row.state = isReviewRun ? 'reviewing' : 'running';
        if (e.run !== undefined) row.run = e.run;
        delete row.until;
        break;
      case 'agent.paused':
        row.state = 'paused';
        break;
      case 'agent.resumed':
        row.state = row.review !== undefined ? 'reviewing' : 'running';
        break;
      case 'recovery.parked':
        row.state = 'parked';
        if (e.until !== undefined) row.until = e.until;
        break;
      case 'agent.exited':
        row.state = isReviewRun ? 'exited' : 'waiting';
        break;
      case 'assignment.finished':
      case 'assignment.skipped':
        row.state = 'exited';
        break;
      case 'agent.usage':
        row.tokens += num(e.inputTokens) + num(e.outputTokens);
        row.costUsd += num(e.costUsd);
        if (e.costSource === 'unknown') row.costUnknown = true;
        break;
      case 'budget.launch':
        // the window of this launch, re-balanced when it started (the plan's is only the first guess)
        if (typeof e.windowMs === 'number') row.budgetMs = time - row.since + e.windowMs;
        break;
      case 'agent.tool_call':
      case 'agent.message':
      case 'agent.report':
        row.last = describeEntry(e) ?? row.last;
        break;
      default:
        break;
    }
    // a finished review or assignment leaves the view (its outcome was printed as a line)
    if (row.state === 'exited') this.rows.delete(key);
  }

  /** The rows to draw: work first (in start order), then reviews. */
  visible(): LiveRow[] {
    return [...this.rows.values()].sort((a, b) => Number(a.review !== undefined) - Number(b.review !== undefined));
  }
}

function num(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : 0;
}
