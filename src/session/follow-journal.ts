import path from 'node:path';
import { watch, type FSWatcher } from 'node:fs';
import { JournalTail, type BadLine, type TailLine } from './journal-tail.js';
import { sessionPaths } from './paths.js';
import { sessionActivity, type SessionActivity } from './session-activity.js';

/** What `followJournal` needs: where, what to do with each line, and (for tests) how to tell the session ended. */
export interface FollowOptions {
  /** The session directory (its `events.jsonl` and `session.json` are watched). */
  dir: string;
  /** Called for every whole journal line, in order, including the final `session.completed`. */
  onLine: (line: TailLine) => void;
  /** Called for a whole line that is not JSON (damage); following goes on. */
  onBadLine?: (bad: BadLine) => void;
  /** Whether the session can still write; default: session.json and its supervisor pid. */
  activity?: (journalPid: number | undefined) => SessionActivity;
  /** How often to re-check without a file event, so a crashed supervisor still ends the follow (default 1 s). */
  checkMs?: number;
  /** How long to wait for `session.completed` after session.json records an end (default 2 s). */
  endGraceMs?: number;
  /** Aborting stops following (Ctrl-C). */
  signal?: AbortSignal;
}

/** Why following stopped; `torn` is an unterminated last line left by a writer that is gone. */
export interface FollowResult {
  reason: 'completed' | 'ended' | 'gone' | 'aborted';
  torn?: { line: number; text: string };
}

const EVENTS_FILE = 'events.jsonl';
const STATE_FILE = 'session.json';

/**
 * Prints a session's journal as it grows: everything already there, then each new whole line as it
 * is appended (inotify on the session directory, so a journal that does not exist yet is fine).
 * Resolves when `session.completed` is read, when the session ended without it, when the
 * supervisor is gone, or on abort. Rejects only if a callback throws.
 */
export function followJournal(opts: FollowOptions): Promise<FollowResult> {
  const dir = path.resolve(opts.dir);
  const paths = sessionPaths(dir);
  const tail = new JournalTail(paths.events);
  const activity = opts.activity ?? ((pid: number | undefined) => sessionActivity(paths.session, pid));
  const checkMs = opts.checkMs ?? 1000;
  const endGraceMs = opts.endGraceMs ?? 2000;

  return new Promise<FollowResult>((resolve, reject) => {
    let done = false;
    let journalPid: number | undefined;
    let watcher: FSWatcher | undefined;
    let graceTimer: NodeJS.Timeout | undefined;
    const interval = setInterval(() => check(), checkMs);

    const stop = (): void => {
      done = true;
      clearInterval(interval);
      clearTimeout(graceTimer);
      opts.signal?.removeEventListener('abort', onAbort);
      watcher?.close();
    };
    const finish = (reason: FollowResult['reason']): void => {
      if (done) return;
      stop();
      // A partial line while the session may still write is a line in flight, not a torn one.
      const torn = reason === 'aborted' ? undefined : tail.partial;
      resolve(torn ? { reason, torn } : { reason });
    };
    const fail = (error: unknown): void => {
      if (done) return;
      stop();
      reject(error instanceof Error ? error : new Error(String(error)));
    };
    /** Hands over every new whole line; true once `session.completed` was handed over. */
    const drain = (): boolean => {
      const { lines, bad } = tail.read();
      for (const b of bad) opts.onBadLine?.(b);
      for (const l of lines) {
        if (l.entry.type === 'session.started' && typeof l.entry['pid'] === 'number') journalPid = l.entry['pid'];
        opts.onLine(l);
        if (l.entry.type === 'session.completed') return true;
      }
      return false;
    };
    const check = (): void => {
      if (done) return;
      try {
        if (drain()) return finish('completed');
        const now = activity(journalPid);
        if (now === 'gone') {
          // the writer is dead: whatever is in the file now is all there will ever be
          return finish(drain() ? 'completed' : 'gone');
        }
        if (now === 'ended') {
          graceTimer ??= setTimeout(() => !done && finish(drain() ? 'completed' : 'ended'), endGraceMs);
        } else if (graceTimer) {
          clearTimeout(graceTimer);
          graceTimer = undefined;
        }
      } catch (error) {
        fail(error);
      }
    };
    /** A journal append needs only a read; whether the session ended is checked on its state's change and on the interval. */
    const onChange = (file: string | null): void => {
      if (done) return;
      if (file === EVENTS_FILE) {
        try {
          if (drain()) finish('completed');
        } catch (error) {
          fail(error);
        }
      } else if (file === STATE_FILE || file === null) check();
    };
    function onAbort(): void {
      finish('aborted');
    }

    if (opts.signal?.aborted) return finish('aborted');
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    check();
    if (done) return;
    try {
      // inotify on the directory (the journal may not exist yet; the state is replaced by rename):
      // every append is an event, and each read takes everything up to the end of the file
      watcher = watch(dir, { persistent: true }, (_event, file) => onChange(file === null ? null : String(file)));
      // a watch failure is not fatal: the interval check still reads the file
      watcher.on('error', () => undefined);
    } catch {
      watcher = undefined;
    }
    // catch whatever was appended between the first read and the watch being in place
    check();
  });
}
