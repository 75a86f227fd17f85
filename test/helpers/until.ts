import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Waits for a condition with a bound: polls `predicate` until it returns a value other than
 * undefined/false, and throws after `timeoutMs` naming `what` it waited for. The one place tests
 * wait on something that sends no event (a pid dying, a file line appearing).
 */
export async function until<T>(
  predicate: () => T | undefined | false,
  { timeoutMs = 5000, intervalMs = 10, what = 'condition' } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = predicate();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(intervalMs);
  }
}

/**
 * Waits for a condition that is sure to come unless something else happens first: no time bound
 * of its own (the machine's load decides how long a step takes; the test's timeout is the only
 * bound), but it fails at once when `unless` names why the condition can no longer come (the
 * process that would cause it has exited, …).
 */
export async function waitFor<T>(
  predicate: () => T | undefined | false,
  { what = 'condition', unless, intervalMs = 20 }: { what?: string; unless?: () => string | false | undefined; intervalMs?: number } = {},
): Promise<T> {
  for (;;) {
    const value = predicate();
    if (value !== undefined && value !== false) return value;
    const impossible = unless?.();
    if (impossible) {
      // one last look: the condition may have come just before what ended it
      const last = predicate();
      if (last !== undefined && last !== false) return last;
      throw new Error(`gave up waiting for ${what}: ${impossible}`);
    }
    await sleep(intervalMs);
  }
}
