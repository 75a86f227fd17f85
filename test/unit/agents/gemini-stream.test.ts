import { describe, expect, it } from 'vitest';
import { geminiAdapter } from '../../../src/agents/adapters/gemini.js';
import type { AgentEvent } from '../../../src/events/agent-event.js';
import { ofType, onlyResult, parseLines, parseRecording } from './recorded-streams.js';

function parse(...values: object[]) {
  return parseLines(
    'gemini',
    values.map((value) => JSON.stringify(value)),
  );
}

const delta = (content: string) => ({ type: 'message', role: 'assistant', content, delta: true });

describe('gemini stream parser on recorded runs', () => {
  it('gemini-ok: session, shell tool_call, tool_result, joined message, usage, ok result', () => {
    const events = parseRecording('gemini-ok');
    const toolId = 'run_shell_command__run_shell_command_1795288984033_0';
    expect(events).toEqual([
      {
        type: 'agent.session',
        sessionId: 'a535eb09-fcc9-4061-86d4-d3bc9b20b5d2',
        model: 'gemini-2.5-flash',
      },
      {
        type: 'agent.tool_call',
        toolId,
        tool: 'run_shell_command',
        kind: 'shell',
        command: 'echo hello > out.txt',
      },
      { type: 'agent.tool_result', toolId, ok: true, output: '' },
      { type: 'agent.message', text: 'All done: the command ran.' },
      { type: 'agent.usage', inputTokens: 200, outputTokens: 40, cachedTokens: 0 },
      { type: 'agent.result', ok: true, text: 'All done: the command ran.' },
    ]);
  });

  it('gemini-resume: resumes the session gemini-ok started', () => {
    expect(ofType(parseRecording('gemini-resume'), 'agent.session')[0]?.sessionId).toBe('a535eb09-fcc9-4061-86d4-d3bc9b20b5d2');
  });

  it('gemini-deny: a policy_violation is a permission_denied, plus the failed tool_result', () => {
    const events = parseRecording('gemini-deny');
    expect(ofType(events, 'agent.permission_denied')).toEqual([
      {
        type: 'agent.permission_denied',
        toolId: 'run_shell_command__run_shell_command_1795288993750_0',
        tool: 'run_shell_command',
        reason: 'policy_violation',
        message: 'Tool execution denied by policy. rm is blocked by orchestrate policy',
      },
    ]);
    expect(ofType(events, 'agent.tool_result')).toEqual([expect.objectContaining({ ok: false })]);
    expect(onlyResult(events).ok).toBe(true);
  });

  it('gemini-outside: "Path not in workspace" is a permission_denied', () => {
    const events = parseRecording('gemini-outside');
    expect(ofType(events, 'agent.tool_call')).toEqual([
      expect.objectContaining({
        tool: 'write_file',
        kind: 'file_write',
        path: '/home/dev/lab/outside/gemini.txt',
      }),
    ]);
    expect(ofType(events, 'agent.permission_denied')).toEqual([
      expect.objectContaining({
        tool: 'write_file',
        reason: 'invalid_tool_params',
        message: expect.stringMatching(/^Path not in workspace: /),
      }),
    ]);
  });

  it('gemini-fail: a failing shell command is still ok (the CLI reports no exit code)', () => {
    expect(ofType(parseRecording('gemini-fail'), 'agent.tool_result')).toEqual([
      expect.objectContaining({ ok: true, output: expect.stringContaining('cannot access') }),
    ]);
  });

  it('gemini-err500 / gemini-err429: failed results with the API status', () => {
    expect(onlyResult(parseRecording('gemini-err500'))).toMatchObject({
      ok: false,
      apiErrorStatus: 500,
      error: expect.stringContaining('fake 500 from scripted server'),
    });
    expect(onlyResult(parseRecording('gemini-err429'))).toMatchObject({
      ok: false,
      apiErrorStatus: 429,
    });
  });

  it('gemini-sigterm-group: a session and no result', () => {
    expect(parseRecording('gemini-sigterm-group').map((event) => event.type)).toEqual(['agent.session']);
  });
});

