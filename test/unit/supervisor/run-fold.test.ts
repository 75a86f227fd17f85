import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { getAdapter } from '../../../src/agents/registry.js';
import type { AgentEvent } from '../../../src/events/agent-event.js';
import { emptyRunFacts, foldRunEvent, sawDenial } from '../../../src/supervisor/run-fold.js';

function fold(events: AgentEvent[]) {
  const facts = emptyRunFacts();
  for (const e of events) foldRunEvent(facts, e);
  return facts;
}

function recorded(name: string): AgentEvent[] {
  const parser = getAdapter('claude').createParser();
  const lines = readFileSync(new URL(`../../../fixtures/streams/${name}`, import.meta.url), 'utf8').split('\n');
  return [...lines.flatMap((l) => parser.parseLine(l)), ...parser.flush()];
}

describe('foldRunEvent', () => {
  it("folds real claude's recorded stream into its session id, usage, final result and last message", () => {
    const events = recorded('claude-ok.jsonl');
    const facts = fold(events);
    const session = events.find((e) => e.type === 'agent.session');
    const result = events.find((e) => e.type === 'agent.result');
    expect(session && facts.cliSessionId).toBe(session?.type === 'agent.session' ? session.sessionId : 'no session event');
    expect(facts.final).toEqual({
      ok: true,
      ...(result?.type === 'agent.result' && result.denials !== undefined ? { denials: result.denials } : {}),
    });
    expect(facts.finalText).toBe(result?.type === 'agent.result' ? result.text : 'no result event');
    expect(facts.usage.inputTokens).toBeGreaterThan(0);
    expect(facts.lastMessages.length).toBeGreaterThan(0);
  });

  it('sums usage over events, keeps the last five messages, and the last result wins', () => {
    const facts = fold([
      { type: 'agent.usage', inputTokens: 10, outputTokens: 1, costUsd: 0.5 },
      { type: 'agent.usage', inputTokens: 5, outputTokens: 2 },
      ...['m1', 'm2', 'm3', 'm4', 'm5', 'm6'].map((text): AgentEvent => ({ type: 'agent.message', text })),
      { type: 'agent.result', ok: false, error: 'first', text: 'early', structured: { a: 1 } },
      { type: 'agent.result', ok: true, text: 'final' },
    ]);
    expect(facts.usage).toEqual({ inputTokens: 15, outputTokens: 3, costUsd: 0.5 });
    expect(facts.lastMessages).toEqual(['m2', 'm3', 'm4', 'm5', 'm6']);
    expect(facts.final).toEqual({ ok: true });
    expect(facts.finalText).toBe('final');
    expect(facts.structured).toBeUndefined();
  });

  it('keeps failure-shaped events as evidence and recognises a denied shell call, not an ordinary one', () => {
    const ok: AgentEvent = { type: 'agent.tool_result', toolId: '1', ok: true, output: 'done' };
    const denied: AgentEvent = {
      type: 'agent.tool_result',
      toolId: '2',
      ok: false,
      output: "touch: cannot touch 'x': Read-only file system",
    };
    expect(sawDenial(fold([ok]))).toBe(false);
    expect(fold([ok]).evidence).toEqual([]);
    const facts = fold([ok, denied]);
    expect(facts.evidence).toEqual([denied]);
    expect(sawDenial(facts)).toBe(true);
    expect(sawDenial(fold([{ type: 'agent.result', ok: true, denials: 2 }]))).toBe(true);
  });
});
