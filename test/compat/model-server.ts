// A scripted local model server for the real-CLI compatibility suite (docs/compat.md).
//
// It speaks just enough of three vendor APIs for the real CLIs to run headless against it:
//   Anthropic Messages  POST /s/<scenario>/v1/messages[?beta=true]               (claude)
//   OpenAI Responses    POST /s/<scenario>/v1/responses                          (codex)
//   Gemini              POST /s/<scenario>/v1beta/models/<m>:streamGenerateContent?alt=sse (gemini)
// The `/s/<scenario>` prefix picks the script, so one server serves many concurrent agents.
//
// Replies are decided statelessly from the conversation, like the lab's server that made
// fixtures/streams (shared/agents/REFERENCE.md §4): the reply to a conversation holding n tool
// results is turn n of the scenario (the last turn repeats). A turn the request cannot take (its
// tool is not offered, or the request offers no tools at all) is answered with the final text.
//
// Node `http` only, 127.0.0.1 only, ephemeral port. Every request is logged (secrets redacted) and
// can be read back with `server.requests(scenario)`. Requests in proxy form (absolute URL or
// CONNECT) to any other host are refused and recorded in `server.egress()`: point HTTP(S)_PROXY at
// the server and that list shows any attempt of a CLI to reach the internet.

import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { isAbsolute, join } from 'node:path';

export type Api = 'anthropic' | 'openai' | 'gemini';

/** What the model does on one turn. A function turn is decided per request. */
export type Turn =
  /** The CLI's shell tool: claude `Bash`, codex `exec_command` (or `shell`), gemini `run_shell_command`. */
  | { shell: string }
  /** The CLI's file tool creating a file: claude `Write`, codex `apply_patch` (custom tool), gemini `write_file`.
   * A relative path is made absolute with the cwd found in the request where the tool needs it. */
  | { write: { path: string; content: string } }
  /** Final text. If the request demands structured output, the scenario's `structured` value
   * (or a value made from the request's schema) is answered instead. */
  | { text: string }
  /** Structured final answer: claude calls `StructuredOutput` when offered, otherwise JSON text. */
  | { structured: unknown }
  /** An HTTP error with the vendor's JSON error body; 429 carries `retry-after`. */
  | { error: number; message?: string; retryAfter?: number }
  /** SSE headers, then nothing until the client goes away or the server closes. */
  | { hang: true }
  | ((ctx: TurnContext) => Turn);

export interface Scenario {
  /** turns[n] answers a conversation holding n tool results; the last one repeats. */
  turns: Turn[];
  /** Per-API turns replacing `turns` (the recordings' `schema` differs between claude and codex). */
  byApi?: Partial<Record<Api, Turn[]>>;
  /** Answer to requests that cannot take the scripted turn. Default `All done: the command ran.` */
  finalText?: string;
  /** Value answered when a request demands structured output on a text turn. */
  structured?: unknown;
}

export interface TurnContext {
  api: Api;
  scenario: string;
  /** Parsed JSON body. */
  body: Record<string, unknown>;
  /** Tool results already in the conversation. */
  toolResults: number;
  /** Names of the tools the request offers. */
  tools: string[];
  /** Working directory of the agent, when the request tells it. */
  cwd: string | undefined;
  /** 0-based index of this request among the scenario's requests. */
  requestIndex: number;
}

export interface LoggedRequest {
  seq: number;
  scenario: string;
  api: Api | 'unknown';
  method: string;
  /** Path after the `/s/<scenario>` prefix, with the query string. */
  path: string;
  /** Headers with secrets (keys, tokens, cookies) replaced by `<redacted>`. */
  headers: Record<string, string>;
  /** Parsed JSON body, or the raw text if it is not JSON. */
  body: unknown;
  /** What the server answered: `tool:<name>`, `text`, `structured`, `error:<status>`, `hang`, `count_tokens`, `404`. */
  reply: string;
  toolResults: number;
  tools: string[];
  cwd: string | undefined;
  /** The request came in proxy form (absolute URL naming this server). */
  viaProxy: boolean;
}

