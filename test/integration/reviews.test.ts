// Peer reviews end to end (issue 6): the built orchestrate CLI against the simulated agents.
// Plan files give each test exactly one author assignment, so the only reviews are the ones the
// scenario under test scripts; the author's own scenario reports no MILESTONE (one final review).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { replaySession } from '../../src/review/replay.js';
import type { JournalEntry } from '../../src/session/journal-entry.js';
import type { FakeCli } from '../helpers/fake-agents.js';
import { startClockSession } from '../helpers/clock-session.js';
import { ORCHESTRATE_BIN, OrchestrateHarness, processesWithEnv } from '../helpers/orchestrate-harness.js';
import { until, waitFor, WAIT_CEILING_MS } from '../helpers/until.js';

const TASK = 'Add a --json flag to the report command';
type Entry = Record<string, any> & { seq: number; type: string };

let h: OrchestrateHarness | undefined;
afterEach(async () => {
  const left = await h?.finish();
  h = undefined;
  expect(left ?? []).toEqual([]);
});

/** An author that writes one file and reports DONE (no review trigger before it finishes). */
const AUTHOR_STEPS = [{ write: { path: 'NOTES.md', content: 'notes\n' } }, { say: 'DONE: wrote NOTES.md' }];

/** A harness whose only assignment is `author`'s; scenario files are written into its scratch dir. */
function setup(options: {
  agents: FakeCli[];
  author: FakeCli;
  scenarios: Partial<Record<FakeCli, unknown>>;
  config?: Record<string, unknown>;
}): { h: OrchestrateHarness; plan: string } {
  const scenarios: Partial<Record<FakeCli, string>> = {};
  const harness = new OrchestrateHarness({ agents: options.agents, scenarios, ...(options.config ? { config: options.config } : {}) });
  for (const [cli, scenario] of Object.entries(options.scenarios) as Array<[FakeCli, unknown]>) {
    if (typeof scenario === 'string') {
      scenarios[cli] = scenario;
      continue;
    }
    // the log dir is bound into the sandbox (bubblewrap gives the agents a private /tmp)
    const file = path.join(harness.logDir, `${cli}-scenario.json`);
    writeFileSync(file, JSON.stringify(scenario));
    scenarios[cli] = file;
  }
  const plan = path.join(harness.root, 'plan.json');
  writeFileSync(
    plan,
    JSON.stringify({ assignments: [{ id: 'impl', agent: options.author, role: 'implementation', title: 'implement it', weight: 1 }] }),
  );
  h = harness;
  return { h: harness, plan };
}

const ofType = (journal: Entry[], type: string): Entry[] => journal.filter((e) => e.type === type);
const decisions = (journal: Entry[]) =>
  ofType(journal, 'review.decision').map((e) => ({ review: e['review'], rule: e['rule'], decision: e['decision'] }));

