import { describe, expect, it } from 'vitest';
import { ofType, onlyResult, parseLines, parseRecording } from './recorded-streams.js';

function parse(...values: object[]) {
  return parseLines(
    'codex',
    values.map((value) => JSON.stringify(value)),
  );
}

const command = (id: string, status: string, extra: object = {}) => ({
  id,
  type: 'command_execution',
  command: "/bin/bash -lc 'echo hi'",
  aggregated_output: '',
  exit_code: null,
  status,
  ...extra,
});

describe('codex stream parser on recorded runs', () => {
  it('codex-ok: the thread id, one unwrapped shell tool_call, its result, and an ok result with the last message', () => {
    const events = parseRecording('codex-ok');
    expect(events.map((event) => event.type)).toEqual([
      'agent.session',
      'agent.tool_call',
      'agent.tool_result',
      'agent.message',
      'agent.usage',
      'agent.result',
    ]);
    expect(events[0]).toEqual({
      type: 'agent.session',
      sessionId: '01a1ff8f-bc52-7b60-b6dd-44fd72b4141b',
    });
    expect(ofType(events, 'agent.tool_call')).toEqual([
      {
        type: 'agent.tool_call',
        toolId: 'item_0',
        tool: 'command_execution',
        kind: 'shell',
        command: 'echo hello > out.txt',
      },
    ]);
    expect(ofType(events, 'agent.tool_result')).toEqual([
      { type: 'agent.tool_result', toolId: 'item_0', ok: true, exitCode: 0, output: '' },
    ]);
    expect(ofType(events, 'agent.usage')).toEqual([{ type: 'agent.usage', inputTokens: 200, outputTokens: 40, cachedTokens: 0 }]);
    expect(onlyResult(events)).toEqual({
      type: 'agent.result',
      ok: true,
      text: 'All done: the command ran.',
    });
  });

  it('codex-resume: resumes the thread codex-ok started', () => {
    expect(ofType(parseRecording('codex-resume'), 'agent.session')).toEqual([
      { type: 'agent.session', sessionId: '01a1ff8f-bc52-7b60-b6dd-44fd72b4141b' },
    ]);
  });

  it('codex-fail: the failed command has exit code 2 and ok false', () => {
    expect(ofType(parseRecording('codex-fail'), 'agent.tool_result')).toEqual([
      expect.objectContaining({ toolId: 'item_0', ok: false, exitCode: 2 }),
    ]);
  });

  it('codex-err429: an api_retry with status 429, a non-fatal error, and a failed result', () => {
    const events = parseRecording('codex-err429');
    expect(ofType(events, 'agent.api_retry')).toEqual([expect.objectContaining({ attempt: 1, maxRetries: 1, status: 429 })]);
    expect(ofType(events, 'agent.error')).toEqual([
      {
        type: 'agent.error',
        message: 'exceeded retry limit, last status: 429 Too Many Requests',
        fatal: false,
      },
    ]);
    expect(onlyResult(events)).toEqual({
      type: 'agent.result',
      ok: false,
      error: 'exceeded retry limit, last status: 429 Too Many Requests',
    });
  });

  it('codex-err500-default: five numbered retries without a status (codex hides the 500)', () => {
    const events = parseRecording('codex-err500-default');
    const retries = ofType(events, 'agent.api_retry');
    expect(retries.map((retry) => [retry.attempt, retry.maxRetries, retry.status])).toEqual([
      [1, 5, undefined],
      [2, 5, undefined],
      [3, 5, undefined],
      [4, 5, undefined],
      [5, 5, undefined],
    ]);
    expect(onlyResult(events)).toMatchObject({
      ok: false,
      error: expect.stringContaining('high demand'),
    });
  });

  it('codex-patch: an added file is one file_write with its paths, then an ok result', () => {
    const events = parseRecording('codex-patch');
    expect(ofType(events, 'agent.tool_call')).toEqual([
      {
        type: 'agent.tool_call',
        toolId: 'item_0',
        tool: 'file_change',
        kind: 'file_write',
        path: '/home/dev/lab/work/codex-patch/hello.txt',
        paths: ['/home/dev/lab/work/codex-patch/hello.txt'],
      },
    ]);
    expect(ofType(events, 'agent.tool_result')).toEqual([{ type: 'agent.tool_result', toolId: 'item_0', ok: true }]);
  });

  it('codex-schema: the JSON final message becomes the structured output', () => {
    expect(onlyResult(parseRecording('codex-schema'))).toEqual({
      type: 'agent.result',
      ok: true,
      text: '{"status":"fake"}',
      structured: { status: 'fake' },
    });
  });

  it('codex-deny: execpolicy rejections leave no item, so no tool events (REFERENCE blind spot)', () => {
    const events = parseRecording('codex-deny');
    expect(ofType(events, 'agent.tool_call')).toEqual([]);
    expect(onlyResult(events).ok).toBe(true);
  });

  it('codex-sigterm: a session and no result', () => {
    expect(parseRecording('codex-sigterm').map((event) => event.type)).toEqual(['agent.session']);
  });
});

