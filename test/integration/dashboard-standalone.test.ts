import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dashboardUrl, stopDashboard, useDashboardWorld, writePlan } from '../helpers/dashboard-world.js';
import { until, WAIT_CEILING_MS } from '../helpers/until.js';

// `orchestrate dashboard` runs in another process than the session: it shows the session's open
// questions (mirrored to questions.json) and answers them through the session's control files,
// with the effect and journal entries of an answer on the run's own page.
const TASK = 'Publish the release branch';
const world = useDashboardWorld();

describe('a standalone orchestrate dashboard', () => {
  it("answers a running session's confirm-class command: Allow once lets it run, journaled as control and as the person's answer", async () => {
    const h = world.harness({ agents: ['claude'], scenarios: { claude: 'confirm-command' }, git: true });
    const plan = writePlan(h, [{ id: 'publish', agent: 'claude', title: 'publish', weight: 1 }]);
    // the run asks a person (headless, with its own dashboard); nobody opens that one
    const run = h.start(['--port', '0', '--no-review', '--agents', 'claude', '--plan', plan, TASK]);
    const dash = h.start(['dashboard', '--port', '0']);
    const d = await dashboardUrl(dash, 'stdout');
    const id = await until(() => (h.sessionDirs().length ? path.basename(h.sessionDirs()[0] ?? '') : undefined), {
      what: 'the session',
    });
    const auth = { 'x-orchestrate-token': d.token, 'content-type': 'application/json' };
    const info = (await (await fetch(`${d.base}/api/info`, { headers: auth })).json()) as { live: string | null };
    expect(info.live).toBeNull();

    const { page } = await world.browser();
    await page.goto(`${d.url}#/s/${id}`);
    const question = await page.waitForSelector('.question[data-kind="confirm"]', { timeout: WAIT_CEILING_MS });
    expect(await question.textContent()).toContain('git push origin main');
    expect(h.fakeLog('claude').filter((r) => r.kind === 'ran' && r.command === 'git push origin main')).toEqual([]);

    // a question that is not open is refused through the same channel
    const stale = await fetch(`${d.base}/api/sessions/${id}/questions/${'0'.repeat(12)}`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ answer: 'yes' }),
    });
    expect(stale.status).toBe(409);
    expect(((await stale.json()) as { error: string }).error).toContain('no such open question');

    await page.click('.question button:text-is("Allow once")');
    const exit = await run.exited;
    expect(exit.code, exit.stderr).toBe(0);
    const journal = h.journal();
    expect(
      journal.filter((e) => e.type === 'control.result' && e.action === 'answer').map((e) => (e as { result?: string }).result),
    ).toEqual(['ignored', 'done']);
    expect(journal.filter((e) => e.type === 'dashboard.answered')).toEqual([expect.objectContaining({ kind: 'confirm', answer: 'yes' })]);
    expect(journal.filter((e) => e.type === 'safety.confirm_answered')).toEqual([
      expect.objectContaining({ command: 'git push origin main', answer: 'allow', by: 'person' }),
    ]);
    expect(h.fakeLog('claude').filter((r) => r.kind === 'ran' && r.command === 'git push origin main')).toHaveLength(1);

    expect(await stopDashboard(dash)).toBe(0);
    expect(await h.waitNoProcesses()).toEqual([]);
  });
});
