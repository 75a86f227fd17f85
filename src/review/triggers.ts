import { isAgentId, type AgentId } from '../agents/agent-id.js';
import type { JournalEntry } from '../session/journal-entry.js';
import { readReviewSettings, type ReviewSettings } from './review-settings.js';

/** Why a review was asked for. */
export type TriggerKind = 'milestone' | 'blocker' | 'review_request' | 'finished' | 'timer' | 'person';

/** A trigger as journaled: its kind, the `seq` of the entry that caused it, and the report text. */
export interface ReviewTrigger {
  kind: TriggerKind;
  cause: number;
  text?: string;
}

interface DecisionBase {
  /** The `seq` of the entry whose observation produced this decision. */
  seq: number;
  assignment: string;
  author: AgentId;
  trigger: ReviewTrigger;
}

/**
 * What a trigger became. The supervisor journals each one at once:
 * `request` → `review.requested`, `coalesce` → `review.coalesced`, `defer` → `review.deferred`.
 */
export type TriggerDecision =
  /** Start review number `review` (1, 2, … in the session). */
  | (DecisionBase & { outcome: 'request'; review: number })
  /** No review: the assignment already has review `openReview` under way. */
  | (DecisionBase & { outcome: 'coalesce'; openReview: number })
  /**
   * The assignment finished while a review of its unfinished work was open: its final review
   * waits for that review's decision and is requested then if the decision is `continue`.
   */
  | (DecisionBase & { outcome: 'defer'; openReview: number });

const REPORT_TRIGGERS: Readonly<Record<string, TriggerKind>> = {
  milestone: 'milestone',
  blocker: 'blocker',
  review_request: 'review_request',
};

/**
 * Entries of a reviewer's run. The supervisor tags them `review: <n>` (and `role: 'review'` on
 * `assignment.started`); an author's runs never carry `review`. A review never triggers a review.
 */
export function isReviewRunEntry(entry: JournalEntry): boolean {
  if (entry.type.startsWith('review.') || entry.type.startsWith('session.')) return false;
  return entry['review'] !== undefined || entry['role'] === 'review';
}

/**
 * The entry types `observe` reads; any other entry changes nothing and starts nothing (the agents'
 * stream lines are most of a journal: they are passed over without a look).
 */
export const TRIGGER_ENTRY_TYPES: ReadonlySet<string> = new Set([
  'session.started',
  'session.resumed',
  'assignment.started',
  'assignment.finished',
  'agent.report',
  'review.timer',
  'review.decision',
  'review.abandoned',
  'control.request',
]);

/**
 * Turns journal entries, in journal order, into the review requests a session should make. The
 * supervisor feeds it every entry it appends (from `session.started` on) and journals what it
 * returns; replay feeds it the whole journal. Same entries, same decisions: it reads nothing but
 * the entries (no clock; the fallback timer arrives as a `review.timer` entry).
 *
 * Its own outputs (`review.requested`/`coalesced`/`deferred`) are not inputs: it numbers reviews
 * itself, and only a `review.decision` entry closes an open review.
 */
export class ReviewTriggerTracker {
  /** Off until a `session.started` entry with a `review` block says otherwise. */
  private settings: ReviewSettings | undefined;
  /** Running author assignments → their agent, in start order (person triggers use this order). */
  private readonly running = new Map<string, AgentId>();
  private readonly open = new Map<string, { review: number; kind: TriggerKind }>();
  private readonly held = new Map<string, { trigger: ReviewTrigger; author: AgentId }>();
  private readonly rounds = new Map<string, number>();
  private nextReview = 1;

  /** The settings of the session being observed (from `session.started`). */
  get reviewSettings(): ReviewSettings | undefined {
    return this.settings;
  }

  /** Revision rounds the assignment has had: `review.decision` entries with decision `revise`. */
  roundsUsed(assignment: string): number {
    return this.rounds.get(assignment) ?? 0;
  }

  /** Assignments with a review requested and not decided (a resumed session abandons these). */
  openReviews(): Array<{ assignment: string; review: number }> {
    return [...this.open].map(([assignment, o]) => ({ assignment, review: o.review }));
  }

  /** The number of the assignment's open review (requested, no decision yet), if any. */
  openReview(assignment: string): number | undefined {
    return this.open.get(assignment)?.review;
  }

