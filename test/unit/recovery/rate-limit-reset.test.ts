import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { AgentId } from '../../../src/agents/agent-id.js';
import { getAdapter } from '../../../src/agents/registry.js';
import type { AgentEvent } from '../../../src/events/agent-event.js';
import { diagnose } from '../../../src/recovery/diagnose.js';
import { findRateLimitReset } from '../../../src/recovery/rate-limit-reset.js';

const STREAMS = fileURLToPath(new URL('../../../fixtures/streams/', import.meta.url));

function recording(name: string): { events: AgentEvent[]; stderr: string } {
  const parser = getAdapter(name.split('-')[0] as AgentId).createParser();
  const events = [
    ...readFileSync(path.join(STREAMS, `${name}.jsonl`), 'utf8')
      .split('\n')
      .flatMap((l) => parser.parseLine(l)),
    ...parser.flush(),
  ];
  return { events, stderr: readFileSync(path.join(STREAMS, `${name}.stderr.txt`), 'utf8') };
}

describe('findRateLimitReset', () => {
  it("takes claude's last backoff from the recorded api_retry events", () => {
    expect(findRateLimitReset(recording('claude-err429-default'))).toEqual({ retryAfterMs: 37783, source: 'api_retry.retry_delay_ms' });
    expect(findRateLimitReset(recording('claude-err429'))).toEqual({ retryAfterMs: 1142, source: 'api_retry.retry_delay_ms' });
  });

  it('finds no reset in the codex and gemini recordings (none was sent; gemini says retryDelayMs: undefined)', () => {
    for (const name of ['codex-err429', 'codex-err429-default', 'gemini-err429', 'gemini-err429-default']) {
      expect(findRateLimitReset(recording(name)), name).toBeUndefined();
    }
  });

  it('reads the forms the CLIs print when the API states one', () => {
    const of = (stderr: string) => findRateLimitReset({ events: [], stderr });
    expect(of('Rate limit reached for gpt-5.5. Please try again in 1.5s.')).toEqual({ retryAfterMs: 1500, source: 'try again in' });
    expect(of('usage limit: try again in 20 minutes')).toEqual({ retryAfterMs: 1_200_000, source: 'try again in' });
    expect(of('Please retry in 41.2s.')).toEqual({ retryAfterMs: 41_200, source: 'try again in' });
    expect(of('  retryDelayMs: 12000,\n  status: 429')).toEqual({ retryAfterMs: 12_000, source: 'retryDelayMs' });
    expect(of('retry-after: 7')).toEqual({ retryAfterMs: 7000, source: 'retry-after' });
    expect(of('limit resets at 2026-11-21T20:00:00Z')).toEqual({ resetAt: '2026-11-21T20:00:00Z', source: 'reset instant' });
    expect(of('retryDelayMs: undefined')).toBeUndefined();
  });

  it("reads gemini's quota errors (gemini-cli 0.61 classifyGoogleError: TerminalQuotaError, RetryableQuotaError)", () => {
    const result = (message: string): { events: AgentEvent[]; stderr: string } => ({
      events: [
        { type: 'agent.result', ok: false, error: `[API Error: ${message}]\nPlease wait and try again later.`, apiErrorStatus: 429 },
      ],
      stderr: '',
    });
    // the Code Assist quota: the text names the reset
    expect(findRateLimitReset(result('You have exhausted your capacity on this model. Your quota will reset after 2h52m39s.'))).toEqual({
      retryAfterMs: (2 * 3600 + 52 * 60 + 39) * 1000,
      source: 'reset after',
    });
    expect(findRateLimitReset(result('Your quota will reset after 0s.'))).toEqual({ retryAfterMs: 0, source: 'reset after' });
    // a RetryInfo delay, in gemini-cli's words and in the Gemini API's
    expect(findRateLimitReset(result('Resource has been exhausted (e.g. check quota).\nSuggested retry after 41.5s.'))).toEqual({
      retryAfterMs: 41_500,
      source: 'suggested retry after',
    });
    expect(findRateLimitReset(result('You exceeded your current quota. Please retry in 500ms.'))).toEqual({
      retryAfterMs: 500,
      source: 'try again in',
    });
    // the error's own field on stderr, when the message names nothing
    const stderr =
      "TerminalQuotaError: You have exhausted your daily quota on this model.\n  retryDelayMs: 9000000,\n  reason: 'QUOTA_EXHAUSTED',";
    expect(findRateLimitReset({ events: [], stderr })).toEqual({ retryAfterMs: 9_000_000, source: 'retryDelayMs' });
    // a daily quota without a delay has no reset to wait for
    expect(findRateLimitReset(result('You have exhausted your daily quota on this model.'))).toBeUndefined();
    expect(findRateLimitReset(result('Your quota will reset after soon.'))).toBeUndefined();
  });

  it('is carried by the diagnosis of a rate limit', () => {
    const d = diagnose('claude', { ...recording('claude-err429-default'), exitCode: 1 });
    expect(d.map((x) => [x.entry.id, x.captures['retryAfterMs']])).toEqual([['claude.api-rate-limit', '37783']]);
  });
});
