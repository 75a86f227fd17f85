import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { AgentId } from '../../../src/agents/agent-id.js';
import { isAgentId } from '../../../src/agents/agent-id.js';
import { getAdapter } from '../../../src/agents/registry.js';
import type { AgentEvent, AgentEventType } from '../../../src/events/agent-event.js';
import { splitLines } from '../../../src/events/line-splitter.js';

/** The recorded real-CLI streams (a copy of the observation lab's `streams/`). */
export const STREAMS_DIR = fileURLToPath(new URL('../../../fixtures/streams/', import.meta.url));

/** One recording: `<cli>-<scenario>.jsonl`. */
export interface Recording {
  /** File name without `.jsonl`, e.g. `claude-ok`. */
  name: string;
  agent: AgentId;
  lines: string[];
}

/** Every `*.jsonl` recording, read from disk at test time (no hard-coded list). */
export function listRecordings(): Recording[] {
  return readdirSync(STREAMS_DIR)
    .filter((file) => file.endsWith('.jsonl'))
    .sort()
    .map((file) => {
      const name = file.slice(0, -'.jsonl'.length);
      const prefix = name.split('-')[0] ?? '';
      if (!isAgentId(prefix)) throw new Error(`recording ${file} does not start with an agent id`);
      const text = readFileSync(`${STREAMS_DIR}${file}`, 'utf8');
      return { name, agent: prefix, lines: splitLines(text).map((line) => line.text) };
    });
}

/** One recording by name; throws when it is missing so a renamed fixture fails loudly. */
export function recording(name: string): Recording {
  const found = listRecordings().find((candidate) => candidate.name === name);
  if (found === undefined) throw new Error(`no recording named ${name}`);
  return found;
}

/** Runs `lines` through a fresh parser of `agent`, flush included. */
export function parseLines(agent: AgentId, lines: readonly string[]): AgentEvent[] {
  const parser = getAdapter(agent).createParser();
  return [...lines.flatMap((line) => parser.parseLine(line)), ...parser.flush()];
}

/** Parses a whole recording. */
export function parseRecording(name: string): AgentEvent[] {
  const { agent, lines } = recording(name);
  return parseLines(agent, lines);
}

/** The events of one type, narrowed. */
export function ofType<T extends AgentEventType>(events: readonly AgentEvent[], type: T): Array<Extract<AgentEvent, { type: T }>> {
  return events.filter((event): event is Extract<AgentEvent, { type: T }> => event.type === type);
}

/** The one `agent.result`; fails when there is not exactly one. */
export function onlyResult(events: readonly AgentEvent[]): Extract<AgentEvent, { type: 'agent.result' }> {
  const results = ofType(events, 'agent.result');
  if (results.length !== 1) throw new Error(`expected one agent.result, got ${results.length}`);
  return results[0]!;
}