  /** Reads one entry; returns the trigger decisions it causes (usually none). */
  observe(entry: JournalEntry): TriggerDecision[] {
    if (!TRIGGER_ENTRY_TYPES.has(entry.type)) return [];
    if (entry.type === 'session.started') {
      this.settings = readReviewSettings(entry);
      return [];
    }
    if (isReviewRunEntry(entry)) return [];
    const assignment = entry.assignment;
    const author = typeof entry.agent === 'string' && isAgentId(entry.agent) ? entry.agent : undefined;
    switch (entry.type) {
      case 'assignment.started':
        if (assignment !== undefined && author) this.running.set(assignment, author);
        return [];
      case 'assignment.finished':
        if (assignment === undefined) return [];
        this.running.delete(assignment);
        if (entry['status'] !== 'succeeded' || !author) return [];
        return this.fire(entry, assignment, author, { kind: 'finished', cause: entry.seq });
      case 'agent.report': {
        const kind = REPORT_TRIGGERS[String(entry['kind'])];
        if (!kind || assignment === undefined || !author) return [];
        return this.fire(entry, assignment, author, { kind, cause: entry.seq, ...textOf(entry) });
      }
      case 'review.timer': {
        // a timer for an assignment that is no longer running is stale: nothing left to review mid-way
        const agent = assignment === undefined ? undefined : this.running.get(assignment);
        if (assignment === undefined || !agent) return [];
        return this.fire(entry, assignment, agent, { kind: 'timer', cause: entry.seq });
      }
      case 'control.request': {
        if (entry['action'] !== 'review') return [];
        const only = entry.agent;
        const targets = [...this.running].filter(([, agent]) => only === undefined || agent === only);
        return targets.flatMap(([a, agent]) => this.fire(entry, a, agent, { kind: 'person', cause: entry.seq, ...textOf(entry) }));
      }
      case 'review.decision':
        return this.close(entry);
      case 'review.abandoned':
        // a resumed session drops the reviews its crash interrupted; they are triggered anew
        if (assignment !== undefined) {
          this.open.delete(assignment);
          this.held.delete(assignment);
        }
        return [];
      case 'session.resumed':
        // runs in flight at the crash are gone: the resumed session starts them again
        this.running.clear();
        return [];
      default:
        return [];
    }
  }

  private fire(entry: JournalEntry, assignment: string, author: AgentId, trigger: ReviewTrigger): TriggerDecision[] {
    if (!this.settings?.enabled) return [];
    const base = { seq: entry.seq, assignment, author, trigger };
    const open = this.open.get(assignment);
    if (open) {
      // the final review must see the final work: hold it rather than fold it into a mid-way review
      if (trigger.kind === 'finished' && open.kind !== 'finished') {
        this.held.set(assignment, { trigger, author });
        return [{ ...base, outcome: 'defer', openReview: open.review }];
      }
      return [{ ...base, outcome: 'coalesce', openReview: open.review }];
    }
    const review = this.nextReview++;
    this.open.set(assignment, { review, kind: trigger.kind });
    return [{ ...base, outcome: 'request', review }];
  }

  /** A decision closes the assignment's open review, counts a revision, and may release a held final review. */
  private close(entry: JournalEntry): TriggerDecision[] {
    const assignment = entry.assignment;
    if (assignment === undefined) return [];
    this.open.delete(assignment);
    if (entry['decision'] === 'revise') this.rounds.set(assignment, this.roundsUsed(assignment) + 1);
    const held = this.held.get(assignment);
    if (!held) return [];
    this.held.delete(assignment);
    // revise: the revised run's own finish brings a new final review; escalate: a person decides
    if (entry['decision'] !== 'continue') return [];
    return this.fire(entry, assignment, held.author, held.trigger);
  }
}

function textOf(entry: JournalEntry): { text?: string } {
  const text = entry['text'];
  return typeof text === 'string' && text !== '' ? { text } : {};
}

/** Every trigger decision of a journal, in order (replay; tests). */
export function deriveTriggers(entries: readonly JournalEntry[]): TriggerDecision[] {
  const tracker = new ReviewTriggerTracker();
  return entries.flatMap((entry) => tracker.observe(entry));
}
