import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Browser } from '../helpers/browser.js';
import { dashboardUrl, useDashboardWorld, writePlan } from '../helpers/dashboard-world.js';
import type { OrchestrateHarness } from '../helpers/orchestrate-harness.js';
import { until, WAIT_CEILING_MS } from '../helpers/until.js';

// A run's own dashboard (`--port 0`, headless), driven from real headless Chromium while the
// simulated agents work: live updates, pause/resume of the agent's processes, a reload that loses
// nothing, stop with the exit code, and a confirm-class command allowed from the page.
const TASK = 'Add a --json flag to the report command';
const world = useDashboardWorld();

/** A scenario that says a plain line every 50 ms for about a minute. */
function tickerScenario(h: OrchestrateHarness): string {
  const file = path.join(h.logDir, 'ticker.json');
  const steps = Array.from({ length: 1200 }, (_, i) => [{ say: `tick ${i}` }, { delayMs: 50 }]).flat();
  writeFileSync(file, JSON.stringify({ description: 'a line every 50 ms', steps }));
  return file;
}

function stdoutBytes(h: OrchestrateHarness, agent: string): number {
  const session = h.sessionDirs().at(-1);
  const dir = session ? path.join(session, 'agents', agent) : '';
  if (!dir || !existsSync(dir)) return 0;
  const runs = readdirSync(dir);
  const file = runs.length === 1 ? path.join(dir, runs[0] ?? '', 'stdout.jsonl') : '';
  return file && existsSync(file) ? readFileSync(file).length : 0;
}

function grows(h: OrchestrateHarness, agent: string, from: number, bytes = 1000): Promise<number> {
  return until(() => (stdoutBytes(h, agent) >= from + bytes ? stdoutBytes(h, agent) : undefined), {
    what: `${agent}'s stdout to grow past ${from + bytes} bytes`,
  });
}

/** The seqs of the journal entries the page lists, in order. */
async function pageSeqs(b: Browser): Promise<number[]> {
  return b.page.$$eval('#events li', (lis) => lis.map((li) => Number(li.getAttribute('data-seq'))));
}

