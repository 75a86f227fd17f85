import type { AgentAdapter } from '../agents/adapter.js';
import type { AgentId } from '../agents/agent-id.js';
import { CODEX_DEFAULT_MODEL } from '../agents/adapters/codex.js';
import { GEMINI_DEFAULT_MODEL } from '../agents/adapters/gemini.js';
import type { AgentEvent, StreamParser } from '../events/agent-event.js';
import { costOf, priceOf, type CostSource, type ModelPrice } from './prices.js';

/**
 * Wraps a CLI's stream parser so every `agent.usage` says what it cost and where that figure came
 * from: the CLI's own (`costSource: "cli"`), the price table or the config, or `unknown` (no cost
 * field at all, so no reader can take it for 0). Pure: the events are changed, nothing else.
 */
export function pricedParser(
  parser: StreamParser,
  model: string | undefined,
  overrides: Readonly<Record<string, ModelPrice>> = {},
): StreamParser {
  const price = priceOf(model, overrides);
  // most lines hold no usage: their events are passed on as they are, not copied into a new array
  const priced = (events: AgentEvent[]): AgentEvent[] => {
    for (const e of events) if (e.type === 'agent.usage') return events.map((u) => (u.type === 'agent.usage' ? withCost(u, price) : u));
    return events;
  };
  return {
    parseLine: (line) => priced(parser.parseLine(line)),
    flush: () => priced(parser.flush()),
  };
}

type Usage = Extract<AgentEvent, { type: 'agent.usage' }>;

function withCost(e: Usage, price: { price: ModelPrice; source: CostSource } | undefined): Usage {
  if (e.costUsd !== undefined) return { ...e, costSource: 'cli' };
  if (!price) return { ...e, costSource: 'unknown' };
  return { ...e, costUsd: costOf(price.price, e), costSource: price.source };
}

/** The adapter with its parser priced (see pricedParser); the model is the config's or the CLI's default here. */
export function pricedAdapter(
  adapter: AgentAdapter,
  model: string | undefined,
  overrides: Readonly<Record<string, ModelPrice>> = {},
): AgentAdapter {
  const used = model ?? DEFAULT_MODELS[adapter.id];
  return { ...adapter, createParser: () => pricedParser(adapter.createParser(), used, overrides) };
}

/** The model each adapter passes when the config names none (claude: its own default; it reports cost itself). */
const DEFAULT_MODELS: Partial<Record<AgentId, string>> = { codex: CODEX_DEFAULT_MODEL, gemini: GEMINI_DEFAULT_MODEL };
