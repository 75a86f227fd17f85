import type { AgentId } from '../agents/agent-id.js';
import type { FileSnapshot } from '../session/file-snapshot.js';
import type { Journal } from '../session/journal.js';
import type { EntryOf, JournalEntry } from '../session/journal-entry.js';
import { ReviewTriggerTracker, TRIGGER_ENTRY_TYPES, type TriggerDecision } from '../review/triggers.js';
import type { ReviewSettings } from '../review/review-settings.js';
import { runReview } from './review-run.js';
import type { AssignmentState } from './assignment-state.js';
import type { SessionRuntime } from './session-runtime.js';

/** A `review.decision` entry as the assignment driver waits for it. */
export type DecisionEntry = EntryOf<'review.decision'> & { decision: 'escalate' | 'revise' | 'continue' | 'complete' };

/**
 * Runs the session's peer reviews. Every journal entry goes, in order, through the same
 * `ReviewTriggerTracker` that `orchestrate replay` uses, so a review is started exactly when the
 * journal says one should be; the fallback timer reaches the tracker as a journaled
 * `review.timer`. Reviews run concurrently with the authors; the assignment driver waits for the
 * decisions that concern it.
 */
export class ReviewCoordinator {
  private readonly tracker = new ReviewTriggerTracker();
  private readonly queue: JournalEntry[] = [];
  private draining = false;
  private rt: SessionRuntime | undefined;
  private states: Map<string, AssignmentState> | undefined;
  private readonly waiters = new Set<(entry: JournalEntry) => void>();
  private readonly inFlight = new Set<Promise<void>>();
  /** Cancel functions of the armed fallback timers, by assignment. */
  private readonly timers = new Map<string, () => void>();
  private readonly lastReviewAt = new Map<string, number>();
  /** The target as each assignment's last review saw it. */
  private readonly lastSeen = new Map<string, FileSnapshot>();

  constructor(
    journal: Journal,
    readonly settings: ReviewSettings,
  ) {
    journal.subscribe((entry) => {
      // the tracker, the timers and the decision waiters read only these types; the rest (the
      // agents' stream lines, thousands a second) is not queued
      if (!TRIGGER_ENTRY_TYPES.has(entry.type)) return;
      this.queue.push(entry);
      this.drain();
    });
  }

  /**
   * A resumed session: reads the earlier journal without acting on it (those reviews were made or
   * are abandoned), so review numbers and revision rounds go on where they were.
   */
  replayHistory(entries: readonly JournalEntry[]): Array<{ assignment: string; review: number }> {
    for (const entry of entries) this.tracker.observe(entry);
    return this.tracker.openReviews();
  }

  /** Starts acting on triggers (entries seen before are already queued, in order). */
  start(rt: SessionRuntime, states: Map<string, AssignmentState>): void {
    this.rt = rt;
    this.states = states;
    this.drain();
  }

  /** Revision rounds the assignment has had (journaled `revise` decisions). */
  roundsUsed(assignment: string): number {
    return this.tracker.roundsUsed(assignment);
  }

  /**
   * Resolves with the first `review.decision` on `assignment` journaled from now on that `accept`
   * takes, or undefined when the session stops first.
   */
  nextDecision(assignment: string, accept: (d: DecisionEntry) => boolean, then?: () => void): Promise<DecisionEntry | undefined> {
    const rt = this.rt;
    return new Promise((resolve) => {
      const done = (value: DecisionEntry | undefined): void => {
        this.waiters.delete(waiter);
        rt?.stop.signal.removeEventListener('abort', onStop);
        resolve(value);
      };
      const waiter = (entry: JournalEntry): void => {
        if (entry.type === 'review.decision' && entry.assignment === assignment && accept(entry as DecisionEntry))
          done(entry as DecisionEntry);
      };
      const onStop = (): void => done(undefined);
      this.waiters.add(waiter);
      if (rt?.stop.stopped) done(undefined);
      else rt?.stop.signal.addEventListener('abort', onStop, { once: true });
      // what causes the decision is done after the waiter is in place, so it cannot be missed
      then?.();
    });
  }

  /** Calls `listener` with each `review.decision` on `assignment` from now on; returns the unsubscribe. */
  onDecision(assignment: string, listener: (d: DecisionEntry) => void): () => void {
    const waiter = (entry: JournalEntry): void => {
      if (entry.type === 'review.decision' && entry.assignment === assignment) listener(entry as DecisionEntry);
    };
    this.waiters.add(waiter);
    return () => this.waiters.delete(waiter);
  }

