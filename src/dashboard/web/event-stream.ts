import type { Context } from 'hono';
import { stream } from 'hono/streaming';
import { journalFilter, type JournalFilter } from '../../session/journal-filter.js';
import { JournalFeed } from './journal-feed.js';

/** How often an idle stream sends a comment, so a dead connection is noticed (and proxies keep it). */
const KEEPALIVE_MS = 25_000;

/** What the event streams share: one feed per session directory, and the streams open now. */
export interface StreamHub {
  feeds: Map<string, JournalFeed>;
  open: Set<Promise<unknown>>;
}

/**
 * Streams a session's journal as Server-Sent Events: every entry after `after` (the
 * `Last-Event-ID` a reconnecting EventSource sends, or `?after=`), each as `id: <seq>`,
 * `event: entry`, `data: <the journal line as written>`, `data: <the line \`logs\` prints for it>`;
 * then live entries as they are appended. When the session has ended (`session.completed`, or its
 * supervisor is gone) one `event: end` says why and the stream closes, so a finished session
 * replays fully and then stops.
 */
export function journalEvents(c: Context, dir: string, after: number, filter: JournalFilter, hub: StreamHub): Response {
  c.header('content-type', 'text/event-stream; charset=utf-8');
  c.header('x-accel-buffering', 'no');
  return stream(c, async (s) => {
    let ended!: () => void;
    const done = new Promise<void>((resolve) => (ended = resolve));
    hub.open.add(done);
    let closed = false;
    // writes are chained: a slow page gets its frames in order, late, never interleaved
    let writing: Promise<unknown> = s.write('retry: 1000\n\n');
    const send = (text: string): void => {
      if (closed) return;
      writing = writing.then(() => s.write(text)).catch(() => finish());
    };
    let unsubscribe: () => void = () => undefined;
    // eslint-disable-next-line prefer-const -- finish() above the timer's start closes over it
    let keepalive: NodeJS.Timeout | undefined;
    const finish = (): void => {
      if (closed) return;
      closed = true;
      clearInterval(keepalive);
      unsubscribe();
    };
    const finished = new Promise<void>((resolve) => {
      s.onAbort(() => (finish(), resolve()));
      c.req.raw.signal.addEventListener('abort', () => (finish(), resolve()), { once: true });
      unsubscribe = JournalFeed.for(dir, hub.feeds).subscribe(after, journalFilter(filter), {
        frames: (frames) => send(frames.map((f) => f.text).join('')),
        end: (reason) => {
          send(`event: end\ndata: ${JSON.stringify({ reason })}\n\n`);
          void writing.then(() => (finish(), resolve()));
        },
      });
    });
    keepalive = setInterval(() => send(': keepalive\n\n'), KEEPALIVE_MS);
    keepalive.unref();
    try {
      await finished;
      await writing.catch(() => undefined);
    } finally {
      hub.open.delete(done);
      ended();
    }
  });
}

/** The seq to resume after: `Last-Event-ID` (set by EventSource on reconnect) wins over `?after=`. */
export function resumeAfter(c: Context): number {
  const raw = c.req.header('last-event-id') ?? c.req.query('after') ?? '0';
  const n = Number(raw);
  return Number.isInteger(n) && n > 0 ? n : 0;
}
