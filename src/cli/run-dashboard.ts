import path from 'node:path';
import { askPerson } from '../interact/ask-person.js';
import { QuestionBoard, type QuestionKind } from '../dashboard/web/question-board.js';
import { publishQuestions } from '../dashboard/web/question-file.js';
import type { Dashboard } from '../dashboard/web/server.js';
import type { Journal } from '../session/journal.js';
import type { SessionPaths } from '../session/paths.js';
import { parsePort } from './commands/dashboard.js';
import { ORCHESTRATE_BIN } from '../paths.js';
import { UsageError } from '../errors.js';
import type { Io } from './io.js';

/** How long a person has to answer, at the terminal or on the page (as the terminal prompt always had). */
export const ANSWER_TIMEOUT_MS = 120_000;

/** The dashboard of one `orchestrate "<task>"` run: serves the workspace, answers the run's questions. */
export interface RunDashboard {
  url: string;
  board: QuestionBoard;
  /** Called from `onJournal`: the page opens this session, and answers given there are journaled. */
  attach(journal: Journal, paths: SessionPaths): void;
  close(): Promise<void>;
}

/**
 * Whether a run gets a dashboard: in a terminal by default (`--no-dashboard` turns it off);
 * headless (CI, `--json`, no TTY) only when `--port` asks for one.
 */
export function wantsDashboard(flags: { port?: string; dashboard?: boolean }, headless: boolean): boolean {
  return flags.dashboard !== false && (flags.port !== undefined || !headless);
}

/** The questions a run has open for a person, answerable from any dashboard of the workspace. */
export interface RunQuestions {
  board: QuestionBoard;
  /** Called from `onJournal`: answers given on a page are journaled, and the open questions mirrored to `questions.json`. */
  attach(journal: Journal, paths: SessionPaths): void;
  close(): void;
}

export function openRunQuestions(): RunQuestions {
  const board = new QuestionBoard();
  let unpublish: (() => void) | undefined;
  return {
    board,
    attach: (journal, paths) => {
      // answers given on a page are journaled beside the entries the session writes for any answer
      board.onAnswer = (q, answer) => journal.append({ type: 'dashboard.answered', question: q.question, kind: q.kind, answer });
      unpublish = publishQuestions(board, paths.questions, (error) =>
        journal.append({ type: 'control.error', message: `questions.json: ${error.message}` }),
      );
    },
    close: () => unpublish?.(),
  };
}

export async function startRunDashboard(opts: {
  port?: string;
  workspace: string;
  target: string;
  config?: string;
  io: Io;
  version: string;
  board: QuestionBoard;
}): Promise<RunDashboard> {
  const { board } = opts;
  // loaded here, not at start-up: a headless run has no page, and the server's modules (hono) cost CPU
  const [{ startDashboard }, { SessionStarter }] = await Promise.all([
    import('../dashboard/web/server.js'),
    import('../dashboard/web/start-session.js'),
  ]);
  let sessionId: string | undefined;
  const starter = new SessionStarter({
    bin: ORCHESTRATE_BIN,
    baseArgs: [
      '--target',
      opts.target,
      '--workspace',
      opts.workspace,
      ...(opts.config ? ['--config', path.resolve(opts.io.cwd, opts.config)] : []),
    ],
    workspace: opts.workspace,
    cwd: opts.target,
    env: opts.io.env,
  });
  const port = parsePort(opts.port);
  let dashboard: Dashboard;
  try {
    dashboard = await startDashboard({
      port,
      workspace: opts.workspace,
      version: opts.version,
      board,
      starter,
      liveSession: () => sessionId,
      unref: true,
    });
  } catch (error) {
    throw new UsageError(
      `--port: cannot listen on 127.0.0.1:${port}: ${(error as Error).message}`,
      'choose another port, 0 for a free one, or --no-dashboard',
    );
  }
  return {
    url: dashboard.url,
    board,
    attach: (_journal, paths) => {
      sessionId = path.basename(paths.root);
    },
    close: async () => {
      await starter.close();
      // the page still gets the session's last entries, through session.completed
      await dashboard.close({ drainMs: 5000 });
    },
  };
}

/** One question for a person, from the session: what to ask and who may answer. */
export interface AskAnywhere {
  kind: QuestionKind;
  question: string;
  detail?: string;
  signal?: AbortSignal;
  /** The terminal, when a person can type there (both ends are TTYs). */
  terminal?: { input: NodeJS.ReadableStream; output: NodeJS.WritableStream; before?: () => void; after?: () => void };
  board?: QuestionBoard;
}

/**
 * Asks at the terminal and on the dashboard at once; the first answer wins and withdraws the
 * question from the other. `timeout` when nobody answered in ANSWER_TIMEOUT_MS or the asker gave up.
 */
export async function askAnywhere(q: AskAnywhere): Promise<'yes' | 'no' | 'timeout'> {
  const settled = new AbortController();
  const signal = q.signal ? AbortSignal.any([q.signal, settled.signal]) : settled.signal;
  const answers: Array<Promise<'yes' | 'no' | 'timeout' | undefined>> = [];
  let timer: NodeJS.Timeout | undefined;
  answers.push(new Promise((resolve) => (timer = setTimeout(() => resolve('timeout'), ANSWER_TIMEOUT_MS))));
  if (q.signal) answers.push(new Promise((resolve) => q.signal?.addEventListener('abort', () => resolve('timeout'), { once: true })));
  if (q.board)
    answers.push(
      q.board
        .ask({ kind: q.kind, question: q.question, ...(q.detail ? { detail: q.detail } : {}) }, signal)
        .then((a) => (a === 'withdrawn' ? never() : a)),
    );
  if (q.terminal) {
    const t = q.terminal;
    t.before?.();
    answers.push(
      askPerson({
        question: q.question,
        ...(q.detail ? { detail: q.detail } : {}),
        defaultAnswer: 'no',
        timeoutMs: ANSWER_TIMEOUT_MS,
        input: t.input,
        output: t.output,
        signal,
        withdrawnNote: '\n(answered on the dashboard, or withdrawn)\n',
      })
        // withdrawn because the page answered: that answer wins, not this "timeout"
        .then((a) => (a === 'timeout' && settled.signal.aborted ? never<'yes' | 'no' | 'timeout'>() : a))
        .finally(() => t.after?.()),
    );
  }
  try {
    return (await Promise.race(answers)) ?? 'timeout';
  } finally {
    clearTimeout(timer);
    settled.abort();
  }
}

function never<T>(): Promise<T> {
  return new Promise<T>(() => undefined);
}
