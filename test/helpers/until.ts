import { setTimeout as sleep } from 'node:timers/promises';

/**
 * How long a test waits for something that is sure to come before it calls it lost: a ceiling
 * for a condition that will never come (a hang, a bug), never a measure of speed. On this 2-core
 * machine at load 15+ a step that takes a second idle takes tens of seconds, so it is generous.
 */
export const WAIT_CEILING_MS = 120_000;

/**
 * Waits for a condition: polls `predicate` until it returns a value other than undefined/false.
 * The one place tests wait on something that sends no event (a pid dying, a file line appearing).
 * Only when it has not come after `timeoutMs` (a ceiling for "never", not a speed bound) does it
 * throw, naming `what` did not happen.
 */
export async function until<T>(
  predicate: () => T | undefined | false,
  { timeoutMs = WAIT_CEILING_MS, intervalMs = 10, what = 'condition' } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = predicate();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`${what} did not happen (still not after ${Math.round(timeoutMs / 1000)} s)`);
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
