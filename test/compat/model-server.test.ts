// The scripted model server on its own (no real CLI): routes, SSE shapes, scripts, errors, hang,
// request log, egress trap.

import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FINAL_TEXT, sampleFromSchema, startModelServer, type ModelServer } from './model-server.js';
import { nonLoopbackTraffic } from './real-clis.js';

let server: ModelServer;

beforeAll(async () => {
  server = await startModelServer();
});

afterAll(async () => {
  await server?.close();
});

interface SseEvent {
  event: string | undefined;
  data: Record<string, unknown>;
}

function parseSse(text: string): SseEvent[] {
  return text
    .split(/\r?\n\r?\n/)
    .filter((block) => block.trim())
    .map((block) => {
      const lines = block.split(/\r?\n/);
      const event = lines.find((l) => l.startsWith('event: '))?.slice(7);
      const data = lines.find((l) => l.startsWith('data: '))?.slice(6) ?? '{}';
      return { event, data: JSON.parse(data) as Record<string, unknown> };
    });
}

async function post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

const claudeTools = [{ name: 'Bash' }, { name: 'Write' }];
const toolResult = {
  role: 'user',
  content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'ok' }],
};

describe('Anthropic Messages', () => {
  it('streams a Bash tool_use, then the final text once the conversation holds a tool result', async () => {
    const first = await post('/s/ok/v1/messages?beta=true', {
      stream: true,
      tools: claudeTools,
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(first.headers.get('content-type')).toBe('text/event-stream');
    const events = parseSse(await first.text());
    expect(events.map((e) => e.event)).toEqual([
      'message_start',
      'content_block_start',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    const delta = events[2]?.data.delta as { type: string; partial_json: string };
    expect(delta.type).toBe('input_json_delta');
    expect(JSON.parse(delta.partial_json)).toEqual({
      command: 'echo hello > out.txt',
      description: 'Run scripted command',
    });
    expect((events[4]?.data.delta as { stop_reason: string }).stop_reason).toBe('tool_use');

    const second = await post('/s/ok/v1/messages', {
      stream: true,
      tools: claudeTools,
      messages: [toolResult],
    });
    const text = parseSse(await second.text());
    expect(text[2]?.data.delta).toEqual({ type: 'text_delta', text: FINAL_TEXT });
    expect((text[4]?.data.delta as { stop_reason: string }).stop_reason).toBe('end_turn');
  });

  it('writes with an absolute path made from the cwd in the system prompt', async () => {
    const res = await post('/s/patch/v1/messages', {
      stream: false,
      system: [{ type: 'text', text: 'Primary working directory: /w/proj\nIs a git repository: false' }],
      tools: claudeTools,
      messages: [{ role: 'user', content: 'hi' }],
    });
    const msg = (await res.json()) as {
      content: { name: string; input: unknown }[];
      stop_reason: string;
    };
    expect(msg.content[0]).toMatchObject({
      name: 'Write',
      input: { file_path: '/w/proj/hello.txt', content: 'hello\n' },
    });
    expect(msg.stop_reason).toBe('tool_use');
  });

  it('answers structured output through the StructuredOutput tool when offered', async () => {
    const res = await post('/s/schema/v1/messages', {
      stream: false,
      tools: [...claudeTools, { name: 'StructuredOutput', input_schema: { type: 'object' } }],
      messages: [{ role: 'user', content: 'hi' }],
    });
    const msg = (await res.json()) as { content: unknown[] };
    expect(msg.content[0]).toMatchObject({
      type: 'tool_use',
      name: 'StructuredOutput',
      input: { status: 'fake' },
    });
  });

  it('answers plain text to requests offering no tools, and count_tokens', async () => {
    const res = await post('/s/ok/v1/messages', {
      stream: false,
      messages: [{ role: 'user', content: 'title?' }],
    });
    expect(((await res.json()) as { content: unknown[] }).content[0]).toEqual({
      type: 'text',
      text: FINAL_TEXT,
    });
    const count = await post('/s/ok/v1/messages/count_tokens', { messages: [] });
    expect(await count.json()).toEqual({ input_tokens: 100 });
  });
});

describe('OpenAI Responses', () => {
  const codexTools = [
    { type: 'function', name: 'exec_command' },
    { type: 'custom', name: 'apply_patch' },
  ];

  it('streams an exec_command function call ending with response.completed', async () => {
    const res = await post('/s/ok/v1/responses', { stream: true, tools: codexTools, input: [] });
    const events = parseSse(await res.text());
    expect(events.map((e) => e.event)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.function_call_arguments.delta',
      'response.function_call_arguments.done',
      'response.output_item.done',
      'response.completed',
    ]);
    const item = events[5]?.data.item as { type: string; name: string; arguments: string };
    expect(item).toMatchObject({ type: 'function_call', name: 'exec_command' });
    expect(JSON.parse(item.arguments)).toEqual({ cmd: 'echo hello > out.txt' });
  });

  it('calls apply_patch as a custom (freeform) tool', async () => {
    const res = await post('/s/patch/v1/responses', { stream: true, tools: codexTools, input: [] });
    const done = parseSse(await res.text()).find((e) => e.event === 'response.output_item.done');
    expect(done?.data.item).toMatchObject({
      type: 'custom_tool_call',
      name: 'apply_patch',
      input: '*** Begin Patch\n*** Add File: hello.txt\n+hello\n*** End Patch\n',
    });
  });

  it('answers JSON text when text.format is a json_schema', async () => {
    const schema = {
      type: 'object',
      properties: { verdict: { enum: ['pass', 'fail'] }, notes: { type: 'array' } },
    };
    const res = await post('/s/ok/v1/responses', {
      stream: true,
      tools: codexTools,
      text: { format: { type: 'json_schema', name: 'codex_output_schema', strict: true, schema } },
      input: [{ type: 'function_call_output', call_id: 'c1', output: 'done' }],
    });
    const done = parseSse(await res.text()).find((e) => e.event === 'response.output_item.done');
    const item = done?.data.item as { type: string; content: { text: string }[] };
    expect(item.type).toBe('message');
    expect(JSON.parse(item.content[0]?.text ?? '')).toEqual({ verdict: 'pass', notes: [] });
  });
});

describe('Gemini', () => {
  const geminiTools = [{ functionDeclarations: [{ name: 'run_shell_command' }, { name: 'write_file' }] }];

  it('streams a functionCall part, then text after a functionResponse', async () => {
    const path = '/s/ok/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse';
    const first = parseSse(
      await (
        await post(path, {
          tools: geminiTools,
          contents: [{ role: 'user', parts: [{ text: 'hi' }] }],
        })
      ).text(),
    );
    expect(first).toHaveLength(1);
    const candidates = first[0]?.data.candidates as {
      content: { parts: unknown[] };
      finishReason: string;
    }[];
    expect(candidates[0]?.content.parts[0]).toEqual({
      functionCall: {
        name: 'run_shell_command',
        args: { command: 'echo hello > out.txt', description: 'Run scripted command' },
      },
    });
    const second = parseSse(
      await (
        await post(path, {
          tools: geminiTools,
          contents: [
            {
              role: 'user',
              parts: [{ functionResponse: { name: 'run_shell_command', response: {} } }],
            },
          ],
        })
      ).text(),
    );
    expect((second[0]?.data.candidates as { content: { parts: unknown[] } }[])[0]?.content.parts[0]).toEqual({ text: FINAL_TEXT });
  });

  it('answers the final text when the scripted tool is not offered (headless default mode)', async () => {
    const path = '/s/ok/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse';
    const readOnly = [{ functionDeclarations: [{ name: 'read_file' }] }];
    const events = parseSse(await (await post(path, { tools: readOnly, contents: [] })).text());
    expect((events[0]?.data.candidates as { content: { parts: unknown[] } }[])[0]?.content.parts[0]).toEqual({ text: FINAL_TEXT });
  });
});

describe('errors and hang', () => {
  it('500 with each vendor JSON error body', async () => {
    const a = await post('/s/err500/v1/messages', { stream: true, messages: [] });
    expect(a.status).toBe(500);
    expect(await a.json()).toEqual({
      type: 'error',
      error: { type: 'api_error', message: 'fake 500 from scripted server' },
    });
    const o = await post('/s/err500/v1/responses', { input: [] });
    expect(((await o.json()) as { error: { message: string } }).error.message).toBe('fake 500 from scripted server');
    const g = await post('/s/err500/v1beta/models/m:streamGenerateContent?alt=sse', {
      contents: [],
    });
    expect(await g.json()).toEqual({
      error: { code: 500, message: 'fake 500 from scripted server', status: 'INTERNAL' },
    });
  });

  it('429 carries retry-after', async () => {
    const res = await post('/s/err429/v1/responses', { input: [] });
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('1');
    await res.body?.cancel();
  });

  it('hang sends SSE headers and then nothing', async () => {
    const ac = new AbortController();
    const res = await fetch(`${server.url}/s/hang/v1/responses`, {
      method: 'POST',
      body: '{}',
      signal: ac.signal,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const reader = res.body!.getReader();
    const pending = reader.read();
    ac.abort();
    await expect(pending).rejects.toThrow();
    expect(server.requests('hang').at(-1)?.reply).toBe('hang');
  });
});

describe('scripts, log, routing', () => {
  it('counts tool results for multi-step scripts registered at runtime, with function turns', async () => {
    server.register('steps', {
      turns: [{ shell: 'echo 1' }, { shell: 'echo 2' }, (ctx) => ({ text: `after ${ctx.toolResults} results` })],
    });
    const answers: unknown[] = [];
    for (let n = 0; n < 4; n++) {
      const messages = Array.from({ length: n }, () => toolResult);
      const res = await post('/s/steps/v1/messages', {
        stream: false,
        tools: claudeTools,
        messages,
      });
      answers.push(((await res.json()) as { content: { input?: unknown; text?: string }[] }).content[0]);
    }
    expect(answers).toEqual([
      expect.objectContaining({
        input: { command: 'echo 1', description: 'Run scripted command' },
      }),
      expect.objectContaining({
        input: { command: 'echo 2', description: 'Run scripted command' },
      }),
      { type: 'text', text: 'after 2 results' },
      { type: 'text', text: 'after 3 results' },
    ]);
  });

  it('logs every request by scenario with secrets redacted', async () => {
    await post('/s/text/v1/messages', { stream: false, messages: [] }, { 'x-api-key': 'sk-secret', 'anthropic-version': '2023-06-01' });
    const [entry] = server.requests('text');
    expect(entry).toMatchObject({
      scenario: 'text',
      api: 'anthropic',
      method: 'POST',
      path: '/v1/messages',
      reply: 'text',
    });
    expect(entry?.headers['x-api-key']).toBe('<redacted>');
    expect(entry?.headers['anthropic-version']).toBe('2023-06-01');
    expect(entry?.body).toEqual({ stream: false, messages: [] });
  });

  it('404s unknown scenarios and routes, and logs them', async () => {
    const res = await post('/s/nope/v1/messages', {});
    expect(res.status).toBe(404);
    const other = await fetch(`${server.url}/s/ok/v1/models`);
    expect(other.status).toBe(404);
    expect(server.requests('nope')[0]?.reply).toBe('404');
  });

  it('refuses and records requests in proxy form to other hosts', async () => {
    const status = await new Promise<number>((resolveStatus, reject) => {
      // Proxy-form request line; it goes to the model server only.
      const req = request({ host: '127.0.0.1', port: server.port, method: 'GET', path: 'http://example.invalid/x' }, (res) => {
        res.resume();
        resolveStatus(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(403);
    expect(server.egress()).toContainEqual({ method: 'GET', target: 'http://example.invalid/x' });
  });
});

describe('helpers', () => {
  it('sampleFromSchema fills objects, enums and scalars', () => {
    expect(
      sampleFromSchema({
        type: 'object',
        properties: {
          a: { type: 'string' },
          b: { type: 'integer' },
          c: { enum: ['x'] },
          d: { type: ['boolean', 'null'] },
        },
      }),
    ).toEqual({ a: 'fake', b: 0, c: 'x', d: true });
  });

  it('nonLoopbackTraffic flags DNS and non-loopback connects only', () => {
    const log = [
      '7829  sendto(10, "ab\\7chatgpt\\3com", 32, MSG_NOSIGNAL, {sa_family=AF_INET, sin_port=htons(53), sin_addr=inet_addr("10.255.255.53")}, 16) = 32',
      '7830  connect(11, {sa_family=AF_INET, sin_port=htons(41234), sin_addr=inet_addr("127.0.0.1")}, 16) = 0',
      '7831  connect(12, {sa_family=AF_UNIX, sun_path="/run/x.sock"}, 110) = 0',
      '7832  connect(13, {sa_family=AF_INET6, sin6_port=htons(443), sin6_flowinfo=htonl(0), inet_pton(AF_INET6, "2606:4700::1", &sin6_addr), sin6_scope_id=0}, 28) = -1',
    ].join('\n');
    expect(nonLoopbackTraffic(log).map((l) => l.split(' ')[0])).toEqual(['7829', '7832']);
  });
});
