import type { Ceilings } from '../budget/session-budget.js';
import type { OrchestrateConfig } from '../config/schema.js';
import { UsageError } from '../errors.js';

/** `--max-cost` and `--max-tokens` (they win over the config's `maxCost` and `maxTokens`), checked. */
export function readCeilings(
  flags: { maxCost?: string; maxTokens?: string },
  config: Pick<OrchestrateConfig, 'maxCost' | 'maxTokens'>,
): Ceilings {
  const out: Ceilings = {};
  const cost =
    flags.maxCost !== undefined ? positive('--max-cost', flags.maxCost, 'a dollar amount, e.g. --max-cost 5 or 0.50') : config.maxCost;
  const tokens =
    flags.maxTokens !== undefined
      ? positive('--max-tokens', flags.maxTokens, 'a whole number of tokens, e.g. --max-tokens 2000000', true)
      : config.maxTokens;
  if (cost !== undefined) out.costUsd = cost;
  if (tokens !== undefined) out.tokens = tokens;
  return out;
}

function positive(name: string, text: string, hint: string, integer = false): number {
  const value = Number(text.trim().replace(/^\$/, ''));
  if (text.trim() === '' || !Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
    throw new UsageError(`${name}: not ${integer ? 'a positive whole number' : 'a positive amount'}: "${text}"`, `give ${hint}`);
  }
  return value;
}
