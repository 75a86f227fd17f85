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

  it('is carried by the diagnosis of a rate limit', () => {
    const d = diagnose('claude', { ...recording('claude-err429-default'), exitCode: 1 });
    expect(d.map((x) => [x.entry.id, x.captures['retryAfterMs']])).toEqual([['claude.api-rate-limit', '37783']]);
  });
});
