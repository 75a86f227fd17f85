/**
 * Prices of the models whose CLIs report tokens but no cost (codex, gemini), in USD per million
 * tokens. Data, dated: list prices change, so `prices` in the config overrides or adds models
 * (`{"prices": {"gpt-5.5": {"input": 1.25, "output": 10}}}`). A model that is in neither is
 * priced as unknown, never as 0. claude reports its own cost (`total_cost_usd`), which wins.
 * All input tokens are charged at the input price (cached ones included): an upper bound.
 */
export const PRICE_TABLE = {
  /** When these list prices were taken from the vendors' pricing pages. */
  asOf: '2025-08-07',
  sources: ['https://openai.com/api/pricing/', 'https://ai.google.dev/gemini-api/docs/pricing'],
  models: {
    'gpt-5': { input: 1.25, output: 10 },
    'gpt-5-codex': { input: 1.25, output: 10 },
    'gpt-5-mini': { input: 0.25, output: 2 },
    'gemini-2.5-pro': { input: 1.25, output: 10 },
    'gemini-2.5-flash': { input: 0.3, output: 2.5 },
    'gemini-2.5-flash-lite': { input: 0.1, output: 0.4 },
  } as Record<string, ModelPrice>,
} as const;

/** USD per million input and output tokens. */
export interface ModelPrice {
  input: number;
  output: number;
}

/** Where a run's cost figure came from. */
export type CostSource = 'cli' | 'price-table' | 'config' | 'unknown';

/** The price of `model`: the config's first, then the table's; undefined when neither has it. */
export function priceOf(
  model: string | undefined,
  overrides: Readonly<Record<string, ModelPrice>> = {},
): { price: ModelPrice; source: CostSource } | undefined {
  if (model === undefined) return undefined;
  const own = overrides[model];
  if (own) return { price: own, source: 'config' };
  const listed = PRICE_TABLE.models[model];
  return listed ? { price: listed, source: 'price-table' } : undefined;
}

/** The cost of some tokens at a price, rounded to a millionth of a dollar. */
export function costOf(price: ModelPrice, tokens: { inputTokens: number; outputTokens: number }): number {
  return Math.round(((tokens.inputTokens * price.input + tokens.outputTokens * price.output) / 1_000_000) * 1e6) / 1e6;
}