export interface EgressAttempt {
  method: string;
  target: string;
}

export const FINAL_TEXT = 'All done: the command ran.';

/** The lab's scenarios (REFERENCE.md §4). Tests may add their own with `server.register`. */
export const SCENARIOS: Record<string, Scenario> = {
  ok: { turns: [{ shell: 'echo hello > out.txt' }, { text: FINAL_TEXT }] },
  deny: { turns: [{ shell: 'rm -f out.txt' }, { text: FINAL_TEXT }] },
  fail: { turns: [{ shell: 'ls /nonexistent-dir-xyz' }, { text: FINAL_TEXT }] },
  patch: { turns: [{ write: { path: 'hello.txt', content: 'hello\n' } }, { text: FINAL_TEXT }] },
  text: { turns: [{ text: FINAL_TEXT }] },
  /** Recorded: claude answers with StructuredOutput at once; codex runs the shell step, then JSON. */
  schema: {
    turns: [{ shell: 'echo hello > out.txt' }, { structured: { status: 'fake' } }],
    byApi: { anthropic: [{ structured: { status: 'fake' } }] },
    structured: { status: 'fake' },
  },
  err500: { turns: [{ error: 500 }] },
  err429: { turns: [{ error: 429, retryAfter: 1 }] },
  hang: { turns: [{ hang: true }] },
};

const SECRET_HEADERS = /^(authorization|x-api-key|x-goog-api-key|cookie|proxy-authorization|api-key)$/i;
const USAGE = { input: 100, output: 20 };

export interface ModelServer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  /** The base URL a CLI is given for a scenario: claude and gemini `<url>/s/<sc>`, codex `<url>/s/<sc>/v1`. */
  baseUrl(cli: 'claude' | 'codex' | 'gemini', scenario: string): string;
  /** Adds or replaces a scenario at runtime. */
  register(name: string, scenario: Scenario): void;
  /** Logged requests, all or those of one scenario, in arrival order. */
  requests(scenario?: string): LoggedRequest[];
  /** Requests in proxy form to hosts other than this server (each was refused). */
  egress(): EgressAttempt[];
  close(): Promise<void>;
}

