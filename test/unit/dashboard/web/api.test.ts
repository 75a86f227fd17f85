import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { QuestionBoard } from '../../../../src/dashboard/web/question-board.js';
import { dashboardApp } from '../../../../src/dashboard/web/server.js';

// The dashboard's app without a socket (Hono's app.request): the front door and the API over a
// hand-made session directory.
const TOKEN = 'a'.repeat(32);
const PORT = 4321;
const ID = '20261205-120000-abcd';
let workspace: string;
let board: QuestionBoard;
let app: ReturnType<typeof dashboardApp>;

function entries(): object[] {
  const t = '2026-12-05T12:00:00.000Z';
  return [
    { seq: 1, time: t, type: 'session.started', sessionId: ID, task: 'the task', pid: 1 },
    { seq: 2, time: t, type: 'agent.probe', agent: 'claude', available: true, version: '2.0.0' },
    { seq: 3, time: t, type: 'agent.message', agent: 'claude', assignment: 'a', text: 'hello' },
    { seq: 4, time: t, type: 'safety.violation', agent: 'claude', assignment: 'a', command: 'rm -rf /', reason: 'no' },
  ];
}

beforeEach(() => {
  workspace = mkdtempSync(path.join(os.tmpdir(), 'orch-dash-unit-'));
  const dir = path.join(workspace, 'sessions', ID);
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    path.join(dir, 'session.json'),
    JSON.stringify({
      version: 1,
      id: ID,
      task: 'the task',
      target: '/t',
      workspace,
      state: 'completed',
      startedAt: '2026-12-05T12:00:00.000Z',
      supervisorPid: 1,
      agents: ['claude'],
      processes: [],
      assignments: {},
      options: {},
    }),
  );
  writeFileSync(
    path.join(dir, 'events.jsonl'),
    entries()
      .map((e) => JSON.stringify(e))
      .join('\n') + '\n',
  );
  board = new QuestionBoard();
  app = dashboardApp({ workspace, version: 'test', token: TOKEN, port: () => PORT, board, liveSession: () => ID });
});
afterEach(() => rmSync(workspace, { recursive: true, force: true }));

const get = (p: string, headers: Record<string, string> = {}): Promise<Response> =>
  Promise.resolve(app.request(`http://127.0.0.1:${PORT}${p}`, { headers: { host: `127.0.0.1:${PORT}`, ...headers } }));
