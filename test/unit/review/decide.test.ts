import { describe, expect, it } from 'vitest';
import { decideReview, maxSeverity } from '../../../src/review/decide.js';
import type { Severity, Verdict, VerdictKind } from '../../../src/review/verdict.js';

const verdict = (kind: VerdictKind, ...severities: Severity[]): Verdict => ({
  verdict: kind,
  summary: 's',
  issues: severities.map((severity) => ({ severity, message: `a ${severity} issue` })),
});

describe('decideReview', () => {
  // [verdict, issues, roundsUsed, maxRounds, finished] → [rule, decision]
  const table: Array<[VerdictKind, Severity[], number, number, boolean, 1 | 2 | 3 | 4, string]> = [
    ['block', [], 0, 2, false, 1, 'escalate'],
    ['approve', ['low', 'critical'], 0, 2, false, 1, 'escalate'],
    ['request_changes', ['critical'], 0, 2, true, 1, 'escalate'],
    ['block', ['low'], 5, 2, true, 1, 'escalate'],
    ['request_changes', [], 0, 2, false, 2, 'revise'],
    ['request_changes', ['low'], 1, 2, true, 2, 'revise'],
    ['approve', ['high'], 0, 2, false, 2, 'revise'],
    ['request_changes', ['medium'], 2, 2, false, 3, 'escalate'],
    ['request_changes', [], 0, 0, true, 3, 'escalate'],
    ['approve', ['high', 'low'], 2, 2, true, 3, 'escalate'],
    ['approve', [], 0, 2, false, 4, 'continue'],
    ['approve', ['medium', 'low'], 2, 2, false, 4, 'continue'],
    ['approve', [], 0, 2, true, 4, 'complete'],
    ['approve', ['medium'], 9, 2, true, 4, 'complete'],
  ];
  it.each(table)(
    '%s with %j, %i of %i rounds used, finished %s → rule %i %s',
    (kind, severities, roundsUsed, maxRounds, finished, rule, decision) => {
      const d = decideReview({ verdict: verdict(kind, ...severities), roundsUsed, maxRounds, finished });
      expect({ rule: d.rule, decision: d.decision }).toEqual({ rule, decision });
    },
  );

  it('reports the inputs it decided on', () => {
    const v = verdict('approve', 'low', 'high');
    expect(decideReview({ verdict: v, roundsUsed: 1, maxRounds: 2, finished: false }).inputs).toEqual({
      verdict: v,
      maxSeverity: 'high',
      roundsUsed: 1,
      maxRounds: 2,
      finished: false,
    });
  });
});

describe('maxSeverity', () => {
  it('is the highest issue severity, null without issues', () => {
    expect(maxSeverity(verdict('approve'))).toBeNull();
    expect(maxSeverity(verdict('approve', 'low', 'medium', 'low'))).toBe('medium');
  });
});
