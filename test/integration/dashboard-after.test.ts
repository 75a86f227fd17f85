import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDashboardUrl, rawGet, readSse } from '../helpers/dashboard-client.js';
import { dashboardUrl, stopDashboard, useDashboardWorld } from '../helpers/dashboard-world.js';
import { SANDBOX_USABLE } from '../helpers/orchestrate-harness.js';
import { until, WAIT_CEILING_MS } from '../helpers/until.js';

// `orchestrate dashboard --port 0` over a workspace with one finished session: the URL line, the
// front door (token, Host), the API, the event stream through session.completed, and the page in
// real headless Chromium.
const TASK = 'Add a --json flag to the report command';
const world = useDashboardWorld();

describe('orchestrate dashboard after a session', () => {
  it('prints its URL first, refuses without the token or with a foreign Host, lists, streams and shows the session', async () => {
    const h = world.harness();
    const done = await h.run(['--no-review', TASK]);
    expect(done.code, done.stderr).toBe(0);
    const id = path.basename(h.sessionDir());
    const journal = h.journal();

    const dash = h.start(['dashboard', '--port', '0']);
    const firstLine = await until(() => (dash.stdout().includes('\n') ? dash.stdout().split('\n')[0] : undefined), {
      what: 'the URL line',
    });
    const d = parseDashboardUrl(firstLine ?? '');
    expect(d, firstLine).toBeDefined();
    const { port, token, base } = d!;
    expect(firstLine).toBe(`http://127.0.0.1:${port}/?token=${token}`);

    // the front door: nothing without the token, nothing under a foreign name
    expect((await rawGet(port, '/api/sessions')).status).toBe(401);
    expect((await rawGet(port, '/')).status).toBe(401);
    expect((await rawGet(port, '/assets/app.js')).status).toBe(401);
    expect((await rawGet(port, '/api/sessions', { 'x-orchestrate-token': 'f'.repeat(token.length) })).status).toBe(403);
    expect((await rawGet(port, `/api/sessions?token=${token}`, { host: `evil.example:${port}` })).status).toBe(403);
    expect((await rawGet(port, `/api/sessions?token=${token}`, { origin: 'http://evil.example' })).status).toBe(403);
    const ok = await rawGet(port, `/api/sessions?token=${token}`);
    expect(ok.status).toBe(200);

    const auth = { 'x-orchestrate-token': token };
    const sessions = (await (await fetch(`${base}/api/sessions`, { headers: auth })).json()) as Array<{
      id: string;
      state: string;
      task: string;
    }>;
    expect(sessions).toEqual([expect.objectContaining({ id, state: 'completed', task: TASK })]);

    // the whole journal, in order, through session.completed, then the end
    const events = await readSse(`${base}/api/sessions/${id}/events`, auth);
    const entries = events
      .filter((e) => e.event === 'entry')
      .map((e) => JSON.parse(e.data.split('\n')[0] ?? '') as { seq: number; type: string });
    expect(entries.map((e) => e.seq)).toEqual(journal.map((e) => e.seq));
    expect(entries.at(-1)?.type).toBe('session.completed');
    expect(events.at(-1)).toMatchObject({ event: 'end', data: '{"reason":"completed"}' });
    // Last-Event-ID resumes after that seq
    const resumed = await readSse(`${base}/api/sessions/${id}/events`, { ...auth, 'last-event-id': String(journal.length - 2) });
    expect(resumed.filter((e) => e.event === 'entry').map((e) => e.id)).toEqual([String(journal.length - 1), String(journal.length)]);

    // its diff against the baseline: what `orchestrate diff` prints, from the same code
    const cliDiff = await h.run(['diff', id]);
    expect(cliDiff.code, cliDiff.stderr).toBe(0);
    const apiDiff = (await (await fetch(`${base}/api/sessions/${id}/diff`, { headers: auth })).json()) as {
      text: string;
      to: string;
      refused: unknown[];
      truncated: boolean;
    };
    expect(apiDiff.truncated).toBe(false);
    expect(`${apiDiff.text.replace(/\n*$/, '')}\n`).toBe(cliDiff.stdout);
    expect(apiDiff.text).toMatch(/\d+ files? changed/);
    expect((await fetch(`${base}/api/sessions/${id}/diff`)).status).toBe(401);

    // the page, in real Chromium: names the session, and without the token shows nothing
    const { page } = await world.browser();
    const bare = await page.goto(`${base}/`);
    expect(bare?.status()).toBe(401);
    expect(await page.content()).not.toContain('app.js');
    await page.goto(d!.url);
    await page.waitForSelector(`body[data-session="${id}"][data-ended="true"]`, { timeout: WAIT_CEILING_MS });
    await expect.poll(() => page.textContent('#s-task')).toBe(TASK);
    expect(await page.textContent('#s-id')).toBe(id);
    expect(await page.textContent('#sessions')).toContain(id);
    expect(await page.getAttribute('#events li:last-child', 'data-type')).toBe('session.completed');
    expect(await page.locator('#events li').count()).toBe(journal.length);
    // the Changes view shows the same diff: its stat, and the patch's added lines
    await page.waitForSelector(`body[data-diff="${apiDiff.to}"]`, { timeout: WAIT_CEILING_MS });
    const stat = apiDiff.text.slice(0, apiDiff.text.indexOf('\n\n'));
    expect(await page.textContent('#diff-stat')).toBe(stat);
    expect(await page.textContent('#diff-stat-line')).toMatch(/\d+ files? changed/);
    const added = apiDiff.text.split('\n').find((l) => l.startsWith('+') && !l.startsWith('+++'));
    expect(added).toBeDefined();
    expect(await page.locator('#diff-patch span.add').first().textContent()).toBe(`${added}\n`);

    expect(await stopDashboard(dash)).toBe(0);
  });

  it('starts a session from POST /api/sessions with the CLI options and a large task that looks like an option; it runs to the end and streams through session.completed', async () => {
    const h = world.harness();
    const dash = h.start(['dashboard', '--port', '0']);
    const d = await dashboardUrl(dash, 'stdout');
    const headers = { 'x-orchestrate-token': d.token, 'content-type': 'application/json' };
    const bad = await fetch(`${d.base}/api/sessions`, { method: 'POST', headers, body: JSON.stringify({ task: 'x', colour: 'red' }) });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toContain('colour');
    // a task that looks like an option and is larger than one argument may be (128 KiB): it goes by file
    const task = `--no-sandbox ${TASK}\n${'Keep the report output stable for scripts.\n'.repeat(3500)}`.trim();
    expect(Buffer.byteLength(task)).toBeGreaterThan(128 * 1024);
    const res = await fetch(`${d.base}/api/sessions`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ task, review: false, ...(SANDBOX_USABLE ? {} : { sandbox: false }) }),
    });
    expect(res.status, await res.clone().text()).toBe(201);
    const { id } = (await res.json()) as { id: string };
    const events = await readSse(`${d.base}/api/sessions/${id}/events`, { 'x-orchestrate-token': d.token });
    const last = JSON.parse(
      events
        .filter((e) => e.event === 'entry')
        .at(-1)
        ?.data.split('\n')[0] ?? '{}',
    ) as Record<string, unknown>;
    expect(last).toMatchObject({ type: 'session.completed', exitCode: 0, outcome: 'success' });
    const started = h.journal().find((e) => e.type === 'session.started') as Record<string, unknown> | undefined;
    expect(started).toMatchObject({ review: expect.objectContaining({ enabled: false }) });
    expect(started?.['task']).toBe(task);
    expect(await stopDashboard(dash)).toBe(0);
    expect(await h.waitNoProcesses()).toEqual([]);
  });

  it('a port already taken is a usage error (exit 2) naming it, before any agent starts', async () => {
    const { createServer } = await import('node:net');
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as { port: number }).port;
    try {
      const h = world.harness();
      const exit = await h.run(['--port', String(port), '--no-review', TASK]);
      expect(exit.code).toBe(2);
      expect(exit.stderr).toContain(`--port: cannot listen on 127.0.0.1:${port}`);
      expect(h.sessionDirs()).toEqual([]);
    } finally {
      taken.close();
    }
  });
});
