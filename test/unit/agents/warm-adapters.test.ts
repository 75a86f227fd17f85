import { describe, expect, it } from 'vitest';
import type { AgentId } from '../../../src/agents/agent-id.js';
import { ADAPTERS } from '../../../src/agents/registry.js';
import { SAMPLE_LINES } from '../../../src/agents/sample-lines.js';
import { warmAdapters } from '../../../src/agents/warm-adapters.js';

// The warm-up is only worth something while its sample lines take each parser down the paths a
// real stream takes: if an adapter stops recognising them, this fails instead of warming nothing.
describe('the sample turns that warm the parsers', () => {
  for (const id of Object.keys(ADAPTERS) as AgentId[]) {
    it(`${id}: every line is understood, and the turn has a session, a shell call, its result and an end`, () => {
      const parser = ADAPTERS[id].createParser();
      const events = [...SAMPLE_LINES[id].flatMap((line) => parser.parseLine(line)), ...parser.flush()];
      const types = events.map((e) => e.type);
      expect(types.filter((t) => t === 'agent.unknown' || t === 'agent.parse_error')).toEqual([]);
      expect(types).toEqual(
        expect.arrayContaining(['agent.session', 'agent.tool_call', 'agent.tool_result', 'agent.message', 'agent.result']),
      );
      const shell = events.find((e) => e.type === 'agent.tool_call' && e.kind === 'shell');
      expect(shell).toMatchObject({ command: expect.stringContaining('echo hello > out.txt') });
    });
  }

  it('warmAdapters parses every CLI’s turn and returns the last round’s events', () => {
    const events = warmAdapters(1);
    const shellCalls = events.filter((e) => e.type === 'agent.tool_call' && e.kind === 'shell');
    expect(shellCalls).toHaveLength(Object.keys(ADAPTERS).length);
  });
});