const post = (p: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> =>
  Promise.resolve(
    app.request(`http://127.0.0.1:${PORT}${p}`, {
      method: 'POST',
      body: JSON.stringify(body),
      headers: { host: `127.0.0.1:${PORT}`, 'x-orchestrate-token': TOKEN, 'content-type': 'application/json', ...headers },
    }),
  );

describe('the front door', () => {
  it('refuses without the token (401) and with a wrong one (403), for the page, its files and the API', async () => {
    for (const p of ['/', '/assets/app.js', '/api/sessions', `/api/sessions/${ID}/events`]) {
      expect((await get(p)).status, p).toBe(401);
      expect((await get(p, { 'x-orchestrate-token': 'b'.repeat(32) })).status, p).toBe(403);
      expect((await get(`${p}${p.includes('?') ? '&' : '?'}token=${'a'.repeat(31)}`)).status, p).toBe(403);
    }
  });

  it('refuses a foreign Host (DNS rebinding) and a foreign Origin, even with the token', async () => {
    const auth = { 'x-orchestrate-token': TOKEN };
    expect((await get('/api/sessions', { ...auth, host: `evil.example:${PORT}` })).status).toBe(403);
    expect((await get('/api/sessions', { ...auth, host: '127.0.0.1:9999' })).status).toBe(403);
    expect((await get('/api/sessions', { ...auth, origin: 'http://evil.example' })).status).toBe(403);
    expect((await get('/api/sessions', { ...auth, origin: 'null' })).status).toBe(403);
    expect((await get('/api/sessions', { ...auth, origin: `http://127.0.0.1:${PORT}` })).status).toBe(200);
    expect((await get('/api/sessions', { ...auth, host: `localhost:${PORT}` })).status).toBe(200);
  });

  it('takes the token as a header, a bearer or ?token=; answers with no CORS and a strict policy', async () => {
    for (const res of [
      await get('/api/sessions', { 'x-orchestrate-token': TOKEN }),
      await get('/api/sessions', { authorization: `Bearer ${TOKEN}` }),
      await get(`/api/sessions?token=${TOKEN}`),
    ]) {
      expect(res.status).toBe(200);
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
      expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    }
  });

  it('refuses a POST that is not JSON (a cross-site form cannot send JSON without a preflight)', async () => {
    expect((await post(`/api/sessions/${ID}/control`, { action: 'pause' }, { 'content-type': 'text/plain' })).status).toBe(415);
  });

  it('puts the token into the page only through its own asset URLs', async () => {
    const html = await (await get(`/?token=${TOKEN}`)).text();
    expect(html).toContain(`/assets/app.js?token=${TOKEN}`);
  });
});

describe('the API', () => {
  const auth = { 'x-orchestrate-token': TOKEN };

  it('lists sessions without their whole state, and names only session ids of the workspace', async () => {
    const list = (await (await get('/api/sessions', auth)).json()) as Array<Record<string, unknown>>;
    expect(list).toEqual([expect.objectContaining({ id: ID, state: 'completed', task: 'the task' })]);
    expect(list[0]).not.toHaveProperty('session');
    expect((await get('/api/sessions/..%2F..%2Fetc', auth)).status).toBe(404);
    expect((await get('/api/sessions/nope/journal', auth)).status).toBe(404);
  });

  it('gives one session with its facts, its journal filtered as `logs`, its agents and stats', async () => {
    const one = (await (await get(`/api/sessions/${ID}`, auth)).json()) as { id: string; facts: { violations: unknown[] } };
    expect(one.id).toBe(ID);
    expect(one.facts.violations).toEqual([expect.objectContaining({ command: 'rm -rf /' })]);
    const journal = (await (await get(`/api/sessions/${ID}/journal?type=agent.`, auth)).json()) as Array<{ seq: number }>;
    expect(journal.map((e) => e.seq)).toEqual([2, 3]);
    const after = (await (await get(`/api/sessions/${ID}/journal?after=2`, auth)).json()) as Array<{ seq: number }>;
    expect(after.map((e) => e.seq)).toEqual([3, 4]);
    expect(await (await get(`/api/sessions/${ID}/agents`, auth)).json()).toEqual([
      expect.objectContaining({ agent: 'claude', version: '2.0.0' }),
    ]);
    expect(await (await get(`/api/sessions/${ID}/stats`, auth)).json()).toMatchObject({
      state: 'completed',
      counts: { entries: 4, violations: 1 },
    });
  });

  it('refuses control of a session that is not running, and unknown actions', async () => {
    expect((await post(`/api/sessions/${ID}/control`, { action: 'explode' })).status).toBe(400);
    expect((await post(`/api/sessions/${ID}/control`, { action: 'pause', agent: 'gpt' })).status).toBe(400);
    expect((await post(`/api/sessions/${ID}/control`, { action: 'pause' })).status).toBe(409);
  });

  it("answers the live session's open question once; a second answer finds it gone", async () => {
    const asked = board.ask({ kind: 'confirm', question: 'allow this command for claude?', detail: 'git push' });
    const [q] = (await (await get(`/api/sessions/${ID}/questions`, auth)).json()) as Array<{ id: string; kind: string }>;
    expect(q).toMatchObject({ kind: 'confirm', question: 'allow this command for claude?' });
    expect((await post(`/api/sessions/${ID}/questions/${q!.id}`, { answer: 'maybe' })).status).toBe(400);
    expect((await post(`/api/sessions/${ID}/questions/${q!.id}`, { answer: 'allow' })).status).toBe(200);
    expect(await asked).toBe('yes');
    expect((await post(`/api/sessions/${ID}/questions/${q!.id}`, { answer: 'deny' })).status).toBe(409);
    expect(await (await get(`/api/sessions/${ID}/questions`, auth)).json()).toEqual([]);
  });

  it('does not start sessions where no starter was given', async () => {
    expect((await post('/api/sessions', { task: 'x' })).status).toBe(405);
  });
});
