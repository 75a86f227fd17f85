import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { JournalInput } from '../../session/journal-entry.js';
import { CONFIRM_ENV, formatEndpoint, type ConfirmEndpoint } from './endpoint.js';
import { ConfirmRequestSchema, type ConfirmAnswer, type ConfirmDecider, type ConfirmRequest } from './types.js';

/** The header a hook sends the session token in. */
export const TOKEN_HEADER = 'x-orchestrate-token';
/** The path requests are posted to. */
export const CONFIRM_PATH = '/confirm';
/** A request body larger than this is malformed (commands are at most 256 KiB). */
const MAX_BODY = 1024 * 1024;

export interface ConfirmBrokerOptions {
  decide: ConfirmDecider;
  journal: { append(input: JournalInput): unknown };
  /** The longest a decision may take; then the answer is deny, by timeout. */
  timeoutMs: number;
}

export interface ConfirmBroker {
  endpoint: ConfirmEndpoint;
  /** `{ ORCHESTRATE_CONFIRM: "127.0.0.1:<port>:<token>" }`, for the agent's environment. */
  env: Record<string, string>;
  /** Asks in process (the hook server lives in the supervisor too): journaled and bounded like a request. */
  ask(request: ConfirmRequest, signal?: AbortSignal): Promise<ConfirmAnswer>;
  close(): Promise<void>;
}

/**
 * Starts the session's confirm broker on 127.0.0.1 (ephemeral port, random token). The agents
 * share the host's network namespace inside bubblewrap, so their hooks reach it. Every request
 * is journaled (`safety.confirm_requested`, `safety.confirm_answered`); a wrong token, a
 * malformed request, an error or no decision within `timeoutMs` is a deny.
 */
export async function startConfirmBroker(options: ConfirmBrokerOptions): Promise<ConfirmBroker> {
  const token = randomBytes(24).toString('hex');
  const server = createServer((req, res) => void handle(req, res, token, options));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const endpoint: ConfirmEndpoint = { host: '127.0.0.1', port, token };
  return {
    endpoint,
    env: { [CONFIRM_ENV]: formatEndpoint(endpoint) },
    ask: (request, signal) => askJournaled(options, request, signal),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Hooks still waiting get a reset connection, which they treat as deny.
        server.closeAllConnections();
      }),
  };
}

async function handle(req: IncomingMessage, res: ServerResponse, token: string, options: ConfirmBrokerOptions): Promise<void> {
  const reply = (status: number, answer: ConfirmAnswer, error?: string): void => {
    if (res.writableEnded || res.destroyed) return;
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ ...answer, ...(error ? { error } : {}) }));
  };
  const refuse = (status: number, error: string): void => {
    options.journal.append({ type: 'safety.confirm_refused', reason: error });
    reply(status, { answer: 'deny', by: 'policy' }, error);
  };
  if (req.method !== 'POST' || req.url !== CONFIRM_PATH) return refuse(404, `unexpected ${req.method} ${req.url}`);
  if (!sameToken(req.headers[TOKEN_HEADER], token)) return refuse(403, 'wrong or missing token');
  let request: ConfirmRequest;
  try {
    request = ConfirmRequestSchema.parse(JSON.parse(await readBody(req)));
  } catch (error) {
    return refuse(400, `malformed request: ${(error as Error).message.split('\n')[0]}`);
  }
  const controller = new AbortController();
  // The hook gave up (its own bound, or it was killed): nobody needs the answer any more.
  res.on('close', () => controller.abort());
  reply(200, await askJournaled(options, request, controller.signal));
}

/** One confirmation, journaled as requested and answered. */
async function askJournaled(options: ConfirmBrokerOptions, request: ConfirmRequest, signal?: AbortSignal): Promise<ConfirmAnswer> {
  const about = {
    agent: request.agent,
    ...(request.assignment ? { assignment: request.assignment } : {}),
    command: request.command,
    rule: request.rule,
    reason: request.reason,
  };
  options.journal.append({ type: 'safety.confirm_requested', ...about });
  const controller = new AbortController();
  if (signal) signal.addEventListener('abort', () => controller.abort(), { once: true });
  const answer = await decideWithin(options, request, controller);
  options.journal.append({ type: 'safety.confirm_answered', ...about, answer: answer.answer, by: answer.by });
  return answer;
}

async function decideWithin(options: ConfirmBrokerOptions, request: ConfirmRequest, controller: AbortController): Promise<ConfirmAnswer> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<ConfirmAnswer>((resolve) => {
    timer = setTimeout(() => resolve({ answer: 'deny', by: 'timeout' }), options.timeoutMs);
  });
  const aborted = new Promise<ConfirmAnswer>((resolve) =>
    controller.signal.addEventListener('abort', () => resolve({ answer: 'deny', by: 'timeout' }), { once: true }),
  );
  try {
    const decided = options.decide(request, controller.signal).then(
      (a) => (a.answer === 'allow' ? a : { answer: 'deny' as const, by: a.by }),
      () => ({ answer: 'deny' as const, by: 'policy' as const }),
    );
    return await Promise.race([decided, timeout, aborted]);
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
}

function sameToken(header: string | string[] | undefined, token: string): boolean {
  if (typeof header !== 'string') return false;
  const a = Buffer.from(header);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reject(new Error('body too large'));
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
