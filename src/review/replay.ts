import type { JournalEntry } from '../session/journal-entry.js';
import { decideReview, type ReviewDecision } from './decide.js';
import { readReviewSettings } from './review-settings.js';
import { deriveTriggers, type TriggerDecision } from './triggers.js';
import { parseVerdict, VerdictSchema, type Verdict } from './verdict.js';

/** What a reviewer answered, as its final event carried it: the structured answer and the text. */
export interface ReviewerAnswer {
  structured?: unknown;
  text?: string;
}

/** One place where the journal and the recomputation disagree. */
export interface ReplayDifference {
  /** The journal entry concerned (or, for a missing one, the entry that should have caused it). */
  seq?: number;
  review?: number;
  what: string;
  /** What the rules give; null when the journal has an entry they do not. */
  expected: unknown;
  /** What the journal holds; null when it lacks an entry the rules give. */
  actual: unknown;
}

/** The outcome of a replay. */
export interface ReplayReport {
  /** Trigger decisions recomputed (requests, coalesced and deferred). */
  triggers: number;
  /** Review decisions recomputed (one per journaled verdict). */
  decisions: number;
  differences: ReplayDifference[];
}

const TRIGGER_ENTRY: Record<TriggerDecision['outcome'], string> = {
  request: 'review.requested',
  coalesce: 'review.coalesced',
  defer: 'review.deferred',
};

/** A trigger decision as comparable data, from the rules or from a journal entry. */
interface TriggerFact {
  seq: number;
  outcome: TriggerDecision['outcome'];
  assignment: unknown;
  kind: unknown;
  cause: unknown;
  /** The review number requested, or the open review it was coalesced into / deferred behind. */
  review: unknown;
}

/**
 * Recomputes every review trigger (deriveTriggers) and every decision (decideReview on each
 * journaled verdict, with the rounds and maxRounds the journal implies) and compares them with
 * the journaled `review.requested`/`coalesced`/`deferred` and `review.decision` entries. Same
 * journal, same report. Pure.
 *
 * The whole chain: each verdict is first derived again from what its reviewer answered (the
 * reviewer run's `agent.result` in the journal, or `rawAnswers` read from the run's raw stdout),
 * and the decision is recomputed from that derived verdict; a journaled verdict that is not what
 * the reviewer said is a difference, and so is the decision it led to.
 */
export function replaySession(entries: readonly JournalEntry[], rawAnswers?: ReadonlyMap<number, ReviewerAnswer>): ReplayReport {
  const derived = deriveTriggers(entries);
  const differences = compareTriggers(derived, entries);
  const { decisions, differences: decisionDifferences } = replayDecisions(entries, derived, rawAnswers);
  differences.push(...decisionDifferences);
  differences.sort((a, b) => (a.seq ?? 0) - (b.seq ?? 0));
  return { triggers: derived.length, decisions, differences };
}

function compareTriggers(derived: readonly TriggerDecision[], entries: readonly JournalEntry[]): ReplayDifference[] {
  const expected = derived.map((d): TriggerFact => ({
    seq: d.seq,
    outcome: d.outcome,
    assignment: d.assignment,
    kind: d.trigger.kind,
    cause: d.trigger.cause,
    review: d.outcome === 'request' ? d.review : d.openReview,
  }));
  const outcomes = Object.entries(TRIGGER_ENTRY) as Array<[TriggerDecision['outcome'], string]>;
  const actual = entries.flatMap((e): TriggerFact[] => {
    const outcome = outcomes.find(([, type]) => type === e.type)?.[0];
    if (!outcome) return [];
    const trigger = (typeof e['trigger'] === 'object' && e['trigger'] !== null ? e['trigger'] : {}) as Record<string, unknown>;
    return [
      {
        seq: e.seq,
        outcome,
        assignment: e.assignment,
        kind: trigger['kind'],
        cause: trigger['cause'],
        review: outcome === 'request' ? e['review'] : e['openReview'],
      },
    ];
  });
  // a trigger is identified by its cause and assignment (one person request may review several)
  const key = (f: TriggerFact): string => JSON.stringify([f.assignment, f.cause]);
  const journaled = new Map<string, TriggerFact[]>();
  for (const f of actual) journaled.set(key(f), [...(journaled.get(key(f)) ?? []), f]);

  const differences: ReplayDifference[] = [];
  const show = (f: TriggerFact) => ({
    entry: TRIGGER_ENTRY[f.outcome],
    assignment: f.assignment,
    kind: f.kind,
    cause: f.cause,
    review: f.review,
  });
  for (const want of expected) {
    const got = journaled.get(key(want))?.shift();
    if (!got) {
      differences.push({
        seq: want.seq,
        ...reviewOf(want),
        what: `missing ${TRIGGER_ENTRY[want.outcome]} for ${String(want.assignment)} (cause seq ${String(want.cause)})`,
        expected: show(want),
        actual: null,
      });
      continue;
    }
    const same = got.outcome === want.outcome && got.kind === want.kind && got.review === want.review;
    if (!same) {
      differences.push({
        seq: got.seq,
        ...reviewOf(got),
        what: `trigger of ${String(want.assignment)} (cause seq ${String(want.cause)}) differs`,
        expected: show(want),
        actual: show(got),
      });
    }
  }
  for (const rest of journaled.values()) {
    for (const got of rest) {
      differences.push({
        seq: got.seq,
        ...reviewOf(got),
        what: `unexpected ${TRIGGER_ENTRY[got.outcome]}: no trigger for ${String(got.assignment)} at cause seq ${String(got.cause)}`,
        expected: null,
        actual: show(got),
      });
    }
  }
  return differences;
}

function reviewOf(f: TriggerFact): { review?: number } {
  return typeof f.review === 'number' ? { review: f.review } : {};
}