export async function startModelServer(
  opts: { scenarios?: Record<string, Scenario>; log?: (line: string) => void } = {},
): Promise<ModelServer> {
  const scenarios = new Map<string, Scenario>(Object.entries({ ...SCENARIOS, ...opts.scenarios }));
  const log: LoggedRequest[] = [];
  const egress: EgressAttempt[] = [];
  const sockets = new Set<Socket>();
  let seq = 0;
  let selfHost = '';

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      try {
        handle(req, res, Buffer.concat(chunks).toString('utf8'));
      } catch (e) {
        sendJson(res, 500, { error: { message: `model-server bug: ${(e as Error).stack ?? e}` } });
      }
    });
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  // CONNECT is how an HTTPS request goes through a proxy: every one is an egress attempt.
  server.on('connect', (req: IncomingMessage, socket: Socket) => {
    egress.push({ method: 'CONNECT', target: req.url ?? '' });
    opts.log?.(`[model-server] refused egress CONNECT ${req.url}`);
    socket.end('HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\n\r\n');
  });

  function handle(req: IncomingMessage, res: ServerResponse, raw: string): void {
    let url = req.url ?? '/';
    const viaProxy = /^[a-z]+:\/\//i.test(url);
    if (viaProxy) {
      const u = new URL(url);
      if (u.host !== selfHost && u.host !== `localhost:${selfHost.split(':')[1]}`) {
        egress.push({ method: req.method ?? '', target: url });
        opts.log?.(`[model-server] refused egress ${req.method} ${url}`);
        sendJson(res, 403, { error: { message: 'egress refused by the compat model server' } });
        return;
      }
      url = u.pathname + u.search;
    }
    const m = /^\/s\/([^/?]+)(\/[^?]*)?(\?.*)?$/.exec(url);
    const scenarioName = m ? decodeURIComponent(m[1] ?? '') : '';
    const path = m ? `${m[2] ?? '/'}${m[3] ?? ''}` : url;
    const pathname = m ? (m[2] ?? '/') : (url.split('?')[0] ?? url);
    let body: unknown = raw;
    try {
      body = raw ? JSON.parse(raw) : {};
    } catch {
      // keep the raw text
    }
    const api = apiOf(req.method ?? 'GET', pathname);
    const obj = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
    const entry: LoggedRequest = {
      seq: seq++,
      scenario: scenarioName,
      api: api?.api ?? 'unknown',
      method: req.method ?? '',
      path,
      headers: redact(req.headers),
      body,
      reply: '404',
      toolResults: api ? countToolResults(api.api, obj) : 0,
      tools: api ? toolNames(api.api, obj) : [],
      cwd: api ? findCwd(api.api, obj) : undefined,
      viaProxy,
    };
    log.push(entry);
    opts.log?.(`[model-server] ${entry.method} /s/${scenarioName}${path}`);

    const scenario = scenarios.get(scenarioName);
    if (!api || !scenario) {
      sendJson(res, 404, {
        error: {
          message: scenario ? `no route for ${req.method} ${pathname}` : `unknown scenario "${scenarioName}"`,
        },
      });
      return;
    }
    if (api.kind === 'count') {
      entry.reply = 'count_tokens';
      if (api.api === 'gemini') sendJson(res, 200, { totalTokens: USAGE.input });
      else sendJson(res, 200, { input_tokens: USAGE.input });
      return;
    }

    const ctx: TurnContext = {
      api: api.api,
      scenario: scenarioName,
      body: obj,
      toolResults: entry.toolResults,
      tools: entry.tools,
      cwd: entry.cwd,
      requestIndex: log.filter((r) => r.scenario === scenarioName && r.api === api.api).length - 1,
    };
    const plan = planReply(scenario, ctx);
    entry.reply = plan.label;
    const stream = api.kind === 'stream' || (api.api === 'anthropic' && obj.stream === true);
    if (plan.kind === 'error') return sendError(res, api.api, plan.status, plan.message, plan.retryAfter);
    if (plan.kind === 'hang') {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      res.flushHeaders();
      return;
    }
    const id = `${scenarioName}_${entry.seq}`;
    if (api.api === 'anthropic') return replyAnthropic(res, plan, id, String(obj.model ?? 'claude-opus-5-5'), stream);
    if (api.api === 'openai') return replyOpenAI(res, plan, id, String(obj.model ?? 'gpt-5.5'), stream);
    return replyGemini(res, plan, api.model ?? 'gemini-2.5-flash', stream);
  }

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolveListen());
  });
  const port = (server.address() as AddressInfo).port;
  selfHost = `127.0.0.1:${port}`;
  const url = `http://${selfHost}`;

  return {
    url,
    port,
    baseUrl(cli, scenario) {
      const base = `${url}/s/${encodeURIComponent(scenario)}`;
      return cli === 'codex' ? `${base}/v1` : base;
    },
    register(name, scenario) {
      scenarios.set(name, scenario);
    },
    requests(scenario) {
      return scenario === undefined ? [...log] : log.filter((r) => r.scenario === scenario);
    },
    egress() {
      return [...egress];
    },
    close() {
      return new Promise<void>((resolveClose) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolveClose());
      });
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Routing and request inspection

type Route = { api: Api; kind: 'stream' | 'plain' | 'count'; model?: string } | undefined;

function apiOf(method: string, pathname: string): Route {
  if (method !== 'POST') return undefined;
  if (/^(\/v1)?\/messages\/count_tokens\/?$/.test(pathname)) return { api: 'anthropic', kind: 'count' };
  if (/^(\/v1)?\/messages\/?$/.test(pathname)) return { api: 'anthropic', kind: 'plain' };
  if (/^(\/v1)?\/responses\/?$/.test(pathname)) return { api: 'openai', kind: 'stream' };
  const g = /^\/v1(?:beta|alpha|)?\/models\/([^/:]+):(streamGenerateContent|generateContent|countTokens)$/.exec(pathname);
  if (g) {
    const kind = g[2] === 'streamGenerateContent' ? 'stream' : g[2] === 'countTokens' ? 'count' : 'plain';
    return { api: 'gemini', kind, model: decodeURIComponent(g[1] ?? '') };
  }
  return undefined;
}