describe('codex stream parser on edge cases', () => {
  it('emits tool_call then tool_result when only item.completed is seen', () => {
    const events = parse({
      type: 'item.completed',
      item: command('item_7', 'completed', { exit_code: 0 }),
    });
    expect(events).toEqual([
      {
        type: 'agent.tool_call',
        toolId: 'item_7',
        tool: 'command_execution',
        kind: 'shell',
        command: 'echo hi',
      },
      { type: 'agent.tool_result', toolId: 'item_7', ok: true, exitCode: 0, output: '' },
    ]);
  });

  it('announces each item once across started, updated and completed', () => {
    const events = parse(
      { type: 'item.started', item: command('a', 'in_progress') },
      { type: 'item.updated', item: command('a', 'in_progress', { aggregated_output: 'h' }) },
      { type: 'item.completed', item: command('a', 'completed', { exit_code: 0 }) },
    );
    expect(events.map((event) => event.type)).toEqual(['agent.tool_call', 'agent.tool_result']);
  });

  it('treats a completed command with a non-zero exit code as failed', () => {
    const [, result] = parse({
      type: 'item.completed',
      item: command('b', 'completed', { exit_code: 1 }),
    });
    expect(result).toMatchObject({ ok: false, exitCode: 1 });
  });

  it('reports a declined command as a denial', () => {
    const events = parse({ type: 'item.completed', item: command('c', 'declined') });
    expect(events.map((event) => event.type)).toEqual(['agent.tool_call', 'agent.permission_denied', 'agent.tool_result']);
    expect(ofType(events, 'agent.permission_denied')[0]).toMatchObject({
      toolId: 'c',
      reason: 'declined',
    });
  });

  it('maps update and delete file changes to file_edit with every path', () => {
    const [call] = parse({
      type: 'item.completed',
      item: {
        id: 'p',
        type: 'file_change',
        status: 'completed',
        changes: [
          { path: '/w/new.txt', kind: 'add' },
          { path: '/w/old.txt', kind: 'delete' },
          { path: '/w/main.ts', kind: 'update' },
        ],
      },
    });
    expect(call).toMatchObject({
      kind: 'file_edit',
      paths: ['/w/new.txt', '/w/old.txt', '/w/main.ts'],
    });
  });

  it('maps an error item to a non-fatal agent.error', () => {
    const message = 'Model metadata for `gpt-5-codex` not found.';
    expect(parse({ type: 'item.completed', item: { id: 'e', type: 'error', message } })).toEqual([
      { type: 'agent.error', message, fatal: false },
    ]);
  });

  it('handles the item types codex defines but the recordings lack', () => {
    const events = parse(
      { type: 'item.completed', item: { id: 'r', type: 'reasoning', text: 'thinking' } },
      { type: 'item.started', item: { id: 't', type: 'todo_list', items: [] } },
      {
        type: 'item.updated',
        item: { id: 't', type: 'todo_list', items: [{ text: 'x', completed: true }] },
      },
      { type: 'item.completed', item: { id: 't', type: 'todo_list', items: [] } },
      {
        type: 'item.started',
        item: {
          id: 'm',
          type: 'mcp_tool_call',
          server: 'docs',
          tool: 'search',
          status: 'in_progress',
        },
      },
      {
        type: 'item.completed',
        item: {
          id: 'm',
          type: 'mcp_tool_call',
          server: 'docs',
          tool: 'search',
          status: 'failed',
          error: { message: 'down' },
        },
      },
      { type: 'item.completed', item: { id: 'w', type: 'web_search', query: 'zod 4' } },
    );
    expect(events).toEqual([
      { type: 'agent.tool_call', toolId: 'm', tool: 'docs.search', kind: 'other' },
      { type: 'agent.tool_result', toolId: 'm', ok: false, output: 'down' },
      { type: 'agent.tool_call', toolId: 'w', tool: 'web_search', kind: 'other' },
    ]);
  });

  it('keeps unknown event and item types raw', () => {
    const events = parse({ type: 'thread.archived' }, { type: 'item.completed', item: { id: 'z', type: 'hologram' } });
    expect(events).toEqual([
      { type: 'agent.unknown', raw: '{"type":"thread.archived"}' },
      {
        type: 'agent.unknown',
        raw: '{"type":"item.completed","item":{"id":"z","type":"hologram"}}',
      },
    ]);
  });

  it('goes on after a non-JSON line', () => {
    const events = parseLines('codex', ['Reading additional input from stdin...', '{"type":"thread.started","thread_id":"t1"}']);
    expect(events).toEqual([
      expect.objectContaining({
        type: 'agent.parse_error',
        raw: 'Reading additional input from stdin...',
      }),
      { type: 'agent.session', sessionId: 't1' },
    ]);
  });

  it('takes the result text from the last message of the current turn only, and ignores non-object JSON', () => {
    const events = parse(
      { type: 'turn.started' },
      { type: 'item.completed', item: { id: 'a', type: 'agent_message', text: 'first turn' } },
      { type: 'turn.completed' },
      { type: 'turn.started' },
      { type: 'item.completed', item: { id: 'b', type: 'agent_message', text: '[1, 2]' } },
      { type: 'turn.completed' },
    );
    expect(ofType(events, 'agent.result')).toEqual([
      { type: 'agent.result', ok: true, text: 'first turn' },
      { type: 'agent.result', ok: true, text: '[1, 2]' },
    ]);
  });

  it('emits report lines from agent messages', () => {
    const events = parse({
      type: 'item.completed',
      item: { id: 'a', type: 'agent_message', text: 'DONE: all green' },
    });
    expect(ofType(events, 'agent.report')).toEqual([{ type: 'agent.report', kind: 'done', text: 'all green' }]);
  });
});
