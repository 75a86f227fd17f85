import type { JournalEntry } from './journal-entry.js';

/** A safety decision a person should see: a violation, a confirmation, a limit. */
export interface SafetyFact {
  seq: number;
  agent?: string;
  assignment?: string;
  [field: string]: unknown;
}

/** One review as the summary reports it: verdict and decision joined by review number. */
export interface ReviewFact {
  review: number;
  assignment?: string;
  author?: string;
  reviewer?: string;
  tier?: string;
  degraded: boolean;
  trigger?: string;
  verdict?: string;
  summary?: string;
  issues: number;
  decision?: string;
  rule?: number;
  record?: string;
  /** Tiers that did not give a valid verdict before this one did. */
  failedTiers: string[];
}

/** What the summary and `show` report beyond the assignments, derived from the journal alone. */
export interface SessionFacts {
  sandbox: { active: boolean; reason: string } | undefined;
  violations: SafetyFact[];
  confirmations: SafetyFact[];
  limits: SafetyFact[];
  preparations: SafetyFact[];
  recoveries: SafetyFact[];
  blockers: SafetyFact[];
  reviews: ReviewFact[];
  control: SafetyFact[];
}

const PICK: Record<string, keyof Omit<SessionFacts, 'sandbox' | 'reviews'>> = {
  'safety.violation': 'violations',
  'safety.confirm_answered': 'confirmations',
  'safety.limit_warning': 'limits',
  'safety.limit_exceeded': 'limits',
  'recovery.prepared': 'preparations',
  'recovery.relaunch': 'recoveries',
  'recovery.parked': 'recoveries',
  'recovery.unparked': 'recoveries',
  'recovery.fallback': 'recoveries',
  'recovery.escalated': 'recoveries',
  'recovery.answered': 'recoveries',
  'recovery.gave_up': 'recoveries',
  'session.blocker': 'blockers',
  'control.result': 'control',
};

/** Whether an entry of this type can change the facts (a supervisor keeps only these for its summary). */
export function isFactEntry(type: string): boolean {
  return Object.hasOwn(PICK, type) || type === 'session.started' || type.startsWith('review.');
}

/** Collects the facts from journal entries in order; pure, so a finished session's facts never change. */
export function collectFacts(entries: Iterable<JournalEntry>): SessionFacts {
  const facts: SessionFacts = {
    sandbox: undefined,
    violations: [],
    confirmations: [],
    limits: [],
    preparations: [],
    recoveries: [],
    blockers: [],
    reviews: [],
    control: [],
  };
  const reviews = new Map<number, ReviewFact>();
  const review = (n: number): ReviewFact => {
    let r = reviews.get(n);
    if (!r) {
      r = { review: n, degraded: false, issues: 0, failedTiers: [] };
      reviews.set(n, r);
    }
    return r;
  };
  for (const e of entries) {
    if (e.type === 'session.started' && isSandbox(e['sandbox'])) facts.sandbox = e['sandbox'];
    const list = Object.hasOwn(PICK, e.type) ? PICK[e.type] : undefined;
    if (list) facts[list].push(strip(e));
    if (!e.type.startsWith('review.') || typeof e['review'] !== 'number') continue;
    const r = review(e['review']);
    switch (e.type) {
      case 'review.requested': {
        const trigger = e['trigger'] as { kind?: string } | undefined;
        if (typeof e['assignment'] === 'string') r.assignment = e['assignment'];
        if (typeof e['author'] === 'string') r.author = e['author'];
        if (trigger?.kind) r.trigger = trigger.kind;
        break;
      }
      case 'review.failed':
        r.failedTiers.push(`${String(e['tier'])}:${String(e['reviewer'])}`);
        break;
      case 'review.verdict': {
        const v = e['verdict'] as { verdict?: string; summary?: string; issues?: unknown[] } | undefined;
        r.reviewer = String(e['reviewer']);
        r.tier = String(e['tier']);
        r.degraded = e['degraded'] === true;
        if (v?.verdict) r.verdict = v.verdict;
        if (v?.summary) r.summary = v.summary;
        r.issues = Array.isArray(v?.issues) ? v.issues.length : 0;
        if (typeof e['record'] === 'string') r.record = e['record'];
        break;
      }
      case 'review.decision':
        if (typeof e['decision'] === 'string') r.decision = e['decision'];
        if (typeof e['rule'] === 'number') r.rule = e['rule'];
        break;
      default:
        break;
    }
  }
  facts.reviews = [...reviews.values()].sort((a, b) => a.review - b.review);
  return facts;
}

function isSandbox(v: unknown): v is { active: boolean; reason: string } {
  return typeof v === 'object' && v !== null && typeof (v as { active?: unknown }).active === 'boolean';
}

function strip(e: JournalEntry): SafetyFact {
  const { time: _time, type, ...rest } = e;
  return { ...rest, kind: rest['kind'] ?? type.split('.')[1] };
}
