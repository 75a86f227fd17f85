import type { AgentEvent } from '../events/agent-event.js';
import type { AgentId } from './agent-id.js';
import { ADAPTERS } from './registry.js';
import { SAMPLE_LINES } from './sample-lines.js';

/**
 * Parses one short sample turn per CLI a few times, so that an agent's first lines are parsed as
 * fast as its hundredth (the first parse of a shape compiles its code paths: milliseconds that
 * would otherwise fall between a dangerous tool call arriving and the stop). Returns the events
 * of the last round, for callers that warm what consumes them.
 */
export function warmAdapters(rounds = 3): AgentEvent[] {
  let events: AgentEvent[] = [];
  for (let round = 0; round < rounds; round++) {
    events = [];
    for (const id of Object.keys(ADAPTERS) as AgentId[]) {
      const parser = ADAPTERS[id].createParser();
      for (const line of SAMPLE_LINES[id]) events.push(...parser.parseLine(line));
      events.push(...parser.flush());
    }
  }
  return events;
}
