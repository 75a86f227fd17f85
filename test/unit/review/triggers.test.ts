import { describe, expect, it } from 'vitest';
import { deriveTriggers, ReviewTriggerTracker, type TriggerDecision } from '../../../src/review/triggers.js';
import { assignmentStarted, decision, finished, journal, report, started } from './journal-builder.js';

/** `outcome kind@cause assignment #review` — compact enough to read a whole session at once. */
const brief = (ds: TriggerDecision[]) =>
  ds.map((d) => `${d.outcome} ${d.trigger.kind}@${d.trigger.cause} ${d.assignment} #${d.outcome === 'request' ? d.review : d.openReview}`);

describe('deriveTriggers', () => {
  it('requests a review for milestone, blocker and review_request reports, not for DONE', () => {
    const entries = journal(
      started(),
      assignmentStarted('claude', 'impl'),
      report('claude', 'impl', 'milestone', 'parser done'),
      decision(1, 'impl', 'continue'),
      report('claude', 'impl', 'done', 'all done'),
      report('claude', 'impl', 'blocker', 'need a key'),
      decision(2, 'impl', 'continue'),
      report('claude', 'impl', 'review_request', 'look at the API'),
    );
    expect(brief(deriveTriggers(entries))).toEqual([
      'request milestone@3 impl #1',
      'request blocker@6 impl #2',
      'request review_request@8 impl #3',
    ]);
    expect(deriveTriggers(entries)[0]).toMatchObject({ author: 'claude', trigger: { text: 'parser done' }, seq: 3 });
  });

  it('requests a final review when an assignment succeeds, not when it fails', () => {
    const entries = journal(
      started(),
      assignmentStarted('gemini', 'design'),
      assignmentStarted('claude', 'impl'),
      finished('gemini', 'design'),
      finished('claude', 'impl', 'failed'),
    );
    expect(brief(deriveTriggers(entries))).toEqual(['request finished@4 design #1']);
  });

  it("coalesces a trigger into the assignment's open review until its decision", () => {
    const entries = journal(
      started(),
      assignmentStarted('claude', 'impl'),
      report('claude', 'impl', 'milestone', 'a'),
      report('claude', 'impl', 'milestone', 'b'),
      decision(1, 'impl', 'continue'),
      report('claude', 'impl', 'milestone', 'c'),
    );
    expect(brief(deriveTriggers(entries))).toEqual([
      'request milestone@3 impl #1',
      'coalesce milestone@4 impl #1',
      'request milestone@6 impl #2',
    ]);
  });

  it('keeps reviews of different assignments apart', () => {
    const entries = journal(
      started(),
      assignmentStarted('claude', 'api'),
      assignmentStarted('codex', 'cli'),
      report('claude', 'api', 'milestone', 'a'),
      report('codex', 'cli', 'milestone', 'b'),
    );
    expect(brief(deriveTriggers(entries))).toEqual(['request milestone@4 api #1', 'request milestone@5 cli #2']);
  });

  it('holds the final review behind an open mid-way review and requests it when that one continues', () => {
    const entries = journal(
      started(),
      assignmentStarted('claude', 'impl'),
      report('claude', 'impl', 'milestone', 'a'),
      finished('claude', 'impl'),
      decision(1, 'impl', 'continue'),
    );
    const ds = deriveTriggers(entries);
    expect(brief(ds)).toEqual(['request milestone@3 impl #1', 'defer finished@4 impl #1', 'request finished@4 impl #2']);
    // requested when the decision is read (seq 5), caused by the finish (seq 4)
    expect(ds[2]?.seq).toBe(5);
  });

  it('drops a held final review when the open review asks for a revision (the revised run finishes again)', () => {
    const entries = journal(
      started(),
      assignmentStarted('claude', 'impl'),
      report('claude', 'impl', 'milestone', 'a'),
      finished('claude', 'impl'),
      decision(1, 'impl', 'revise', 2),
      assignmentStarted('claude', 'impl'),
      finished('claude', 'impl'),
    );
    expect(brief(deriveTriggers(entries))).toEqual([
      'request milestone@3 impl #1',
      'defer finished@4 impl #1',
      'request finished@7 impl #2',
    ]);
  });

  it('ignores the entries of review runs (tagged review: n)', () => {
    const entries = journal(
      started(),
      assignmentStarted('claude', 'impl'),
      finished('claude', 'impl'),
      assignmentStarted('codex', 'impl', { role: 'review', review: 1 }),
      report('codex', 'impl', 'milestone', 'reviewing', { role: 'review', review: 1 }),
      finished('codex', 'impl', 'succeeded', { role: 'review', review: 1 }),
    );
    expect(brief(deriveTriggers(entries))).toEqual(['request finished@3 impl #1']);
  });

  it('fires the fallback timer only for a running assignment', () => {
    const entries = journal(
      started(),
      assignmentStarted('claude', 'impl'),
      { type: 'review.timer', assignment: 'impl', agent: 'claude', lastReviewAt: new Date(0).toISOString() },
      decision(1, 'impl', 'continue'),
      finished('claude', 'impl', 'failed'),
      { type: 'review.timer', assignment: 'impl', agent: 'claude', lastReviewAt: new Date(0).toISOString() },
    );
    expect(brief(deriveTriggers(entries))).toEqual(['request timer@3 impl #1']);
  });

  it('reviews every running assignment of the agent a person names, or all of them', () => {
    const entries = journal(
      started(),
      assignmentStarted('claude', 'api'),
      assignmentStarted('codex', 'cli'),
      assignmentStarted('claude', 'docs'),
      { type: 'control.request', id: 'c1', action: 'review', agent: 'claude' },
      decision(1, 'api', 'continue'),
      { type: 'control.request', id: 'c2', action: 'review' },
      { type: 'control.request', id: 'c3', action: 'pause' },
    );
    expect(brief(deriveTriggers(entries))).toEqual([
      'request person@5 api #1',
      'request person@5 docs #2',
      'request person@7 api #3',
      'request person@7 cli #4',
      'coalesce person@7 docs #2',
    ]);
  });

  it('makes no review when the session has reviews off, or predates them', () => {
    const body = [assignmentStarted('claude', 'impl'), report('claude', 'impl', 'milestone', 'a'), finished('claude', 'impl')];
    expect(deriveTriggers(journal(started({ enabled: false, maxRounds: 2 }), ...body))).toEqual([]);
    expect(deriveTriggers(journal({ type: 'session.started', sessionId: 's' }, ...body))).toEqual([]);
  });
});

describe('ReviewTriggerTracker', () => {
  it('gives live the same decisions as deriveTriggers, and counts revision rounds', () => {
    const entries = journal(
      started({ enabled: true, maxRounds: 3 }),
      assignmentStarted('claude', 'impl'),
      finished('claude', 'impl'),
      decision(1, 'impl', 'revise', 2),
      assignmentStarted('claude', 'impl'),
      report('claude', 'impl', 'milestone', 'fixed'),
    );
    const tracker = new ReviewTriggerTracker();
    const live = entries.flatMap((e) => tracker.observe(e));
    expect(live).toEqual(deriveTriggers(entries));
    expect(tracker.roundsUsed('impl')).toBe(1);
    expect(tracker.openReview('impl')).toBe(2);
    expect(tracker.reviewSettings).toMatchObject({ maxRounds: 3 });
  });
});
