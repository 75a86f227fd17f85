import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Waits for a condition with a bound: polls `predicate` until it returns a value other than
 * undefined/false, and throws after `timeoutMs` naming `what` it waited for. The one place tests
 * wait on something that sends no event (a pid dying, a file line appearing).
 */
export async function until<T>(predicate: () => T | undefined | false, { timeoutMs = 5000, intervalMs = 10, what = 'condition' } = {}): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = predicate();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(intervalMs);
  }
}