function replayDecisions(
  entries: readonly JournalEntry[],
  derived: readonly TriggerDecision[],
  rawAnswers: ReadonlyMap<number, ReviewerAnswer> | undefined,
): { decisions: number; differences: ReplayDifference[] } {
  const requests = new Map<number, { assignment: string; kind: string }>();
  for (const d of derived) if (d.outcome === 'request') requests.set(d.review, { assignment: d.assignment, kind: d.trigger.kind });
  const differences: ReplayDifference[] = [];
  const expected = new Map<number, { seq: number; assignment: string; decision: ReviewDecision }>();
  const journaled = new Map<number, JournalEntry>();
  const revisions = new Map<string, number>();
  let maxRounds = 2;
  let decisions = 0;
  /** The last answer of each review's reviewer runs, keyed `review:agent` (a repair run comes later). */
  const answers = new Map<string, ReviewerAnswer>();

  for (const e of entries) {
    if (e.type === 'session.started') maxRounds = readReviewSettings(e).maxRounds;
    if (e.type === 'agent.result' && typeof e['review'] === 'number') {
      answers.set(`${e['review']}:${String(e.agent)}`, {
        ...(e['structured'] !== undefined ? { structured: e['structured'] } : {}),
        ...(typeof e['text'] === 'string' ? { text: e['text'] } : {}),
      });
    }
    if (e.type === 'review.decision' && typeof e['review'] === 'number') {
      if (journaled.has(e['review']))
        differences.push({
          seq: e.seq,
          review: e['review'],
          what: 'a second review.decision for the same review',
          expected: null,
          actual: pick(e),
        });
      else journaled.set(e['review'], e);
    }
    if (e.type !== 'review.verdict') continue;
    const n = e['review'];
    if (typeof n !== 'number') {
      differences.push({ seq: e.seq, what: 'review.verdict without a review number', expected: 'a review number', actual: n ?? null });
      continue;
    }
    const request = requests.get(n);
    if (!request) {
      differences.push({
        seq: e.seq,
        review: n,
        what: `review.verdict for review ${n}, which the triggers never request`,
        expected: null,
        actual: e['verdict'],
      });
      continue;
    }
    if (expected.has(n)) {
      differences.push({
        seq: e.seq,
        review: n,
        what: 'a second review.verdict for the same review',
        expected: null,
        actual: e['verdict'],
      });
      continue;
    }
    const parsed = VerdictSchema.safeParse(e['verdict']);
    if (!parsed.success) {
      differences.push({
        seq: e.seq,
        review: n,
        what: 'review.verdict does not validate against the verdict schema',
        expected: 'a valid verdict',
        actual: e['verdict'],
      });
      continue;
    }
    // the journal's copy of the answer and the raw output's must both give the journaled verdict
    const fromJournal = verdictFromAnswer(e, answers.get(`${n}:${String(e['reviewer'])}`), 'the journal', parsed.data, differences);
    const verdict = verdictFromAnswer(e, rawAnswers?.get(n), 'its raw output', parsed.data, differences) ?? fromJournal ?? parsed.data;
    const roundsUsed = revisions.get(request.assignment) ?? 0;
    const decision = decideReview({ verdict, roundsUsed, maxRounds, finished: request.kind === 'finished' });
    if (decision.decision === 'revise') revisions.set(request.assignment, roundsUsed + 1);
    expected.set(n, { seq: e.seq, assignment: request.assignment, decision });
    decisions += 1;
  }

  for (const [n, want] of expected) {
    const got = journaled.get(n);
    const wanted = { assignment: want.assignment, rule: want.decision.rule, decision: want.decision.decision };
    if (!got) {
      differences.push({ seq: want.seq, review: n, what: `missing review.decision for review ${n}`, expected: wanted, actual: null });
      continue;
    }
    journaled.delete(n);
    const actual = pick(got);
    if (actual.rule !== wanted.rule || actual.decision !== wanted.decision || actual.assignment !== wanted.assignment) {
      differences.push({ seq: got.seq, review: n, what: `review.decision for review ${n} differs`, expected: wanted, actual });
    }
  }
  for (const [n, got] of journaled) {
    differences.push({
      seq: got.seq,
      review: n,
      what: `review.decision for review ${n} without a valid review.verdict`,
      expected: null,
      actual: pick(got),
    });
  }
  return { decisions, differences };
}

/**
 * The verdict the reviewer's own answer gives (an agent reviewer), compared with the journaled one;
 * the derived verdict is the one the decision is recomputed from. orchestrate's mechanical review
 * has no answer to derive from: its journaled verdict stands.
 */
function verdictFromAnswer(
  e: JournalEntry,
  answer: ReviewerAnswer | undefined,
  source: string,
  journaled: Verdict,
  differences: ReplayDifference[],
): Verdict | undefined {
  const n = e['review'] as number;
  if (answer === undefined || e['reviewer'] === 'orchestrate') return undefined;
  const parsed = parseVerdict(answer);
  if (!parsed.ok) {
    differences.push({
      seq: e.seq,
      review: n,
      what: `review.verdict for review ${n}: the reviewer's answer in ${source} gives no valid verdict (${parsed.error})`,
      expected: null,
      actual: journaled,
    });
    return undefined;
  }
  if (JSON.stringify(parsed.verdict) !== JSON.stringify(journaled)) {
    differences.push({
      seq: e.seq,
      review: n,
      what: `review.verdict for review ${n} is not what ${String(e['reviewer'])} answered (${source})`,
      expected: parsed.verdict,
      actual: journaled,
    });
  }
  return parsed.verdict;
}

function pick(e: JournalEntry): { assignment: unknown; rule: unknown; decision: unknown } {
  return { assignment: e.assignment, rule: e['rule'], decision: e['decision'] };
}
