import type { ExitCode } from '../errors.js';

/** Writes a session's last records synchronously: the exit code orchestrate is about to exit with, and why it was forced. */
export type LastWords = (code: ExitCode, why: string) => void;

const writers = new Set<LastWords>();

/**
 * A stop that does not finish in time is forced: orchestrate kills every agent group and exits at
 * once, without waiting for the session's normal ending. A running session registers here what
 * it must still write so that its outcome stays true (summary, session.json, `session.completed`);
 * the forced exit runs it first. Returns the unregister function (called when the session writes
 * its normal ending instead).
 */
export function onForcedExit(write: LastWords): () => void {
  writers.add(write);
  return () => void writers.delete(write);
}

/** Runs every registered writer once (each failure is reported, not thrown: the exit must happen). */
export function writeLastWords(code: ExitCode, why: string, report: (line: string) => void): void {
  for (const write of [...writers]) {
    writers.delete(write);
    try {
      write(code, why);
    } catch (error) {
      report(`orchestrate: could not write the session's outcome before exiting: ${(error as Error).message}`);
    }
  }
}
