import { describe, expect, it } from 'vitest';
import { claudeAdapter } from '../../../src/agents/adapters/claude.js';
import { ofType, onlyResult, parseLines, parseRecording } from './recorded-streams.js';

function parse(...lines: string[]) {
  return parseLines('claude', lines);
}

describe('claude stream parser on recorded runs', () => {
  it('claude-ok: session, a shell tool_call with the exact command, an ok result', () => {
    const events = parseRecording('claude-ok');
    expect(events[0]).toEqual({
      type: 'agent.session',
      sessionId: 'b3408c10-d2cf-431e-a14f-0d6ca2c36cff',
      model: 'claude-opus-5-5',
      cwd: '/home/dev/lab/work/claude-ok',
    });
    expect(ofType(events, 'agent.tool_call')).toEqual([
      {
        type: 'agent.tool_call',
        toolId: 'toolu_mwqsoy3a0',
        tool: 'Bash',
        kind: 'shell',
        command: 'echo hello > out.txt',
      },
    ]);
    expect(ofType(events, 'agent.tool_result')).toEqual([expect.objectContaining({ toolId: 'toolu_mwqsoy3a0', ok: true })]);
    expect(ofType(events, 'agent.message').map((event) => event.text)).toEqual(['All done: the command ran.']);
    expect(ofType(events, 'agent.usage')).toEqual([
      { type: 'agent.usage', inputTokens: 200, outputTokens: 40, cachedTokens: 0, costUsd: 0.0016 },
    ]);
    expect(onlyResult(events)).toEqual({
      type: 'agent.result',
      ok: true,
      text: 'All done: the command ran.',
      denials: 0,
    });
  });

  it('claude-resume: keeps the resumed session id', () => {
    const sessions = ofType(parseRecording('claude-resume'), 'agent.session');
    expect(sessions.map((event) => event.sessionId)).toEqual(['b3408c10-d2cf-431e-a14f-0d6ca2c36cff']);
  });

  it('claude-err500: an api_retry with status 500, then a failed result with apiErrorStatus 500', () => {
    const events = parseRecording('claude-err500');
    expect(ofType(events, 'agent.api_retry')).toEqual([
      {
        type: 'agent.api_retry',
        attempt: 1,
        maxRetries: 1,
        status: 500,
        delayMs: 519,
        message: 'server_error',
      },
    ]);
    // the synthetic "<synthetic>" assistant message is an error, not something the agent said
    expect(ofType(events, 'agent.message')).toEqual([]);
    expect(ofType(events, 'agent.error')).toEqual([
      expect.objectContaining({ fatal: false, message: expect.stringMatching(/^API Error: 500/) }),
    ]);
    const result = onlyResult(events);
    expect(result.ok).toBe(false);
    expect(result.apiErrorStatus).toBe(500);
    expect(result.error).toMatch(/^API Error: 500 fake 500 from scripted server/);
  });

  it('claude-err429-default: ten retries with status 429, result not ok', () => {
    const events = parseRecording('claude-err429-default');
    const retries = ofType(events, 'agent.api_retry');
    expect(retries).toHaveLength(10);
    expect(new Set(retries.map((retry) => retry.status))).toEqual(new Set([429]));
    expect(onlyResult(events)).toMatchObject({ ok: false, apiErrorStatus: 429 });
  });

  it('claude-outside: permission_denied with the working-directory reason, then the error tool_result', () => {
    const events = parseRecording('claude-outside');
    expect(ofType(events, 'agent.tool_call')).toEqual([
      expect.objectContaining({
        tool: 'Write',
        kind: 'file_write',
        path: '/home/dev/lab/outside/claude.txt',
      }),
    ]);
    expect(ofType(events, 'agent.permission_denied')).toEqual([
      {
        type: 'agent.permission_denied',
        toolId: 'toolu_mwqsozxu9',
        tool: 'Write',
        message: "Claude requested permissions to write to /home/dev/lab/outside/claude.txt, but you haven't granted it yet.",
        reason: 'Path is outside allowed working directories',
      },
    ]);
    const types = events.map((event) => event.type);
    expect(types.indexOf('agent.permission_denied')).toBeLessThan(types.indexOf('agent.tool_result'));
    expect(ofType(events, 'agent.tool_result')).toEqual([expect.objectContaining({ ok: false })]);
    expect(onlyResult(events)).toMatchObject({ ok: true, denials: 1 });
  });

  it('claude-deny-disallowed: the reason falls back to decision_reason_type', () => {
    expect(ofType(parseRecording('claude-deny-disallowed'), 'agent.permission_denied')).toEqual([
      expect.objectContaining({
        tool: 'Bash',
        reason: 'subcommandResults',
        message: 'Permission to use Bash with command rm -f out.txt has been denied.',
      }),
    ]);
  });

  it('claude-noperm: a denial without any reason field', () => {
    const [denied] = ofType(parseRecording('claude-noperm'), 'agent.permission_denied');
    expect(denied?.message).toMatch(/^Output redirection to '.*out\.txt' needs approval\./);
    expect(denied?.reason).toBeUndefined();
  });

  it('claude-deny-hook: a PreToolUse hook error counts as a denial, plus the failed tool_result', () => {
    const events = parseRecording('claude-deny-hook');
    expect(ofType(events, 'agent.permission_denied')).toEqual([
      {
        type: 'agent.permission_denied',
        toolId: 'toolu_mwqsp2grl',
        tool: 'Bash',
        reason: 'hook',
        message: 'PreToolUse:Bash hook error: [/home/dev/lab/claude-hook.sh]: rm is blocked by orchestrate hook',
      },
    ]);
    expect(ofType(events, 'agent.tool_result')).toEqual([expect.objectContaining({ toolId: 'toolu_mwqsp2grl', ok: false })]);
    expect(onlyResult(events).denials).toBe(1);
  });

  it('claude-fail: the failed Bash result carries exit code 2', () => {
    expect(ofType(parseRecording('claude-fail'), 'agent.tool_result')).toEqual([
      expect.objectContaining({
        ok: false,
        exitCode: 2,
        output: expect.stringContaining('ls: cannot access'),
      }),
    ]);
  });

  it('claude-patch: Write is a file_write with the absolute path', () => {
    expect(ofType(parseRecording('claude-patch'), 'agent.tool_call')).toEqual([
      expect.objectContaining({
        tool: 'Write',
        kind: 'file_write',
        path: '/home/dev/lab/work/claude-patch/hello.txt',
      }),
    ]);
  });

  it('claude-schema: StructuredOutput is an "other" tool and the result carries the structured output', () => {
    const events = parseRecording('claude-schema');
    expect(ofType(events, 'agent.tool_call')).toEqual([expect.objectContaining({ tool: 'StructuredOutput', kind: 'other' })]);
    expect(onlyResult(events)).toMatchObject({
      ok: true,
      structured: { status: 'fake' },
      text: '{"status":"fake"}',
    });
  });

  it('claude-resume-badid: a failed result carrying the CLI error, and no session', () => {
    const events = parseRecording('claude-resume-badid');
    expect(ofType(events, 'agent.session')).toEqual([]);
    expect(onlyResult(events)).toMatchObject({
      ok: false,
      error: 'No conversation found with session ID: 00000000-0000-4000-8000-000000000000',
    });
  });

  it('claude-ok-partial: stream_event and system/status add nothing; the same events as claude-ok', () => {
    const types = (name: string) => parseRecording(name).map((event) => event.type);
    expect(types('claude-ok-partial')).toEqual(types('claude-ok'));
  });

  it('claude-sigterm: only the session, no result', () => {
    expect(parseRecording('claude-sigterm').map((event) => event.type)).toEqual(['agent.session']);
  });
});

