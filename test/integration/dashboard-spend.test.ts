import path from 'node:path';
import { writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { CODEX_DEFAULT_MODEL } from '../../src/agents/adapters/codex.js';
import { openBrowser, type Browser } from '../helpers/browser.js';
import { parseDashboardUrl } from '../helpers/dashboard-client.js';
import { OrchestrateHarness } from '../helpers/orchestrate-harness.js';
import { until, WAIT_CEILING_MS } from '../helpers/until.js';

// Issue 18: the web dashboard carries per-agent and total spend against the ceilings, as the
// terminal view, `show` and `--json` do: live while a run's own dashboard serves it, and after
// the session in `orchestrate dashboard`; a model without a price is unknown there too, never $0.
const TASK = 'Add a --json flag to the report command';
let h: OrchestrateHarness | undefined;
let browser: Browser | undefined;
afterEach(async () => {
  await browser?.close();
  browser = undefined;
  await h?.cleanup();
  h = undefined;
});

function writePlan(assignments: object[]): string {
  const file = path.join(h!.root, 'plan.json');
  writeFileSync(file, JSON.stringify({ assignments }));
  return file;
}

const text = async (b: Browser, selector: string): Promise<string> => (await b.page.textContent(selector)) ?? '';

describe('spend on the web dashboard', () => {
  it('after the session: per agent and in total against the ceiling, unknown prices as unknown, and the ceiling that stopped it', async () => {
    // gemini's model has no price (unknown); codex's is $1000 a million tokens: its 120 tokens pass the $0.1 ceiling
    h = new OrchestrateHarness({
      agents: ['codex', 'gemini'],
      config: {
        review: { enabled: false },
        agents: { gemini: { model: 'gemini-9-unpriced' } },
        prices: { [CODEX_DEFAULT_MODEL]: { input: 1000, output: 1000 } },
      },
    });
    const plan = writePlan([
      { id: 'a', agent: 'gemini', role: 'design', title: 'design it', weight: 1 },
      { id: 'b', agent: 'codex', role: 'implementation', title: 'build it', weight: 1, dependsOn: ['a'] },
      { id: 'c', agent: 'codex', role: 'implementation', title: 'finish it', weight: 1, dependsOn: ['b'] },
    ]);
    const done = await h.run(['--agents', 'codex,gemini', '--plan', plan, '--max-cost', '0.1', TASK]);
    expect(done.code, done.stderr).toBe(13);
    const id = path.basename(h.sessionDir());

    const dash = h.start(['dashboard', '--port', '0']);
    const d = await until(() => parseDashboardUrl(dash.stdout()), { what: 'the URL line' });
    // the stats route no longer sums an unknown cost as 0
    const stats = (await (await fetch(`${d.base}/api/sessions/${id}/stats`, { headers: { 'x-orchestrate-token': d.token } })).json()) as {
      costUsd: unknown;
      spend: { reached?: string };
    };
    expect(stats).toMatchObject({ costUsd: null, spend: { reached: 'cost' } });

    browser = await openBrowser();
    const b = browser;
    await b.page.goto(d.url);
    await b.page.waitForSelector(`body[data-session="${id}"][data-ended="true"][data-spend-reached="cost"]`, { timeout: WAIT_CEILING_MS });
    // the figures `show` gives, worded as `show` words them
    const spend = h.json('summary.json').spend;
    const [gemini, codex] = [spend.agents.gemini.tokens as number, spend.agents.codex.tokens as number];
    expect(spend.agents.gemini.costUsd).toBeNull();
    const codexCost = `$${(spend.agents.codex.costUsd as number).toFixed(4)}`;
    expect(spend.agents.codex.costUsd).toBeCloseTo((codex * 1000) / 1e6, 6);
    expect(await text(b, '#spend tr[data-agent="gemini"]')).toBe(`gemini${gemini}unknown (at least $0.0000)`);
    expect(await text(b, '#spend tr[data-agent="codex"]')).toBe(`codex${codex}${codexCost}`);
    expect(await text(b, '#spend tr.total')).toBe(`total${gemini + codex}unknown (at least ${codexCost}) of $0.1 ceiling`);
    expect(await text(b, '#spend .reached')).toMatch(/^ceiling reached: the cost ceiling of \$0\.1 was reached/);
    expect(await text(b, '#s-progress')).toBe(
      `3/3 assignments · unknown (at least ${codexCost}) of $0.1 ceiling · ${gemini + codex} tokens`,
    );
    // the agents' cards, from the journal replayed into the page
    expect(await text(b, '#agents [data-agent="gemini"] .usage')).toBe(`a · ${gemini} tokens · unknown (at least $0.0000)`);
    expect(await text(b, '#agents [data-agent="codex"] .usage')).toBe(`b · ${codex} tokens · ${codexCost}`);
    dash.child.kill('SIGTERM');
    expect((await dash.exited).code).toBe(0);
  });

  it("live, on a run's own dashboard: the spend so far against the ceiling while an agent still works", async () => {
    h = new OrchestrateHarness({ agents: ['claude'], config: { review: { enabled: false }, killGrace: '1s' } });
    const scenario = path.join(h.logDir, 'claude.json');
    // run 0 (assignment a) ends with its cost reported; run 1 (b) keeps working
    writeFileSync(
      scenario,
      JSON.stringify({ runs: [{ steps: [{ say: 'DONE: a' }] }, { steps: [{ say: 'MILESTONE: b' }, { hang: true }] }] }),
    );
    const plan = writePlan([
      { id: 'a', agent: 'claude', role: 'design', title: 'design it', weight: 1 },
      { id: 'b', agent: 'claude', role: 'implementation', title: 'build it', weight: 1, dependsOn: ['a'] },
    ]);
    const run = h.start(['--port', '0', '--agents', 'claude', '--plan', plan, '--max-cost', '1', '--max-tokens', '100000', TASK], {
      FAKE_CLAUDE_SCENARIO: scenario,
    });
    const { url } = await until(() => parseDashboardUrl(run.stderr()), { what: 'the dashboard URL on stderr' });
    await h.waitForFake('claude', 'ready');
    const id = path.basename(h.sessionDir());
    const usage = h.journal().filter((e) => e.type === 'agent.usage') as Array<Record<string, number>>;
    expect(usage).toHaveLength(1);
    const spent = `$${(usage[0]?.['costUsd'] as number).toFixed(4)}`;
    const tokens = (usage[0]?.['inputTokens'] as number) + (usage[0]?.['outputTokens'] as number);
    expect(spent).not.toBe('$0.0000');

    browser = await openBrowser();
    const b = browser;
    await b.page.goto(url);
    await b.page.waitForSelector(`body[data-session="${id}"][data-state="running"]`, { timeout: WAIT_CEILING_MS });
    await expect
      .poll(() => text(b, '#spend tr.total'), { timeout: WAIT_CEILING_MS })
      .toBe(`total${tokens} of 100000 ceiling${spent} of $1 ceiling`);
    expect(await text(b, '#spend tr[data-agent="claude"]')).toBe(`claude${tokens}${spent}`);
    expect(await text(b, '#s-progress')).toBe(`1/2 assignments · ${spent} of $1 ceiling · ${tokens} tokens of 100000 ceiling`);
    expect(await b.page.locator('#spend .reached').count()).toBe(0);

    run.child.kill('SIGINT');
    expect((await run.exited).code).toBe(130);
    expect(await h.waitNoProcesses()).toEqual([]);
  });
});
