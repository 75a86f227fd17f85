import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decideReview } from '../../../src/review/decide.js';
import { parseVerdict } from '../../../src/review/verdict.js';

type Step = { structured?: unknown; say?: string };
type Scenario = { steps?: Step[]; runs?: Array<{ steps: Step[] }> };

const scenario = (name: string): Scenario =>
  JSON.parse(readFileSync(new URL(`../../../fixtures/scenarios/${name}`, import.meta.url), 'utf8')) as Scenario;
/** What a reviewer playing the scenario answers, run by run, read as orchestrate reads it. */
const answers = (name: string) => {
  const s = scenario(name);
  return (s.runs ?? [{ steps: s.steps ?? [] }]).map(({ steps }) => {
    const structured = steps.find((st) => st.structured !== undefined)?.structured;
    return parseVerdict(structured !== undefined ? { structured } : { text: steps.map((st) => st.say ?? '').join('\n') });
  });
};
const decision = (name: string, run = 0) => {
  const r = answers(name)[run];
  if (!r?.ok) throw new Error(`${name} run ${run}: ${r?.error}`);
  return decideReview({ verdict: r.verdict, roundsUsed: 0, maxRounds: 2, finished: true }).decision;
};

// the simulated agents' default job, loaded by URL: plain .mjs without type declarations
const defaultJob = (await import(new URL('../../../fixtures/agents/lib/default-job.mjs', import.meta.url).href)) as {
  buildDefaultJob(job: { prompt: string; cwd: string; review: boolean }): Step[];
};

describe('simulated reviewer scenarios', () => {
  it('approve completes; block escalates; request-changes-then-approve revises, then completes', () => {
    expect(decision('review-approve.json')).toBe('complete');
    expect(decision('review-block.json')).toBe('escalate');
    expect(decision('review-request-changes-then-approve.json', 0)).toBe('revise');
    expect(decision('review-request-changes-then-approve.json', 1)).toBe('complete');
    expect(decision('review-unparseable-then-approve.json', 1)).toBe('complete');
  });

  it('prose and schema-breaking JSON are not verdicts', () => {
    expect(answers('review-unparseable.json')).toEqual([{ ok: false, error: expect.stringContaining('no JSON object found') }]);
    expect(answers('review-unparseable-then-approve.json')[0]).toEqual({
      ok: false,
      error: expect.stringContaining('no JSON object found'),
    });
    const [invalid] = answers('review-invalid.json');
    expect(invalid).toEqual({ ok: false, error: expect.stringContaining('verdict: expected one of') });
  });

  it("the default job's review verdict is valid", () => {
    const steps = defaultJob.buildDefaultJob({ prompt: 'Your role: review\nTask: Add a flag', cwd: '/nonexistent', review: true });
    const structured = steps[0]?.structured;
    expect(parseVerdict({ structured })).toMatchObject({ ok: true, verdict: { verdict: 'approve' } });
  });
});
