import { describe, expect, it } from 'vitest';
import { createClaudeParser } from '../../../src/agents/adapters/claude-stream.js';
import { createCodexParser } from '../../../src/agents/adapters/codex-stream.js';
import { diagnose } from '../../../src/recovery/diagnose.js';
import { ofType, parseRecording } from './recorded-streams.js';

// What the newer CLI releases emit (their SDK types and changelogs), mapped to normalised events.
const line = (v: unknown): string => JSON.stringify(v);

describe('claude: newer stream kinds', () => {
  it('rate_limit_event → agent.rate_limit with the reset as ISO time; a rejected one parks until it', () => {
    const parser = createClaudeParser();
    const events = parser.parseLine(
      line({
        type: 'rate_limit_event',
        rate_limit_info: {
          status: 'rejected',
          resetsAt: 1771390800,
          rateLimitType: 'five_hour',
          overageStatus: 'rejected',
          isUsingOverage: false,
        },
        uuid: 'u',
        session_id: 's',
      }),
    );
    expect(events).toEqual([
      { type: 'agent.rate_limit', status: 'rejected', resetsAt: '2026-02-18T05:00:00.000Z', limitType: 'five_hour' },
    ]);
    const [d] = diagnose('claude', { events, stderr: '', exitCode: 1 });
    expect(d).toMatchObject({
      entry: { id: 'claude.rate-limit-rejected', handling: 'parked' },
      captures: { resetAt: '2026-02-18T05:00:00.000Z', resetSource: 'rate_limit_event.resetsAt' },
    });
    // an "allowed" status is information, not a failure
    const allowed = parser.parseLine(line({ type: 'rate_limit_event', rate_limit_info: { status: 'allowed', resetsAt: null } }));
    expect(diagnose('claude', { events: allowed, stderr: '', exitCode: 0 })).toEqual([]);
  });

  it('result.queued_turn_count > 0 says more turns follow', () => {
    const [, result] = createClaudeParser().parseLine(
      line({
        type: 'result',
        subtype: 'success',
        is_error: false,
        result: 'x',
        queued_turn_count: 2,
        usage: { input_tokens: 1, output_tokens: 1 },
      }),
    );
    expect(result).toMatchObject({ type: 'agent.result', ok: true, queuedTurns: 2 });
  });

  it('an API error message keeps its kind; authentication and billing hand the work on', () => {
    const events = createClaudeParser().parseLine(
      line({
        type: 'assistant',
        is_api_error_message: true,
        error: 'billing_error',
        message: { content: [{ type: 'text', text: 'Credit balance is too low' }] },
      }),
    );
    expect(events).toEqual([{ type: 'agent.error', message: 'Credit balance is too low', fatal: false, kind: 'billing_error' }]);
    expect(diagnose('claude', { events, stderr: '', exitCode: 1 }).map((d) => [d.entry.id, d.entry.handling])).toEqual([
      ['claude.auth-failed', 'fallback'],
    ]);
  });
});

// The same fields on the lines the pinned claude (2.1.330) really wrote (fixtures/streams/):
// the mapping must leave what was already handled as it was.
describe('claude: the new fields on recorded lines', () => {
  it.each([
    ['claude-err429', 'rate_limit', 'claude.api-rate-limit'],
    ['claude-err500', 'server_error', 'claude.api-server-error'],
  ])('%s: the API error keeps its kind (%s) and is diagnosed as before (%s), not handed on', (name, kind, id) => {
    const events = parseRecording(name);
    expect(ofType(events, 'agent.error').map((e) => e.kind)).toEqual([kind]);
    const ids = diagnose('claude', { events, stderr: '', exitCode: 1 }).map((d) => d.entry.id);
    expect(ids[0]).toBe(id);
    expect(ids).not.toContain('claude.auth-failed');
  });

  it('every recorded result carries queued_turn_count 0: nothing follows, so no queuedTurns', () => {
    for (const name of ['claude-ok', 'claude-patch', 'claude-schema', 'claude-err500']) {
      const [result] = ofType(parseRecording(name), 'agent.result');
      expect(result, name).toBeDefined();
      expect(result, name).not.toHaveProperty('queuedTurns');
    }
  });
});

describe('codex: request_user_input', () => {
  it('a question to the person becomes a BLOCKER report, once', () => {
    const parser = createCodexParser();
    const item = {
      id: 'item_3',
      type: 'request_user_input',
      questions: [{ id: 'q1', header: 'Scope', question: 'Should the old flag stay?', options: null }],
    };
    expect(parser.parseLine(line({ type: 'item.started', item }))).toEqual([
      { type: 'agent.report', kind: 'blocker', text: 'codex asks: Should the old flag stay?' },
    ]);
    expect(parser.parseLine(line({ type: 'item.completed', item }))).toEqual([]);
  });
});

describe('gemini: MODEL_CAPACITY_EXHAUSTED', () => {
  it('is terminal: the work goes to the next agent', () => {
    const stderr =
      'Error when talking to Gemini API {"error":{"code":429,"status":"RESOURCE_EXHAUSTED","details":[{"reason":"MODEL_CAPACITY_EXHAUSTED"}]}}\n';
    expect(diagnose('gemini', { events: [], stderr, exitCode: 1 }).map((d) => [d.entry.id, d.entry.handling])).toEqual([
      ['gemini.capacity-exhausted', 'fallback'],
    ]);
  });
});
