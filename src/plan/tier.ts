import type { AgentId } from '../agents/agent-id.js';
import type { TierName } from './types.js';

/**
 * Names the tier for the set of available agents (order-independent):
 * all three, gemini+claude, gemini+codex, claude+codex, or solo.
 */
export function tierFor(available: readonly AgentId[]): TierName {
  const has = new Set(available);
  if (has.size >= 3) return 'all-three';
  if (has.size === 1) return 'solo';
  if (has.has('gemini') && has.has('claude')) return 'gemini+claude';
  if (has.has('gemini') && has.has('codex')) return 'gemini+codex';
  if (has.has('claude') && has.has('codex')) return 'claude+codex';
  throw new Error(`no tier for agents [${available.join(', ')}]`);
}