function redact(h: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) {
    if (v === undefined) continue;
    out[k] = SECRET_HEADERS.test(k) ? '<redacted>' : Array.isArray(v) ? v.join(', ') : v;
  }
  return out;
}

function arr(v: unknown): Record<string, unknown>[] {
  return Array.isArray(v) ? (v.filter((x) => x && typeof x === 'object') as Record<string, unknown>[]) : [];
}

function countToolResults(api: Api, body: Record<string, unknown>): number {
  let n = 0;
  if (api === 'anthropic') {
    for (const m of arr(body.messages)) for (const c of arr(m.content)) if (c.type === 'tool_result') n++;
  } else if (api === 'openai') {
    for (const item of arr(body.input)) if (typeof item.type === 'string' && item.type.endsWith('call_output')) n++;
  } else {
    for (const c of arr(body.contents)) for (const p of arr(c.parts)) if (p.functionResponse) n++;
  }
  return n;
}

function toolNames(api: Api, body: Record<string, unknown>): string[] {
  const names: string[] = [];
  if (api === 'gemini') {
    for (const t of arr(body.tools)) for (const d of arr(t.functionDeclarations)) names.push(String(d.name));
    return names;
  }
  for (const t of arr(body.tools)) {
    const fn = t.function as Record<string, unknown> | undefined;
    if (typeof t.name === 'string') names.push(t.name);
    else if (fn && typeof fn.name === 'string') names.push(fn.name);
    else if (typeof t.type === 'string') names.push(t.type);
    // Responses API namespaces group function tools.
    for (const sub of arr(t.tools)) if (typeof sub.name === 'string') names.push(sub.name);
  }
  return names;
}

/** Finds the agent's working directory in the text each CLI sends about its environment. */
function findCwd(api: Api, body: Record<string, unknown>): string | undefined {
  const text = JSON.stringify(
    api === 'anthropic'
      ? [body.system, body.messages]
      : api === 'openai'
        ? [body.instructions, body.input]
        : [body.systemInstruction, body.contents],
  );
  const patterns = [
    /<cwd>([^<]+)<\/cwd>/, // codex environment_context
    /Primary working directory: ([^\\\n]+)/, // claude
    /Working directory: ([^\\\n]+)/, // claude (older wording)
    /working in the directory: ([^\\\n]+)/i, // gemini
    /Workspace Directories?:[^/]*?(\/[^\\\n]+)/, // gemini session context
  ];
  for (const p of patterns) {
    const m = p.exec(text);
    const dir = m?.[1]?.trim().replace(/[.,]$/, '');
    if (dir && isAbsolute(dir)) return dir;
  }
  return undefined;
}

/** The JSON schema the request wants the final answer to follow, if any. */
function demandedSchema(ctx: TurnContext): Record<string, unknown> | undefined {
  if (ctx.api === 'anthropic') {
    const t = arr(ctx.body.tools).find((x) => x.name === 'StructuredOutput');
    return t ? ((t.input_schema as Record<string, unknown>) ?? {}) : undefined;
  }
  if (ctx.api === 'openai') {
    const format = ((ctx.body.text as Record<string, unknown> | undefined)?.format ?? undefined) as Record<string, unknown> | undefined;
    return format?.type === 'json_schema' ? ((format.schema as Record<string, unknown>) ?? {}) : undefined;
  }
  const gc = (ctx.body.generationConfig ?? {}) as Record<string, unknown>;
  const schema = gc.responseJsonSchema ?? gc.responseSchema;
  return schema && typeof schema === 'object' ? (schema as Record<string, unknown>) : undefined;
}