function orchestrate(args: string[], cwd: string): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [ORCHESTRATE_BIN, ...args], { cwd, encoding: 'utf8', timeout: WAIT_CEILING_MS });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('peer reviews through orchestrate', () => {
  it('approve: the final review completes the assignment (rule 4) and leaves its record', async () => {
    const { h, plan } = setup({
      agents: ['claude', 'codex'],
      author: 'claude',
      scenarios: { claude: { steps: AUTHOR_STEPS }, codex: 'review-approve' },
    });
    const exit = await h.run(['--agents', 'claude,codex', '--plan', plan, TASK]);
    expect(exit.code).toBe(0);
    const journal = h.journal();
    expect(ofType(journal, 'review.requested')).toEqual([
      expect.objectContaining({ review: 1, author: 'claude', assignment: 'impl', trigger: expect.objectContaining({ kind: 'finished' }) }),
    ]);
    expect(ofType(journal, 'review.verdict')).toEqual([
      expect.objectContaining({
        review: 1,
        tier: 'preferred',
        reviewer: 'codex',
        degraded: false,
        verdict: expect.objectContaining({ verdict: 'approve' }),
        record: 'reviews/001-codex-reviews-claude.json',
      }),
    ]);
    expect(decisions(journal)).toEqual([{ review: 1, rule: 4, decision: 'complete' }]);
    const record = h.json('reviews/001-codex-reviews-claude.json');
    expect(record).toMatchObject({
      review: 1,
      assignment: 'impl',
      author: 'claude',
      reviewer: 'codex',
      tier: 'preferred',
      degraded: false,
    });
    expect(record['verdict']).toMatchObject({ verdict: 'approve', issues: [] });
    expect(record['decision']).toMatchObject({ rule: 4, decision: 'complete' });
    // the reviewer ran read-only with the verdict schema, tagged as a review run
    const launched = ofType(journal, 'agent.launched').find((e) => e.agent === 'codex');
    expect(launched).toMatchObject({ review: 1, role: 'review', run: 'review-1-1' });
    expect(launched?.['argv']).toEqual(expect.arrayContaining(['-s', 'read-only', '--output-schema']));
    expect(h.json('summary.json')['reviews']).toEqual([
      expect.objectContaining({ review: 1, degraded: false, verdict: 'approve', decision: 'complete' }),
    ]);
  });

  // author, its reviewer by the default matrix, and the resume form of the author's CLI
  /** Where the resumed session id sits in each CLI's argv (argv[0] is the executable). */
  const flagResume = (argv: string[], id: string): void => expect(argv[argv.indexOf('--resume') + 1]).toBe(id);
  const REVISE_CASES: Array<{ author: FakeCli; reviewer: FakeCli; expectResume: (argv: string[], id: string) => void }> = [
    { author: 'claude', reviewer: 'codex', expectResume: flagResume },
    // `codex exec resume [OPTIONS] <SESSION_ID> <PROMPT>` (fixtures/cli-help/codex-exec-resume.txt)
    {
      author: 'codex',
      reviewer: 'gemini',
      expectResume: (argv, id) => expect([argv[1], argv[2], argv.at(-2)]).toEqual(['exec', 'resume', id]),
    },
    { author: 'gemini', reviewer: 'claude', expectResume: flagResume },
  ];
  it.each(REVISE_CASES)(
    'request changes then approve: $author revises in its own CLI session ($reviewer reviews)',
    async ({ author, reviewer, expectResume }) => {
      const { h, plan } = setup({
        agents: [author, reviewer],
        author,
        scenarios: { [author]: { steps: AUTHOR_STEPS }, [reviewer]: 'review-request-changes-then-approve' },
      });
      const exit = await h.run(['--agents', `${author},${reviewer}`, '--plan', plan, TASK]);
      expect(exit.code).toBe(0);
      const journal = h.journal();
      expect(decisions(journal)).toEqual([
        { review: 1, rule: 2, decision: 'revise' },
        { review: 2, rule: 4, decision: 'complete' },
      ]);
      // the session id the author's CLI reported in its first run is what the revision resumes
      const firstSession = journal.find((e) => e.type === 'agent.session' && e.agent === author && e['review'] === undefined);
      const id = String(firstSession?.['sessionId']);
      expect(id).toMatch(/^[0-9a-f-]{20,}$/);
      const authorRuns = ofType(journal, 'agent.launched').filter((e) => e.agent === author && e['review'] === undefined);
      expect(authorRuns.map((e) => e['run'])).toEqual(['impl', 'impl.2']);
      const argv = authorRuns[1]?.['argv'] as string[];
      expectResume(argv, id);
      expect(authorRuns[0]?.['argv']).not.toContain(id);
      expect(ofType(journal, 'review.revise_started')).toEqual([
        expect.objectContaining({ review: 1, assignment: 'impl', round: 1, resumeSessionId: id }),
      ]);
      // the fake CLI really received it and resumed the known session (no refusal)
      const received = h.fakeLog(author).filter((r) => r.kind === 'argv' && (r.argv as string[]).includes(id));
      expect(received).toHaveLength(1);
      const revisionStarted = journal.find((e) => e.type === 'assignment.started' && e['revision'] === 1);
      expect(revisionStarted).toMatchObject({ assignment: 'impl', agent: author, run: 'impl.2' });
      expect(h.json('summary.json')['assignments'][0]).toMatchObject({ status: 'succeeded' });

      // replay agrees with the live decisions...
      const dir = h.sessionDir();
      const agreed = orchestrate(['replay', dir], h.root);
      expect(agreed.code).toBe(0);
      expect(agreed.stdout).toContain('0 differences');
      // ...finds a hand-edited journal verdict (approve → block): not what the reviewer answered, in the
      // journal's copy of its answer nor in its raw output; the decision follows the reviewer's answer
      const events = path.join(dir, 'events.jsonl');
      const original = readFileSync(events, 'utf8');
      const edited = original
        .split('\n')
        .map((line) =>
          line.includes('"type":"review.verdict"') && line.includes('"review":2,')
            ? line.replace('"verdict":"approve"', '"verdict":"block"')
            : line,
        )
        .join('\n');
      expect(edited).not.toBe(original);
      writeFileSync(events, edited);
      try {
        const differs = orchestrate(['replay', dir, '--json'], h.root);
        expect(differs.code).toBe(9);
        const report = JSON.parse(differs.stdout);
        expect(report.differences).toEqual([
          expect.objectContaining({
            review: 2,
            what: `review.verdict for review 2 is not what ${reviewer} answered (the journal)`,
            expected: expect.objectContaining({ verdict: 'approve' }),
            actual: expect.objectContaining({ verdict: 'block' }),
          }),
          expect.objectContaining({ review: 2, what: `review.verdict for review 2 is not what ${reviewer} answered (its raw output)` }),
        ]);
        expect(orchestrate(['replay', dir], h.root).code).toBe(9);
      } finally {
        writeFileSync(events, original); // the harness replays every session at cleanup
      }
      // ...and the whole chain from the raw output: the reviewer's recorded answer changed from
      // approve to block gives another verdict, and so another decision (rule 1: escalate)
      // (gemini streams its answer in delta chunks that may split the word: edited for claude and codex)
      if (reviewer === 'gemini') return;
      const record = JSON.parse(readFileSync(path.join(dir, 'reviews', `002-${reviewer}-reviews-${author}.json`), 'utf8'));
      const raw = path.join(dir, record.rawOutput);
      const answered = readFileSync(raw, 'utf8');
      const blocked = answered
        .replaceAll('\\"verdict\\":\\"approve\\"', '\\"verdict\\":\\"block\\"')
        .replaceAll('"verdict":"approve"', '"verdict":"block"');
      expect(blocked).not.toBe(answered);
      writeFileSync(raw, blocked);
      try {
        const differs = orchestrate(['replay', dir, '--json'], h.root);
        expect(differs.code).toBe(9);
        expect(JSON.parse(differs.stdout).differences).toEqual([
          expect.objectContaining({
            review: 2,
            what: `review.verdict for review 2 is not what ${reviewer} answered (its raw output)`,
            expected: expect.objectContaining({ verdict: 'block' }),
            actual: expect.objectContaining({ verdict: 'approve' }),
          }),
          expect.objectContaining({
            review: 2,
            what: 'review.decision for review 2 differs',
            expected: { assignment: 'impl', rule: 1, decision: 'escalate' },
            actual: { assignment: 'impl', rule: 4, decision: 'complete' },
          }),
        ]);
      } finally {
        writeFileSync(raw, answered);
      }
    },
  );

  it('block: escalates (rule 1); headless it stops with exit 8 and the blocker is in summary.json', async () => {
    const { h, plan } = setup({
      agents: ['claude', 'codex'],
      author: 'claude',
      scenarios: { claude: { steps: AUTHOR_STEPS }, codex: 'review-block' },
    });
    const exit = await h.run(['--agents', 'claude,codex', '--plan', plan, TASK]);
    expect(exit.code).toBe(8);
    const journal = h.journal();
    expect(decisions(journal)).toEqual([{ review: 1, rule: 1, decision: 'escalate' }]);
    expect(ofType(journal, 'review.escalated')).toEqual([expect.objectContaining({ review: 1, assignment: 'impl', rule: 1 })]);
    const summary = h.json('summary.json');
    expect(summary).toMatchObject({ exitCode: 8 });
    expect(summary['assignments'][0]).toMatchObject({ id: 'impl', status: 'escalated' });
    expect(summary['blockers']).toEqual([
      expect.objectContaining({
        agent: 'claude',
        assignment: 'impl',
        review: 1,
        blocker: expect.stringContaining('The change deletes the existing text report.'),
      }),
    ]);
    expect(journal.at(-1)).toMatchObject({ type: 'session.completed', exitCode: 8 });
  });

  it.each(['review-unparseable', 'review-invalid'])(
    '%s: one repair retry, review.failed, then the next tier; never an approval',
    async (scenario) => {
      const { h, plan } = setup({
        agents: ['claude', 'codex', 'gemini'],
        author: 'claude',
        scenarios: { claude: { steps: AUTHOR_STEPS }, codex: scenario, gemini: 'review-approve' },
      });
      const exit = await h.run(['--agents', 'claude,codex,gemini', '--plan', plan, TASK]);
      expect(exit.code).toBe(0);
      const journal = h.journal();
      const codexRuns = ofType(journal, 'agent.launched')
        .filter((e) => e.agent === 'codex')
        .map((e) => e['run']);
      expect(codexRuns).toEqual(['review-1-1', 'review-1-1.repair']);
      const steps = journal
        .filter((e) => ['review.reviewer', 'review.failed', 'review.verdict'].includes(e.type))
        .map((e) => `${e.type}:${e['tier']}:${e['reviewer']}`);
      expect(steps).toEqual([
        'review.reviewer:preferred:codex',
        'review.failed:preferred:codex',
        'review.reviewer:other:gemini',
        'review.verdict:other:gemini',
      ]);
      const failed = ofType(journal, 'review.failed')[0];
      expect(failed?.['reason']).toMatch(/no valid verdict after a repair retry/);
      if (scenario === 'review-invalid') expect(failed?.['reason']).toMatch(/verdict/);
      // no codex verdict anywhere: the invalid answer was not read as approval
      expect(ofType(journal, 'review.verdict')).toEqual([expect.objectContaining({ reviewer: 'gemini', degraded: false })]);
      expect(decisions(journal)).toEqual([{ review: 1, rule: 4, decision: 'complete' }]);
      const record = h.json('reviews/001-gemini-reviews-claude.json');
      expect(record['attempts']).toEqual([expect.objectContaining({ tier: 'preferred', reviewer: 'codex' })]);
      expect(existsSync(path.join(h.sessionDir(), 'reviews', '001-codex-reviews-claude.json'))).toBe(false);
    },
  );

  // solo claude: run 0 is the author's work, every later claude run (the self review and its repair) answers in prose
  const SOLO_CLAUDE = { runs: [{ steps: AUTHOR_STEPS }, { steps: [{ say: 'Looks fine to me, I think.' }] }] };

  it('no other reviewer: solo claude goes self, then mechanical; degraded everywhere', async () => {
    const { h, plan } = setup({ agents: ['claude'], author: 'claude', scenarios: { claude: SOLO_CLAUDE } });
    const exit = await h.run(['--agents', 'claude', '--plan', plan, '--json', TASK]);
    expect(exit.code).toBe(0);
    const journal = h.journal();
    const steps = journal
      .filter((e) => ['review.reviewer', 'review.failed', 'review.verdict'].includes(e.type))
      .map((e) => `${e.type}:${e['tier']}:${e['reviewer']}:${String(e['degraded'] ?? '')}`);
    expect(steps).toEqual([
      'review.reviewer:self:claude:true',
      'review.failed:self:claude:',
      'review.reviewer:mechanical:orchestrate:true',
      'review.verdict:mechanical:orchestrate:true',
    ]);
    // the self review was a fresh claude session, not the author's resumed
    const authorSession = journal.find((e) => e.type === 'agent.session' && e.agent === 'claude' && e['review'] === undefined)?.[
      'sessionId'
    ];
    const selfRun = ofType(journal, 'agent.launched').find((e) => e['run'] === 'review-1-1');
    expect(selfRun).toMatchObject({ agent: 'claude', review: 1 });
    expect(selfRun?.['argv']).not.toContain('--resume');
    expect(selfRun?.['argv']).not.toContain(authorSession);
    expect(ofType(journal, 'review.verdict')[0]).toMatchObject({ degraded: true, record: 'reviews/001-orchestrate-reviews-claude.json' });
    expect(h.json('summary.json')['reviews']).toEqual([expect.objectContaining({ review: 1, degraded: true })]);
    const ndjson = exit.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Entry);
    expect(ndjson.find((e) => e.type === 'review.verdict')).toMatchObject({ review: 1, tier: 'mechanical', degraded: true });
    expect(ndjson.at(-1)).toMatchObject({ type: 'session.completed', exitCode: 0 });
  });

  it('--strict: a degraded review fails the session with exit 7', async () => {
    const { h, plan } = setup({ agents: ['claude'], author: 'claude', scenarios: { claude: SOLO_CLAUDE } });
    const exit = await h.run(['--agents', 'claude', '--plan', plan, '--strict', TASK]);
    expect(exit.code).toBe(7);
    expect(ofType(h.journal(), 'review.verdict')).toEqual([expect.objectContaining({ tier: 'mechanical', degraded: true })]);
    expect(h.json('summary.json')).toMatchObject({ exitCode: 7 });
    expect(h.json('summary.json')['reviews']).toEqual([expect.objectContaining({ degraded: true })]);
  });
});

