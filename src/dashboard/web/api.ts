import path from 'node:path';
import { Hono } from 'hono';
import { CONTROL_ACTIONS, QUESTION_ID_PATTERN, type ControlAction } from '../../control/control-message.js';
import { awaitControlResponse, submitControlRequest, withdrawControlRequest } from '../../control/submit-request.js';
import { isAgentId } from '../../agents/agent-id.js';
import { sessionDiff } from '../../copy/session-diff.js';
import { UsageError } from '../../errors.js';
import type { JournalEntry } from '../../session/journal-entry.js';
import { journalFilter } from '../../session/journal-filter.js';
import { JournalTail } from '../../session/journal-tail.js';
import { listSessions, sessionIds } from '../../session/list-sessions.js';
import { sessionPaths, sessionsDir } from '../../session/paths.js';
import { collectFacts } from '../../session/session-facts.js';
import { loadSessionDetails } from '../../session/session-details.js';
import { readSessionRecord, type SessionRecord } from '../../session/session-record.js';
import { journalEvents, resumeAfter, type StreamHub } from './event-stream.js';
import type { QuestionBoard } from './question-board.js';
import { readQuestions } from './question-file.js';
import { StartError, startRequestSchema, type SessionStarter } from './start-session.js';

/** What the API serves from: the workspace on disk, plus what only the process running a session has. */
export interface ApiContext {
  workspace: string;
  version: string;
  /** The session this process is running (`orchestrate "<task>"` with its dashboard), if any. */
  liveSession?: () => string | undefined;
  /** The live session's open questions (confirm-class commands, escalations). */
  board?: QuestionBoard;
  /** Starts sessions for `POST /api/sessions`; absent where that is not offered. */
  starter?: SessionStarter;
  /** The event streams' shared feeds and the streams open now (the dashboard lets them finish before it closes). */
  streams?: StreamHub;
  /** How long a control request may wait for the supervisor (default 5 s, as `ctl`). */
  controlWaitMs?: number;
}

type Variables = { dir: string; id: string };

/** A diff larger than this is cut (the page says so; `orchestrate diff` prints it whole). */
const MAX_DIFF_CHARS = 2_000_000;

/**
 * The JSON API under `/api/` (docs/dashboard.md). Every route reads the session directory the
 * way `sessions`, `show` and `logs` do; control goes through the same request files as `ctl`.
 */