  /** Waits for every review under way (the summary is written after them). */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /** Cancels the timers. */
  close(): void {
    for (const cancel of this.timers.values()) cancel();
    this.timers.clear();
  }

  private drain(): void {
    if (this.draining || !this.rt) return;
    this.draining = true;
    try {
      for (let entry = this.queue.shift(); entry; entry = this.queue.shift()) {
        for (const waiter of [...this.waiters]) waiter(entry);
        this.watchTimers(entry);
        for (const decision of this.tracker.observe(entry)) this.act(decision);
      }
    } finally {
      this.draining = false;
    }
  }

  /** Journals what a trigger became and starts the review it asks for. */
  private act(d: TriggerDecision): void {
    const rt = this.rt!;
    const base = { agent: d.author, assignment: d.assignment, trigger: d.trigger };
    if (d.outcome === 'coalesce') {
      rt.journal.append({ type: 'review.coalesced', ...base, openReview: d.openReview });
      return;
    }
    if (d.outcome === 'defer') {
      rt.journal.append({ type: 'review.deferred', ...base, openReview: d.openReview });
      return;
    }
    rt.journal.append({ type: 'review.requested', review: d.review, author: d.author, ...base });
    const state = this.states!.get(d.assignment);
    if (!state) return;
    const work = runReview(rt, {
      review: d.review,
      trigger: d.trigger,
      author: d.author,
      state,
      roundsUsed: this.tracker.roundsUsed(d.assignment),
      settings: this.settings,
      lastSeen: this.lastSeen,
    })
      .catch((error: unknown) => {
        // never leave the author waiting: a review that crashed is journaled and escalated
        rt.journal.append({
          type: 'review.failed',
          review: d.review,
          assignment: d.assignment,
          tier: 'orchestrate',
          reviewer: 'orchestrate',
          reason: `internal error: ${(error as Error).message}`,
        });
        if (!rt.stop.stopped) {
          rt.journal.append({
            type: 'review.decision',
            review: d.review,
            assignment: d.assignment,
            author: d.author,
            rule: 1,
            decision: 'escalate',
            inputs: { error: (error as Error).message },
          });
        }
      })
      .finally(() => this.inFlight.delete(work));
    this.inFlight.add(work);
  }

  /** Arms the fallback timer while an author's run goes on; re-arms it after each decision. */
  private watchTimers(entry: JournalEntry): void {
    if (!this.settings.enabled || this.settings.timerMs <= 0 || entry.assignment === undefined) return;
    if (entry['review'] !== undefined && entry.type !== 'review.decision') return;
    const assignment = entry.assignment;
    if (entry.type === 'assignment.started' && entry['role'] !== 'review') {
      this.lastReviewAt.set(assignment, this.rt!.opts.clock.now());
      this.arm(assignment, entry.agent as AgentId);
    } else if (entry.type === 'assignment.finished') {
      this.timers.get(assignment)?.();
      this.timers.delete(assignment);
    } else if (entry.type === 'review.decision' && this.timers.has(assignment)) {
      this.lastReviewAt.set(assignment, this.rt!.opts.clock.now());
      this.arm(assignment, this.states?.get(assignment)?.agent ?? (entry['author'] as AgentId));
    }
  }

  private arm(assignment: string, agent: AgentId): void {
    const rt = this.rt!;
    this.timers.get(assignment)?.();
    const last = this.lastReviewAt.get(assignment) ?? rt.opts.clock.now();
    const cancel = rt.opts.clock.setTimeout(
      () => {
        if (!this.timers.has(assignment) || rt.stop.stopped) return;
        rt.journal.append({
          type: 'review.timer',
          agent,
          assignment,
          lastReviewAt: new Date(last).toISOString(),
          timerMs: this.settings.timerMs,
        });
        // the next firing counts from this one; a decision re-arms it from the decision instead
        this.lastReviewAt.set(assignment, rt.opts.clock.now());
        if (this.timers.has(assignment)) this.arm(assignment, agent);
      },
      Math.max(1, last + this.settings.timerMs - rt.opts.clock.now()),
    );
    this.timers.set(assignment, cancel);
  }
}