/** A value that satisfies simple JSON schemas (objects, arrays, enums, scalars). */
export function sampleFromSchema(schema: unknown): unknown {
  const s = (schema && typeof schema === 'object' ? schema : {}) as Record<string, unknown>;
  if ('const' in s) return s.const;
  if (Array.isArray(s.enum) && s.enum.length > 0) return s.enum[0];
  const anyOf = (s.anyOf ?? s.oneOf) as unknown[] | undefined;
  if (Array.isArray(anyOf) && anyOf.length > 0) return sampleFromSchema(anyOf[0]);
  const type = String(Array.isArray(s.type) ? s.type[0] : (s.type ?? (s.properties ? 'object' : 'string'))).toLowerCase();
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      const props = (s.properties ?? {}) as Record<string, unknown>;
      for (const [k, v] of Object.entries(props)) out[k] = sampleFromSchema(v);
      return out;
    }
    case 'array':
      return [];
    case 'number':
    case 'integer':
      return 0;
    case 'boolean':
      return true;
    case 'null':
      return null;
    default:
      return 'fake';
  }
}

// ---------------------------------------------------------------------------------------------
// Deciding the reply

/** A tool-call answer; its log label is derived from the tool's name. */
function toolCall(name: string, input: Record<string, unknown>): Plan {
  return { kind: 'tool', name, input, label: `tool:${name}` };
}

type Plan =
  | { kind: 'text'; text: string; label: string }
  | { kind: 'tool'; name: string; input: Record<string, unknown>; label: string }
  | { kind: 'custom'; name: string; input: string; label: string }
  | {
      kind: 'error';
      status: number;
      message: string;
      retryAfter: number | undefined;
      label: string;
    }
  | { kind: 'hang'; label: string };

function planReply(scenario: Scenario, ctx: TurnContext): Plan {
  const turns = scenario.byApi?.[ctx.api] ?? scenario.turns;
  let turn: Turn = turns[Math.min(ctx.toolResults, turns.length - 1)] ?? {
    text: scenario.finalText ?? FINAL_TEXT,
  };
  for (let i = 0; typeof turn === 'function' && i < 10; i++) turn = turn(ctx);
  if (typeof turn === 'function') throw new Error('turn functions nested too deeply');
  const finalText = scenario.finalText ?? FINAL_TEXT;
  const schema = demandedSchema(ctx);

  if ('error' in turn) {
    return {
      kind: 'error',
      status: turn.error,
      message: turn.message ?? `fake ${turn.error} from scripted server`,
      retryAfter: turn.retryAfter ?? (turn.error === 429 ? 1 : undefined),
      label: `error:${turn.error}`,
    };
  }
  if ('hang' in turn) return { kind: 'hang', label: 'hang' };

  const structuredAnswer = (value: unknown): Plan => {
    if (ctx.api === 'anthropic' && ctx.tools.includes('StructuredOutput')) {
      return toolCall('StructuredOutput', value as Record<string, unknown>);
    }
    return { kind: 'text', text: JSON.stringify(value), label: 'structured' };
  };
  const textAnswer = (text: string): Plan =>
    schema ? structuredAnswer(scenario.structured ?? sampleFromSchema(schema)) : { kind: 'text', text, label: 'text' };

  if ('structured' in turn) return structuredAnswer(turn.structured);
  if ('text' in turn) return textAnswer(turn.text);

  const offers = (name: string) => ctx.tools.includes(name);
  if ('shell' in turn) {
    const command = turn.shell;
    if (ctx.api === 'anthropic' && offers('Bash')) {
      return toolCall('Bash', { command, description: 'Run scripted command' });
    }
    if (ctx.api === 'openai') {
      if (offers('exec_command')) return toolCall('exec_command', { cmd: command });
      if (offers('shell')) {
        return toolCall('shell', { command: ['bash', '-lc', command] });
      }
    }
    if (ctx.api === 'gemini' && offers('run_shell_command')) {
      return toolCall('run_shell_command', { command, description: 'Run scripted command' });
    }
    return textAnswer(finalText);
  }
  // write
  const { path, content } = turn.write;
  const abs = isAbsolute(path) || !ctx.cwd ? path : join(ctx.cwd, path);
  if (ctx.api === 'anthropic' && offers('Write')) {
    return toolCall('Write', { file_path: abs, content });
  }
  if (ctx.api === 'openai' && offers('apply_patch')) {
    const lines = content.endsWith('\n') ? content.slice(0, -1).split('\n') : content.split('\n');
    const patch = `*** Begin Patch\n*** Add File: ${path}\n${lines.map((l) => `+${l}`).join('\n')}\n*** End Patch\n`;
    const custom = arr(ctx.body.tools).some((t) => t.name === 'apply_patch' && t.type === 'custom');
    return custom
      ? { kind: 'custom', name: 'apply_patch', input: patch, label: 'tool:apply_patch' }
      : toolCall('apply_patch', { input: patch });
  }
  if (ctx.api === 'gemini' && offers('write_file')) {
    return toolCall('write_file', { file_path: abs, content });
  }
  return textAnswer(finalText);
}