export function apiRoutes(ctx: ApiContext): Hono<{ Variables: Variables }> {
  const api = new Hono<{ Variables: Variables }>();
  const hub: StreamHub = ctx.streams ?? { feeds: new Map(), open: new Set() };

  api.get('/info', (c) =>
    c.json({ workspace: ctx.workspace, version: ctx.version, live: ctx.liveSession?.() ?? null, canStart: ctx.starter !== undefined }),
  );

  api.get('/sessions', (c) => c.json(listSessions(ctx.workspace).map(brief)));

  api.post('/sessions', async (c) => {
    if (!ctx.starter) return c.json({ error: 'this dashboard does not start sessions' }, 405);
    const parsed = startRequestSchema.safeParse(await c.req.json().catch(() => undefined));
    if (!parsed.success)
      return c.json({ error: parsed.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ') }, 400);
    try {
      return c.json(await ctx.starter.start(parsed.data), 201);
    } catch (error) {
      if (error instanceof StartError) return c.json({ error: error.message }, 422);
      throw error;
    }
  });

  // Only ids of this workspace's session directories: never a path from the request.
  api.use('/sessions/:id/*', async (c, next) => {
    const id = c.req.param('id');
    if (!sessionIds(ctx.workspace).includes(id)) return c.json({ error: `no session "${id}" in ${ctx.workspace}` }, 404);
    c.set('id', id);
    c.set('dir', path.join(sessionsDir(ctx.workspace), id));
    return next();
  });
  api.get('/sessions/:id', (c) => {
    const id = c.req.param('id');
    if (!sessionIds(ctx.workspace).includes(id)) return c.json({ error: `no session "${id}" in ${ctx.workspace}` }, 404);
    const dir = path.join(sessionsDir(ctx.workspace), id);
    const details = loadSessionDetails(dir);
    return c.json({ ...details, facts: collectFacts(readEntries(dir)), live: ctx.liveSession?.() === id });
  });

  api.get('/sessions/:id/journal', (c) => {
    const keep = journalFilter({ ...opt('agent', c.req.query('agent')), ...opt('type', c.req.query('type')) });
    const after = resumeAfter(c);
    return c.json(readEntries(c.get('dir')).filter((e) => e.seq > after && keep(e)));
  });

  api.get('/sessions/:id/events', (c) =>
    journalEvents(c, c.get('dir'), resumeAfter(c), { ...opt('agent', c.req.query('agent')), ...opt('type', c.req.query('type')) }, hub),
  );

  // the session copy's changes against its baseline: the same code as `orchestrate diff`
  api.get('/sessions/:id/diff', (c) => {
    const assignment = c.req.query('assignment');
    try {
      const d = sessionDiff(c.get('dir'), { ...(assignment ? { assignment } : {}), stat: c.req.query('stat') === '1' });
      const cut = d.text.length > MAX_DIFF_CHARS;
      return c.json({ ...d, text: cut ? d.text.slice(0, MAX_DIFF_CHARS) : d.text, truncated: cut });
    } catch (error) {
      if (error instanceof UsageError) return c.json({ error: error.message }, 409);
      throw error;
    }
  });

  api.get('/sessions/:id/agents', (c) => c.json(agentsOf(readEntries(c.get('dir')))));

  api.get('/sessions/:id/stats', (c) => {
    const d = loadSessionDetails(c.get('dir'));
    const done = d.assignments.filter((a) => !['pending', 'running'].includes(a.status)).length;
    return c.json({
      state: d.state,
      assignments: { done, total: d.assignments.length },
      agents: d.agents,
      // null when some usage had no price: unknown, never a sum that counts it as 0
      costUsd: d.spend.total.costUsd,
      spend: d.spend,
      counts: d.counts,
    });
  });

  api.post('/sessions/:id/control', async (c) => {
    const body = (await c.req.json().catch(() => undefined)) as { action?: unknown; agent?: unknown } | undefined;
    const action = body?.action;
    if (typeof action !== 'string' || !(CONTROL_ACTIONS as readonly string[]).includes(action)) {
      return c.json({ error: `action: use one of ${CONTROL_ACTIONS.join(', ')}` }, 400);
    }
    const agent = body?.agent;
    if (agent !== undefined && (typeof agent !== 'string' || !isAgentId(agent)))
      return c.json({ error: 'agent: use claude, gemini or codex' }, 400);
    const record = listSessions(ctx.workspace).find((s) => s.id === c.get('id'));
    if (record?.state !== 'running')
      return c.json({ error: `session ${c.get('id')} is not running (it is ${record?.state ?? 'unknown'})` }, 409);
    const controlDir = sessionPaths(c.get('dir')).controlDir;
    const request = submitControlRequest(controlDir, { action: action as ControlAction, ...(agent ? { agent } : {}) });
    const response = await awaitControlResponse(controlDir, request.id, { timeoutMs: ctx.controlWaitMs ?? 5000 });
    if (response) return c.json(response);
    const withdrawn = withdrawControlRequest(controlDir, request.id);
    return c.json(
      {
        id: request.id,
        action,
        result: 'timeout',
        message: withdrawn
          ? 'the supervisor did not answer; the request was withdrawn'
          : 'the supervisor took the request but did not answer yet',
      },
      504,
    );
  });

  // The open questions: this process's own (a run's dashboard), else what the running session mirrors to questions.json.
  api.get('/sessions/:id/questions', (c) => {
    if (ctx.board && ctx.liveSession?.() === c.get('id')) return c.json(ctx.board.list());
    // one session.json, not the whole list: the page asks every 1.5 s while a session runs
    return c.json(readSessionRecord(c.get('dir')).state === 'running' ? readQuestions(sessionPaths(c.get('dir')).questions) : []);
  });

  api.post('/sessions/:id/questions/:qid', async (c) => {
    const body = (await c.req.json().catch(() => undefined)) as { answer?: unknown } | undefined;
    const answer =
      body?.answer === 'yes' || body?.answer === 'allow' ? 'yes' : body?.answer === 'no' || body?.answer === 'deny' ? 'no' : undefined;
    if (!answer) return c.json({ error: 'answer: use yes (allow once) or no (deny)' }, 400);
    const qid = c.req.param('qid');
    const gone = 'no such open question (answered elsewhere, withdrawn or timed out)';
    if (ctx.board && ctx.liveSession?.() === c.get('id')) {
      if (!ctx.board.answer(qid, answer)) return c.json({ error: gone }, 409);
      return c.json({ answered: qid, answer });
    }
    // another process runs the session: the answer goes through its control files, as `ctl` does
    if (!QUESTION_ID_PATTERN.test(qid)) return c.json({ error: gone }, 409);
    const record = listSessions(ctx.workspace).find((s) => s.id === c.get('id'));
    if (record?.state !== 'running')
      return c.json({ error: `session ${c.get('id')} is not running (it is ${record?.state ?? 'unknown'})` }, 409);
    const controlDir = sessionPaths(c.get('dir')).controlDir;
    const request = submitControlRequest(controlDir, { action: 'answer', question: qid, answer });
    const response = await awaitControlResponse(controlDir, request.id, { timeoutMs: ctx.controlWaitMs ?? 5000 });
    if (!response) {
      const withdrawn = withdrawControlRequest(controlDir, request.id);
      return c.json(
        {
          error: `the supervisor did not answer in time; ${withdrawn ? 'the request was withdrawn' : 'it took the request but did not answer yet'}`,
        },
        504,
      );
    }
    if (response.result !== 'done') return c.json({ error: response.message }, 409);
    return c.json({ answered: qid, answer });
  });

  // The agents and what the newest session that probed them found.
  api.get('/agents', (c) => {
    for (const s of listSessions(ctx.workspace)) {
      const probes = agentsOf(readEntries(s.dir));
      if (probes.length) return c.json({ session: s.id, agents: probes });
    }
    return c.json({ session: null, agents: [] });
  });

  return api;
}

/** A session as listed: what `orchestrate sessions` shows (not the whole state). */
function brief(s: SessionRecord): Omit<SessionRecord, 'session' | 'summary'> {
  const { session: _s, summary: _m, ...rest } = s;
  return rest;
}

function readEntries(dir: string): JournalEntry[] {
  return new JournalTail(sessionPaths(dir).events).read().lines.map((l) => l.entry);
}

function agentsOf(entries: JournalEntry[]): JournalEntry[] {
  return entries.filter((e) => e.type === 'agent.probe');
}

function opt<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value ? ({ [key]: value } as Record<K, string>) : {};
}