describe('claude stream parser on edge cases', () => {
  const init = JSON.stringify({
    type: 'system',
    subtype: 'init',
    session_id: 's1',
    model: 'm',
    cwd: '/w',
  });

  it('reports a non-JSON line as parse_error, keeps it raw, and goes on', () => {
    const events = parse('not json {', init);
    expect(events[0]).toMatchObject({ type: 'agent.parse_error', raw: 'not json {' });
    expect(events[1]).toMatchObject({ type: 'agent.session', sessionId: 's1' });
  });

  it('ignores blank lines', () => {
    expect(parse('', '   ', '\t')).toEqual([]);
  });

  it('keeps unknown types and unknown system subtypes raw', () => {
    const odd = JSON.stringify({ type: 'rate_limit_event', info: {} });
    const oddSystem = JSON.stringify({ type: 'system', subtype: 'compact_boundary' });
    expect(parse(odd, oddSystem)).toEqual([
      { type: 'agent.unknown', raw: odd },
      { type: 'agent.unknown', raw: oddSystem },
    ]);
  });

  it('treats a known type with an unusable shape as unknown instead of throwing', () => {
    const broken = JSON.stringify({ type: 'result' });
    expect(parse(broken, '42', '[]')).toEqual([
      { type: 'agent.unknown', raw: broken },
      { type: 'agent.unknown', raw: '42' },
      { type: 'agent.unknown', raw: '[]' },
    ]);
  });

  it('emits report lines found in assistant text after the message', () => {
    const line = JSON.stringify({
      type: 'assistant',
      message: {
        content: [{ type: 'text', text: 'Working.\nMILESTONE: parser done\n- BLOCKER: no key' }],
      },
    });
    expect(parse(line)).toEqual([
      { type: 'agent.message', text: 'Working.\nMILESTONE: parser done\n- BLOCKER: no key' },
      { type: 'agent.report', kind: 'milestone', text: 'parser done' },
      { type: 'agent.report', kind: 'blocker', text: 'no key' },
    ]);
  });

  it('classifies Edit, MultiEdit and NotebookEdit as file_edit and others as other', () => {
    const use = (name: string, input: object) =>
      JSON.stringify({
        type: 'assistant',
        message: { content: [{ type: 'tool_use', id: name, name, input }] },
      });
    const calls = ofType(
      parse(
        use('Edit', { file_path: '/a' }),
        use('MultiEdit', { file_path: '/b', edits: [] }),
        use('NotebookEdit', { notebook_path: '/c.ipynb' }),
        use('Read', { file_path: '/d' }),
      ),
      'agent.tool_call',
    );
    expect(calls.map((call) => [call.tool, call.kind, call.path])).toEqual([
      ['Edit', 'file_edit', '/a'],
      ['MultiEdit', 'file_edit', '/b'],
      ['NotebookEdit', 'file_edit', '/c.ipynb'],
      ['Read', 'other', undefined],
    ]);
  });

  it('reads tool_result content given as text blocks, and skips thinking blocks and prompt echoes', () => {
    const user = JSON.stringify({
      type: 'user',
      message: {
        content: [
          {
            type: 'tool_result',
            tool_use_id: 't',
            is_error: true,
            content: [{ type: 'text', text: 'Exit code 1\nboom' }],
          },
        ],
      },
    });
    const echo = JSON.stringify({ type: 'user', message: { role: 'user', content: 'the prompt' } });
    const thinking = JSON.stringify({
      type: 'assistant',
      message: { content: [{ type: 'thinking', thinking: '…' }] },
    });
    expect(parse(user, echo, thinking)).toEqual([
      {
        type: 'agent.tool_result',
        toolId: 't',
        ok: false,
        exitCode: 1,
        output: 'Exit code 1\nboom',
      },
    ]);
  });

  it('has nothing buffered to flush', () => {
    expect(claudeAdapter.createParser().flush()).toEqual([]);
  });
});
