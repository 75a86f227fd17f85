import { describe, expect, it } from 'vitest';
import type { AgentId } from '../../../src/agents/agent-id.js';
import { createClaudeParser } from '../../../src/agents/adapters/claude-stream.js';
import { createCodexParser } from '../../../src/agents/adapters/codex-stream.js';
import { createGeminiParser } from '../../../src/agents/adapters/gemini-stream.js';
import type { ParserOptions } from '../../../src/agents/adapters/stream-helpers.js';
import type { AgentEvent, StreamParser } from '../../../src/events/agent-event.js';
import { listRecordings } from './recorded-streams.js';

// The adapters check the shape of their most frequent lines by hand and send everything else
// through the zod schemas. Here both paths (`handChecks: false` is zod alone) read the same lines
// and must give the same events, line by line: every recorded real line (fixtures/streams, the
// same set as /work/shared/agents/streams), and each line broken at random places into the shapes
// the schemas reject (a string where an object was, null, a number, an array, a missing field).

const PARSERS: Record<AgentId, (options: ParserOptions) => StreamParser> = {
  claude: createClaudeParser,
  gemini: createGeminiParser,
  codex: createCodexParser,
};

/** Deterministic pseudo-random numbers (mulberry32), so a failure can be reproduced. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Every path into a JSON value (keys and indexes), the root excluded. */
function paths(value: Json, prefix: Array<string | number> = []): Array<Array<string | number>> {
  if (value === null || typeof value !== 'object') return [];
  const entries: Array<[string | number, Json]> = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
  return entries.flatMap(([key, child]) => [[...prefix, key], ...paths(child, [...prefix, key])]);
}

const REPLACEMENTS: Array<Json | typeof DELETE> = [];
const DELETE = Symbol('delete');
REPLACEMENTS.push(null, 0, 7, -1.5, true, false, '', 'x', 'Exit code 3', [], [1], ['a'], {}, { type: 'text' }, [{ type: 'text' }], DELETE);

/** `value` with the thing at `path` replaced (or removed), as a JSON line. */
function mutate(value: Json, path: Array<string | number>, replacement: Json | typeof DELETE): string {
  const copy = structuredClone(value) as Json;
  let parent = copy as Record<string | number, Json>;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, Json>;
  const last = path[path.length - 1]!;
  if (replacement !== DELETE) parent[last] = replacement;
  else if (Array.isArray(parent)) parent.splice(Number(last), 1);
  else delete parent[last];
  return JSON.stringify(copy);
}

/** Feeds `lines` to a hand-checked and a zod-only parser in step; returns how often each gave agent.unknown. */
function compare(agent: AgentId, lines: readonly string[], where: string): { lines: number; unknown: number } {
  const hand = PARSERS[agent]({});
  const zod = PARSERS[agent]({ handChecks: false });
  let unknown = 0;
  lines.forEach((line, i) => {
    let fromHand: AgentEvent[];
    let fromZod: AgentEvent[];
    try {
      fromHand = hand.parseLine(line);
      fromZod = zod.parseLine(line);
    } catch (error) {
      throw new Error(`${where}, line ${i + 1} threw: ${(error as Error).message}\n${line}`, { cause: error });
    }
    if (JSON.stringify(fromHand) !== JSON.stringify(fromZod))
      expect({ where, line, events: fromHand }).toEqual({ where, line, events: fromZod });
    if (fromZod.some((e) => e.type === 'agent.unknown')) unknown++;
  });
  expect(hand.flush()).toEqual(zod.flush());
  return { lines: lines.length, unknown };
}

describe('hand-written shape checks against the zod schemas', () => {
  const recordings = listRecordings();

  it('give the same events on every recorded line of every CLI', () => {
    for (const agent of ['claude', 'gemini', 'codex'] as const) expect(recordings.some((r) => r.agent === agent)).toBe(true);
    for (const r of recordings) compare(r.agent, r.lines, r.name);
  });

  it('give the same events on recorded lines broken at random places (a known type with a wrong shape is agent.unknown on both)', () => {
    const next = random(12);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
    let total = 0;
    let rejected = 0;
    for (const r of recordings) {
      const stream: string[] = [];
      for (const line of r.lines) {
        stream.push(line);
        let value: Json;
        try {
          value = JSON.parse(line) as Json;
        } catch {
          continue;
        }
        const places = paths(value).filter((p) => p[0] !== 'type');
        if (places.length === 0) continue;
        // the nearer the top a field is, the more often it is broken: that is where the schemas look
        const shallow = places.filter((p) => p.length <= 4);
        for (let n = 0; n < 60; n++) stream.push(mutate(value, pick(n % 2 === 0 && shallow.length ? shallow : places), pick(REPLACEMENTS)));
      }
      const seen = compare(r.agent, stream, `${r.name} (broken)`);
      total += seen.lines;
      rejected += seen.unknown;
    }
    // the broken lines really reach the schemas' rejections, not only harmless changes
    expect(total).toBeGreaterThan(10_000);
    expect(rejected).toBeGreaterThan(1_000);
  });

  it('reject the shapes each hot line type must not have, as the schema does', () => {
    const cases: Array<[AgentId, string]> = [
      ['claude', '{"type":"assistant","message":{"content":[{"type":"text","text":5}]}}'],
      ['claude', '{"type":"assistant","message":{"content":[["text"]]}}'],
      ['claude', '{"type":"assistant","message":[]}'],
      ['claude', '{"type":"user","message":{"content":[{"type":"tool_result","is_error":"yes"}]}}'],
      ['claude', '{"type":"assistant","message":{"content":"hi"},"is_api_error_message":1}'],
      ['claude', '{"type":"assistant","message":{"content":null}}'],
      ['claude', '{"type":"system","subtype":"init","session_id":7}'],
      ['claude', '{"type":"system","subtype":"init","session_id":"s","cwd":["/"]}'],
      ['claude', '{"type":"system","subtype":"api_retry","attempt":"1"}'],
      ['claude', '{"type":"system","subtype":"permission_denied","tool_name":"Bash"}'],
      ['gemini', '{"type":"message","role":"assistant","content":5,"delta":true}'],
      ['gemini', '{"type":"tool_use","tool_name":["run_shell_command"]}'],
      ['gemini', '{"type":"tool_result","status":"error","error":{"type":"x"}}'],
      ['codex', '{"type":"item.completed","item":{"id":"i","type":"command_execution","exit_code":"0"}}'],
      ['codex', '{"type":"item.started","item":{"id":1,"type":"command_execution"}}'],
      ['codex', '{"type":"item.completed","item":{"id":"i","type":"file_change","changes":[{"path":"a"}]}}'],
      ['codex', '{"type":"item.completed","item":{"id":"i","type":"mcp_tool_call","error":"boom"}}'],
    ];
    for (const [agent, line] of cases) {
      expect(PARSERS[agent]({}).parseLine(line), line).toEqual([{ type: 'agent.unknown', raw: line }]);
      expect(PARSERS[agent]({ handChecks: false }).parseLine(line), line).toEqual([{ type: 'agent.unknown', raw: line }]);
    }
  });
});
