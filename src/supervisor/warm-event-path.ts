import { warmAdapters } from '../agents/warm-adapters.js';
import { warmGuards } from '../safety/warm-guards.js';

/**
 * Warms the path one line takes from an agent's stdout to a decision (each CLI's parser, the
 * command filter, the stream guards) before the first agent starts. Returns the time it took, ms.
 */
export function warmEventPath(): number {
  const t0 = performance.now();
  warmGuards(warmAdapters());
  return performance.now() - t0;
}