// ---------------------------------------------------------------------------------------------
// Writing replies

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

function sendError(res: ServerResponse, api: Api, status: number, message: string, retryAfter: number | undefined): void {
  const headers: Record<string, string> = retryAfter === undefined ? {} : { 'retry-after': String(retryAfter) };
  if (api === 'anthropic') {
    const type = status === 429 ? 'rate_limit_error' : status === 529 ? 'overloaded_error' : 'api_error';
    sendJson(res, status, { type: 'error', error: { type, message } }, headers);
  } else if (api === 'openai') {
    const type = status === 429 ? 'rate_limit_exceeded' : 'server_error';
    sendJson(
      res,
      status,
      {
        error: { message, type, param: null, code: status === 429 ? 'rate_limit_exceeded' : null },
      },
      headers,
    );
  } else {
    const statusText = status === 429 ? 'RESOURCE_EXHAUSTED' : status === 503 ? 'UNAVAILABLE' : 'INTERNAL';
    sendJson(res, status, { error: { code: status, message, status: statusText } }, headers);
  }
}

function startSse(res: ServerResponse): void {
  res.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
  });
}

function replyAnthropic(res: ServerResponse, plan: Plan, id: string, model: string, stream: boolean): void {
  if (plan.kind !== 'text' && plan.kind !== 'tool') throw new Error(`anthropic cannot answer ${plan.kind}`);
  const block =
    plan.kind === 'text' ? { type: 'text', text: plan.text } : { type: 'tool_use', id: `toolu_${id}`, name: plan.name, input: plan.input };
  const stopReason = plan.kind === 'text' ? 'end_turn' : 'tool_use';
  const usage = {
    input_tokens: USAGE.input,
    output_tokens: 1,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: 0,
  };
  const message = {
    id: `msg_${id}`,
    type: 'message',
    role: 'assistant',
    model,
    content: [] as unknown[],
    stop_reason: null,
    stop_sequence: null,
    usage,
  };
  if (!stream) {
    sendJson(res, 200, {
      ...message,
      content: [block],
      stop_reason: stopReason,
      usage: { ...usage, output_tokens: USAGE.output },
    });
    return;
  }
  startSse(res);
  const ev = (type: string, data: Record<string, unknown>) => res.write(`event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`);
  ev('message_start', { message });
  if (plan.kind === 'text') {
    ev('content_block_start', { index: 0, content_block: { type: 'text', text: '' } });
    ev('content_block_delta', { index: 0, delta: { type: 'text_delta', text: plan.text } });
  } else {
    ev('content_block_start', {
      index: 0,
      content_block: { type: 'tool_use', id: `toolu_${id}`, name: plan.name, input: {} },
    });
    ev('content_block_delta', {
      index: 0,
      delta: { type: 'input_json_delta', partial_json: JSON.stringify(plan.input) },
    });
  }
  ev('content_block_stop', { index: 0 });
  ev('message_delta', {
    delta: { stop_reason: stopReason, stop_sequence: null },
    usage: { output_tokens: USAGE.output },
  });
  ev('message_stop', {});
  res.end();
}