describe('gemini stream parser on edge cases', () => {
  it('joins assistant deltas split across many chunks into one message', () => {
    const text = 'The quick brown fox jumps over the lazy dog. MILESTONE: none';
    const chunks = text.match(/.{1,3}/gs) ?? [];
    const events = parse(...chunks.map(delta), { type: 'result', status: 'success' });
    expect(ofType(events, 'agent.message')).toEqual([{ type: 'agent.message', text }]);
    expect(onlyResult(events).text).toBe(text);
  });

  it('ends a message when another event arrives; a complete report line is emitted as soon as it streams in', () => {
    const events = parse(
      delta('MILE'),
      delta('STONE: tests written\n'),
      {
        type: 'tool_use',
        tool_name: 'replace',
        tool_id: 'r1',
        parameters: { file_path: '/w/a.ts' },
      },
      delta('second'),
    );
    // parseLines flushes at the end, which closes the second message
    expect(events.map((event) => event.type)).toEqual(['agent.report', 'agent.message', 'agent.tool_call', 'agent.message']);
    expect(events[0]).toEqual({ type: 'agent.report', kind: 'milestone', text: 'tests written' });
    expect(events[2]).toMatchObject({ kind: 'file_edit', path: '/w/a.ts' });
  });

  it('emits the still-buffered message on flush', () => {
    const parser = geminiAdapter.createParser();
    expect(parser.parseLine(JSON.stringify(delta('half ')))).toEqual([]);
    expect(parser.parseLine(JSON.stringify(delta('done')))).toEqual([]);
    expect(parser.flush()).toEqual([{ type: 'agent.message', text: 'half done' }]);
    expect(parser.flush()).toEqual([]);
  });

  it('keeps deltas joined across a stray non-JSON line, which is reported', () => {
    const parser = geminiAdapter.createParser();
    const events: AgentEvent[] = [
      ...parser.parseLine(JSON.stringify(delta('a'))),
      ...parser.parseLine('Warning: 256-color support not detected.'),
      ...parser.parseLine(JSON.stringify(delta('b'))),
      ...parser.flush(),
    ];
    expect(events).toEqual([
      expect.objectContaining({
        type: 'agent.parse_error',
        raw: 'Warning: 256-color support not detected.',
      }),
      { type: 'agent.message', text: 'ab' },
    ]);
  });

  it('emits a non-delta assistant message whole, after any open one', () => {
    const events = parse(delta('open'), { type: 'message', role: 'assistant', content: 'whole' });
    expect(ofType(events, 'agent.message').map((event) => event.text)).toEqual(['open', 'whole']);
  });

  it('maps the documented error event to a non-fatal agent.error', () => {
    expect(parse({ type: 'error', severity: 'warning', message: 'Loop detected' })).toEqual([
      { type: 'agent.error', message: 'Loop detected', fatal: false },
    ]);
  });

  it('does not count other tool errors as denials', () => {
    const events = parse({
      type: 'tool_result',
      tool_id: 'x',
      status: 'error',
      error: { type: 'invalid_tool_params', message: 'old_string not found' },
    });
    expect(events).toEqual([{ type: 'agent.tool_result', toolId: 'x', ok: false, output: 'old_string not found' }]);
  });

  it('keeps unknown types raw and goes on', () => {
    const events = parseLines('gemini', ['{"type":"telemetry"}', '{"type":"init","session_id":"s"}']);
    expect(events).toEqual([
      { type: 'agent.unknown', raw: '{"type":"telemetry"}' },
      { type: 'agent.session', sessionId: 's' },
    ]);
  });
});

describe('gemini report lines in streamed deltas', () => {
  it('reports a complete MILESTONE line at once, before the message ends, and only once', async () => {
    const { createGeminiParser } = await import('../../../src/agents/adapters/gemini-stream.js');
    const p = createGeminiParser();
    const delta = (content: string) => JSON.stringify({ type: 'message', timestamp: 't', role: 'assistant', content, delta: true });
    expect(p.parseLine(delta('MILESTONE: wrote'))).toEqual([]);
    expect(p.parseLine(delta(' the design\nstill '))).toEqual([{ type: 'agent.report', kind: 'milestone', text: 'wrote the design' }]);
    expect(p.parseLine(delta('thinking\nDONE: all'))).toEqual([]);
    expect(p.flush()).toEqual([
      { type: 'agent.message', text: 'MILESTONE: wrote the design\nstill thinking\nDONE: all' },
      { type: 'agent.report', kind: 'done', text: 'all' },
    ]);
  });
});
