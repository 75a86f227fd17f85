/**
 * Prices of the models whose CLIs report tokens but no cost (codex, gemini), in USD per million
 * tokens. Data, dated: list prices change, so `prices` in the config overrides or adds models
 * (`{"prices": {"gpt-5.5-pro": {"input": 30, "output": 180}}}`). A model that is in neither is
 * priced as unknown, never as 0. claude reports its own cost (`total_cost_usd`), which wins.
 * All input tokens are charged at the input price (cached ones included): an upper bound, except
 * for a single request past the vendors' long-context threshold (gpt-5.5 over 272K input tokens,
 * gemini 3 pro over 200K), which they charge at a higher rate the table does not know.
 * The models the adapters pass by default (codex `gpt-5.5`, gemini `gemini-2.5-flash`) must be here:
 * a test holds them to it, so a session on the defaults never reports its spend as unknown.
 */
export const PRICE_TABLE = {
  /** The newest date a price here was taken from the vendors' pricing pages (each row's own date beside it). */
  asOf: '2026-11-05',
  sources: ['https://developers.openai.com/api/docs/pricing', 'https://ai.google.dev/gemini-api/docs/pricing'],
  models: {
    // OpenAI list prices of 2026-11-05 (gpt-5.5, codex's default here, and the 5.4 family codex offers)
    'gpt-5.5': { input: 5, output: 30 },
    'gpt-5.4': { input: 2.5, output: 15 },
    'gpt-5.4-mini': { input: 0.75, output: 4.5 },
    // OpenAI list prices of 2025-08-07
    'gpt-5': { input: 1.25, output: 10 },
    'gpt-5-codex': { input: 1.25, output: 10 },
    'gpt-5-mini': { input: 0.25, output: 2 },
    // Google list prices of 2026-07-04 (paid tier, text; gemini 3 pro up to 200K input tokens)
    'gemini-3-pro-preview': { input: 2, output: 12 },
    'gemini-3-flash-preview': { input: 0.5, output: 3 },
    // Google list prices of 2025-08-07
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