function replyOpenAI(res: ServerResponse, plan: Plan, id: string, model: string, stream: boolean): void {
  let item: Record<string, unknown>;
  if (plan.kind === 'text') {
    item = {
      type: 'message',
      id: `msg_${id}`,
      role: 'assistant',
      status: 'completed',
      content: [{ type: 'output_text', text: plan.text, annotations: [] }],
    };
  } else if (plan.kind === 'tool') {
    item = {
      type: 'function_call',
      id: `fc_${id}`,
      call_id: `call_${id}`,
      name: plan.name,
      arguments: JSON.stringify(plan.input),
      status: 'completed',
    };
  } else if (plan.kind === 'custom') {
    item = {
      type: 'custom_tool_call',
      id: `ctc_${id}`,
      call_id: `call_${id}`,
      name: plan.name,
      input: plan.input,
      status: 'completed',
    };
  } else {
    throw new Error(`openai cannot answer ${plan.kind}`);
  }
  const created = Math.floor(Date.now() / 1000);
  const base = { id: `resp_${id}`, object: 'response', created_at: created, model };
  const usage = {
    input_tokens: USAGE.input,
    input_tokens_details: { cached_tokens: 0 },
    output_tokens: USAGE.output,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: USAGE.input + USAGE.output,
  };
  const completed = { ...base, status: 'completed', output: [item], usage };
  if (!stream) {
    sendJson(res, 200, completed);
    return;
  }
  startSse(res);
  let n = 0;
  const ev = (type: string, data: Record<string, unknown>) =>
    res.write(`event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: n++, ...data })}\n\n`);
  const itemId = item.id as string;
  ev('response.created', { response: { ...base, status: 'in_progress', output: [] } });
  ev('response.in_progress', { response: { ...base, status: 'in_progress', output: [] } });
  if (plan.kind === 'text') {
    ev('response.output_item.added', {
      output_index: 0,
      item: { ...item, status: 'in_progress', content: [] },
    });
    const part = { type: 'output_text', text: '', annotations: [] };
    ev('response.content_part.added', { item_id: itemId, output_index: 0, content_index: 0, part });
    ev('response.output_text.delta', {
      item_id: itemId,
      output_index: 0,
      content_index: 0,
      delta: plan.text,
    });
    ev('response.output_text.done', {
      item_id: itemId,
      output_index: 0,
      content_index: 0,
      text: plan.text,
    });
    ev('response.content_part.done', {
      item_id: itemId,
      output_index: 0,
      content_index: 0,
      part: { ...part, text: plan.text },
    });
  } else if (plan.kind === 'tool') {
    ev('response.output_item.added', {
      output_index: 0,
      item: { ...item, arguments: '', status: 'in_progress' },
    });
    ev('response.function_call_arguments.delta', {
      item_id: itemId,
      output_index: 0,
      delta: item.arguments,
    });
    ev('response.function_call_arguments.done', {
      item_id: itemId,
      output_index: 0,
      arguments: item.arguments,
    });
  } else {
    ev('response.output_item.added', {
      output_index: 0,
      item: { ...item, input: '', status: 'in_progress' },
    });
    ev('response.custom_tool_call_input.delta', {
      item_id: itemId,
      output_index: 0,
      delta: item.input,
    });
    ev('response.custom_tool_call_input.done', {
      item_id: itemId,
      output_index: 0,
      input: item.input,
    });
  }
  ev('response.output_item.done', { output_index: 0, item });
  ev('response.completed', { response: completed });
  res.end();
}

function replyGemini(res: ServerResponse, plan: Plan, model: string, stream: boolean): void {
  let part: Record<string, unknown>;
  if (plan.kind === 'text') part = { text: plan.text };
  else if (plan.kind === 'tool') part = { functionCall: { name: plan.name, args: plan.input } };
  else throw new Error(`gemini cannot answer ${plan.kind}`);
  const chunk = {
    candidates: [{ content: { role: 'model', parts: [part] }, finishReason: 'STOP', index: 0 }],
    usageMetadata: {
      promptTokenCount: USAGE.input,
      candidatesTokenCount: USAGE.output,
      totalTokenCount: USAGE.input + USAGE.output,
    },
    modelVersion: model,
  };
  if (!stream) {
    sendJson(res, 200, chunk);
    return;
  }
  startSse(res);
  res.write(`data: ${JSON.stringify(chunk)}\r\n\r\n`);
  res.end();
}