describe("a run's dashboard in Chromium", () => {
  it('updates live; pause and resume stop and continue the agent; a reload loses nothing; stop ends with 130', async () => {
    const h = world.harness({ config: { killGrace: '1s' } });
    const ticker = tickerScenario(h);
    const plan = writePlan(h, [
      { id: 'ticks-claude', agent: 'claude', title: 'tick', weight: 1 },
      { id: 'ticks-gemini', agent: 'gemini', title: 'tick too', weight: 1 },
    ]);
    const run = h.start(['--port', '0', '--no-review', '--agents', 'claude,gemini', '--plan', plan, TASK], {
      FAKE_CLAUDE_SCENARIO: ticker,
      FAKE_GEMINI_SCENARIO: ticker,
    });
    const { url } = await dashboardUrl(run, 'stderr');
    await grows(h, 'claude', 0);
    const id = path.basename(h.sessionDir());

    const b = await world.browser();
    await b.page.goto(url);
    await b.page.waitForSelector(`body[data-session="${id}"]`, { timeout: WAIT_CEILING_MS });
    await b.page.waitForSelector('[data-agent="claude"] [data-state="running"]', { timeout: WAIT_CEILING_MS });
    // live: the page's last seq keeps rising while the agents tick
    const seen = Number(await b.page.getAttribute('body', 'data-last-seq'));
    await expect
      .poll(async () => Number(await b.page.getAttribute('body', 'data-last-seq')), { timeout: WAIT_CEILING_MS })
      .toBeGreaterThan(seen + 20);

    // pause claude from its card: its output stands still while gemini's grows
    await b.page.click('[data-agent="claude"] button:text-is("Pause")');
    await expect.poll(() => b.page.textContent('#status'), { timeout: WAIT_CEILING_MS }).toContain('paused claude');
    await b.page.waitForSelector('[data-agent="claude"] [data-state="paused"]', { timeout: WAIT_CEILING_MS });
    // What claude printed just before it stopped may still be in its pipe: orchestrate reads it
    // no later than gemini's next lines and writes both copies with one shared write (every 250 ms),
    // so once gemini's copy has grown that write has happened. From then on claude's stands still.
    await grows(h, 'gemini', stdoutBytes(h, 'gemini'), 2000);
    const claudeAt = stdoutBytes(h, 'claude');
    await grows(h, 'gemini', stdoutBytes(h, 'gemini'), 2000);
    expect(stdoutBytes(h, 'claude')).toBe(claudeAt);
    expect(h.json('session.json').processes.find((p: { agent: string }) => p.agent === 'claude')).toMatchObject({ paused: true });

    await b.page.click('[data-agent="claude"] button:text-is("Resume")');
    await expect.poll(() => b.page.textContent('#status'), { timeout: WAIT_CEILING_MS }).toContain('resumed claude');
    await grows(h, 'claude', claudeAt);
    await b.page.waitForSelector('[data-agent="claude"] [data-state="running"]', { timeout: WAIT_CEILING_MS });

    // a reload in the middle of the run: the page starts over from seq 1 and misses nothing
    const before = h.journal().length;
    await b.page.reload();
    await expect
      .poll(async () => Number(await b.page.getAttribute('body', 'data-last-seq')), { timeout: WAIT_CEILING_MS })
      .toBeGreaterThanOrEqual(before);

    // stop from the page ends the session with the interrupted code
    b.page.on('dialog', (d) => void d.accept());
    await b.page.click('#controls button[data-action="stop"]');
    const exit = await run.exited;
    expect(exit.code, exit.stderr).toBe(130);
    const journal = h.journal();
    expect(journal.at(-1)?.type).toBe('session.completed');
    expect(journal.filter((e) => e.type === 'control.result').map((e) => `${e['action']}:${e['result']}`)).toEqual([
      'pause:done',
      'resume:done',
      'stop:done',
    ]);
    // the page got every entry, in order, through session.completed, before the dashboard closed
    await b.page.waitForSelector('body[data-ended="true"]', { timeout: WAIT_CEILING_MS }).catch(async (e) => {
      const seqs = await pageSeqs(b);
      throw new Error(
        `${e.message}: page has ${seqs.length} entries, last ${seqs.at(-1)}; journal ${journal.length}; stderr ${exit.stderr}`,
      );
    });
    expect(await pageSeqs(b)).toEqual(journal.map((e) => e.seq));
    expect(await h.waitNoProcesses()).toEqual([]);
  });

  it('a confirm-class command waits for the page, and Allow once lets it run', async () => {
    const h = world.harness({ agents: ['claude'], scenarios: { claude: 'confirm-command' }, git: true });
    const plan = writePlan(h, [{ id: 'publish', agent: 'claude', title: 'publish', weight: 1 }]);
    const run = h.start(['--port', '0', '--no-review', '--agents', 'claude', '--plan', plan, TASK]);
    const { url } = await dashboardUrl(run, 'stderr');
    const b = await world.browser();
    await b.page.goto(url);
    const question = await b.page.waitForSelector('.question[data-kind="confirm"]', { timeout: WAIT_CEILING_MS });
    expect(await question.textContent()).toContain('git push origin main');
    // nothing ran yet: the hook is waiting for a person
    expect(h.fakeLog('claude').filter((r) => r.kind === 'ran' && r.command === 'git push origin main')).toEqual([]);
    await b.page.click('.question button:text-is("Allow once")');
    const exit = await run.exited;
    expect(exit.code, exit.stderr).toBe(0);
    const journal = h.journal();
    expect(journal.filter((e) => e.type === 'dashboard.answered')).toEqual([expect.objectContaining({ kind: 'confirm', answer: 'yes' })]);
    expect(journal.filter((e) => e.type === 'safety.confirm_answered')).toEqual([
      expect.objectContaining({ command: 'git push origin main', answer: 'allow', by: 'person' }),
    ]);
    expect(h.fakeLog('claude').filter((r) => r.kind === 'ran' && r.command === 'git push origin main')).toHaveLength(1);
    expect(await h.waitNoProcesses()).toEqual([]);
  });

  it('a review escalation is answered on the page: Yes lets the work stand, journaled as the terminal answer is', async () => {
    const h = world.harness({ agents: ['claude', 'codex'] });
    const author = path.join(h.logDir, 'author.json');
    writeFileSync(
      author,
      JSON.stringify({ steps: [{ write: { path: 'NOTES.md', content: 'notes\n' } }, { say: 'DONE: wrote NOTES.md' }] }),
    );
    const plan = writePlan(h, [{ id: 'impl', agent: 'claude', title: 'notes', weight: 1 }]);
    const run = h.start(['--port', '0', '--agents', 'claude,codex', '--plan', plan, TASK], {
      FAKE_CLAUDE_SCENARIO: author,
      FAKE_CODEX_SCENARIO: 'review-block',
    });
    const { url } = await dashboardUrl(run, 'stderr');
    const b = await world.browser();
    await b.page.goto(url);
    const question = await b.page.waitForSelector('.question[data-kind="escalation"]', { timeout: WAIT_CEILING_MS });
    expect(await question.textContent()).toContain('The change deletes the existing text report.');
    await b.page.click('.question button:text-is("Yes")');
    const exit = await run.exited;
    // headless without a page this is exit 8 (reviews.test.ts); the person let the work stand
    expect(exit.code, exit.stderr).toBe(0);
    const journal = h.journal();
    expect(journal.filter((e) => e.type === 'review.escalation_answered')).toEqual([
      expect.objectContaining({ review: 1, answer: 'yes', by: 'person' }),
    ]);
    expect(journal.filter((e) => e.type === 'dashboard.answered')).toEqual([
      expect.objectContaining({ kind: 'escalation', answer: 'yes' }),
    ]);
    expect(await h.waitNoProcesses()).toEqual([]);
  });
});
