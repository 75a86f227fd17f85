// Phase 3, scenario 5 (docs/compat.md, docs/reviews.md): peer reviews with each real CLI as the
// reviewer, through its structured-output path: claude `--json-schema` (the model answers with the
// StructuredOutput tool call), codex `--output-schema` (text.format json_schema; the model answers
// the JSON as the message text), gemini JSON in the text. Three assignments, one per CLI, so that
// with the default matrix (codex reviews claude, claude reviews gemini, gemini reviews codex) each
// CLI reviews exactly once when an assignment finishes.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI_IDS, type CliId } from './real-clis.js';
import { API, expectNothingLeft, isReviewRequest, readTarget, reviewAware, useCompatFile, VERDICT } from './orchestrate-common.js';

const file = useCompatFile();
const REVIEWER: Record<CliId, CliId> = { claude: 'codex', gemini: 'claude', codex: 'gemini' };

describe('orchestrate: peer reviews by the real CLIs', () => {
  it('each CLI reviews once (default matrix); every verdict is valid, tier preferred, not degraded; records written', async (ctx) => {
    const sc = { claude: 'orch-review-claude', codex: 'orch-review-codex', gemini: 'orch-review-gemini' } as const;
    for (const cli of CLI_IDS) {
      file.server.register(
        sc[cli],
        reviewAware({
          turns: [{ write: { path: `${cli}-work.txt`, content: `work of ${cli}\n` } }, { text: `DONE: ${cli} wrote ${cli}-work.txt` }],
        }),
      );
    }
    const session = file.newSession({ label: 'orch-review', agents: { ...sc }, extraArgs: { codex: file.codexArgs(ctx) } });
    const plan = session.writePlan({
      assignments: CLI_IDS.map((cli) => ({
        id: `${cli}-work`,
        agent: cli,
        role: 'implementation',
        title: `Write ${cli}-work.txt`,
        weight: 1,
      })),
    });
    const exit = await session.run('Each agent writes its work file', ['--plan', plan]);
    const why = session.explain(exit);
    expect(exit.timedOut, why).toBe(false);
    expect(exit.code, why).toBe(0);
    for (const cli of CLI_IDS) expect(readTarget(session, `${cli}-work.txt`), why).toBe(`work of ${cli}\n`);

    const journal = session.journal();
    const verdicts = journal.filter((e) => e.type === 'review.verdict');
    expect(verdicts.length, why).toBe(3);
    expect(
      journal.filter((e) => e.type === 'review.failed'),
      why,
    ).toEqual([]);
    const requested = new Map(journal.filter((e) => e.type === 'review.requested').map((e) => [e.review, e]));
    const byAuthor = Object.fromEntries(verdicts.map((v) => [String(requested.get(v.review)?.author), v]));
    for (const author of CLI_IDS) {
      const v = byAuthor[author];
      expect(v, `${author}'s review\n${why}`).toMatchObject({ tier: 'preferred', reviewer: REVIEWER[author], degraded: false });
      expect(v?.verdict, why).toMatchObject({ verdict: 'approve' });
      // The record named by the journal, with the same verdict and the reviewer run's raw output.
      const recordPath = join(session.sessionDir(), String(v?.record));
      expect(String(v?.record), why).toMatch(new RegExp(`^reviews/\\d+-${REVIEWER[author]}-reviews-${author}\\.json$`));
      expect(existsSync(recordPath), why).toBe(true);
      const record = JSON.parse(readFileSync(recordPath, 'utf8')) as Record<string, any>;
      expect(record, why).toMatchObject({ author, reviewer: REVIEWER[author], tier: 'preferred', degraded: false });
      expect(record.verdict, why).toMatchObject(VERDICT);
    }
    expect(
      journal.filter((e) => e.type === 'review.decision').map((e) => e.decision),
      why,
    ).toEqual(['complete', 'complete', 'complete']);

    // Each reviewer's request went through its CLI's structured-output path.
    for (const reviewer of CLI_IDS) {
      const reviews = file.server.requests(sc[reviewer]).filter((r) => r.reply !== 'count_tokens' && isReviewRequest(r.body));
      expect(reviews.length, `${reviewer} review requests\n${why}`).toBeGreaterThan(0);
      expect(
        reviews.every((r) => r.api === API[reviewer] && !r.viaProxy),
        why,
      ).toBe(true);
      if (reviewer === 'claude') {
        expect(reviews[0]?.tools, why).toContain('StructuredOutput');
        expect(reviews[0]?.reply, why).toBe('tool:StructuredOutput');
      }
      if (reviewer === 'codex') {
        expect((reviews[0]?.body as { text?: { format?: Record<string, unknown> } } | undefined)?.text?.format, why).toMatchObject({
          type: 'json_schema',
          name: 'codex_output_schema',
        });
        expect(reviews[0]?.reply, why).toBe('structured');
      }
      if (reviewer === 'gemini') expect(reviews[0]?.reply, why).toBe('structured');
    }
    await expectNothingLeft(file, session);
  });
});