describe('the fallback review timer (runSession in process, injected clock)', () => {
  let cleanup: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await cleanup?.();
    cleanup = undefined;
  });

  it('journals review.timer when the clock passes timerMs, and reviews the running assignment with trigger timer', async () => {
    // the author stays running (no event, no timer of its own) until the test ends the session
    const s = startClockSession({
      prefix: 'orch-timer-',
      agents: ['claude', 'codex'],
      scenarios: { claude: { steps: [{ hang: true }] }, codex: 'review-approve' },
      start: Date.parse('2026-11-21T12:00:00Z'),
      timeoutMs: 30 * 60_000,
      review: { enabled: true, timerMs: 60_000, maxRounds: 2, strict: false },
    });
    cleanup = s.cleanup;
    const { session, clock, controller, logDir, marker, read, running } = s;
    // the author is up and hanging; its timer was armed at assignment.started, on the manual clock
    await waitFor(
      () =>
        existsSync(path.join(logDir, 'claude.jsonl')) && readFileSync(path.join(logDir, 'claude.jsonl'), 'utf8').includes('"kind":"ready"'),
      { what: 'claude ready (hang)', unless: running },
    );
    expect(read().filter((e) => e.type.startsWith('review.'))).toEqual([]);
    clock.advance(59_999);
    expect(read().filter((e) => e.type === 'review.timer')).toEqual([]);
    clock.advance(1);
    const timer = read().find((e) => e.type === 'review.timer');
    expect(timer).toMatchObject({ agent: 'claude', assignment: 'impl', timerMs: 60_000, lastReviewAt: '2026-11-21T12:00:00.000Z' });
    const requested = read().find((e) => e.type === 'review.requested');
    expect(requested).toMatchObject({ review: 1, author: 'claude', assignment: 'impl', trigger: { kind: 'timer', cause: timer?.seq } });
    expect(requested!.seq).toBeGreaterThan(timer!.seq);
    // the timer review runs to its decision while the author is still running: continue (rule 4)
    const decision = await waitFor(() => read().find((e) => e.type === 'review.decision'), { what: 'review.decision', unless: running });
    expect(decision).toMatchObject({ review: 1, assignment: 'impl', rule: 4, decision: 'continue' });
    expect(read().find((e) => e.type === 'review.verdict')).toMatchObject({ review: 1, reviewer: 'codex', tier: 'preferred' });
    expect(read().some((e) => e.type === 'assignment.finished')).toBe(false);

    // the decision re-armed the timer from its own time: it fires again one timerMs later, not before
    clock.advance(59_999);
    expect(read().filter((e) => e.type === 'review.timer')).toHaveLength(1);
    clock.advance(1);
    expect(read().filter((e) => e.type === 'review.timer')).toHaveLength(2);
    const second = await waitFor(() => read().filter((e) => e.type === 'review.decision')[1], {
      what: 'second review.decision',
      unless: running,
    });
    expect(second).toMatchObject({ review: 2, rule: 4, decision: 'continue' });

    // end the session (Ctrl-C): every process it started is gone, and replay agrees
    controller.abort();
    const result = await session;
    expect(result.exitCode).toBe(130);
    const left = await until(() => processesWithEnv(`ORCH_TEST_MARKER=${marker}`).length === 0 || undefined, {
      what: 'no live processes',
    }).catch(() => processesWithEnv(`ORCH_TEST_MARKER=${marker}`));
    expect(left).toBe(true);
    const all = read();
    expect(all.at(-1)).toMatchObject({ type: 'session.completed', exitCode: 130 });
    expect(replaySession(all as unknown as JournalEntry[]).differences).toEqual([]);
    expect(all.filter((e) => e.type === 'review.requested').map((e) => e['trigger'].kind)).toEqual(['timer', 'timer']);
  });
});
