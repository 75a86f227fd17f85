import type { Context } from 'hono';
import { stream } from 'hono/streaming';
import { followJournal } from '../../session/follow-journal.js';
import { describeEntry } from '../describe-entry.js';
import { journalFilter, type JournalFilter } from '../../session/journal-filter.js';

/** How often an idle stream sends a comment, so a dead connection is noticed (and proxies keep it). */
const KEEPALIVE_MS = 25_000;

/**
 * Streams a session's journal as Server-Sent Events: every entry after `after` (the
 * `Last-Event-ID` a reconnecting EventSource sends, or `?after=`), each as `id: <seq>`,
 * `event: entry`, `data: <the journal line as written>`, `data: <the line \`logs\` prints for it>`; then live entries as they are appended.
 * When the session has ended (`session.completed`, or its supervisor is gone) one `event: end`
 * says why and the stream closes, so a finished session replays fully and then stops.
 */
export function journalEvents(c: Context, dir: string, after: number, filter: JournalFilter, open?: Set<Promise<unknown>>): Response {
  c.header('content-type', 'text/event-stream; charset=utf-8');
  c.header('x-accel-buffering', 'no');
  const keep = journalFilter(filter);
  return stream(c, async (s) => {
    let ended!: () => void;
    const done = new Promise<void>((resolve) => (ended = resolve));
    open?.add(done);
    const abort = new AbortController();
    s.onAbort(() => abort.abort());
    c.req.raw.signal.addEventListener('abort', () => abort.abort(), { once: true });
    // Lines of one read are sent as one write: at hundreds of entries a second that is a few writes, not hundreds.
    let batch = '';
    let writing: Promise<unknown> = Promise.resolve();
    const flush = (): void => {
      if (!batch || abort.signal.aborted) return;
      const text = batch;
      batch = '';
      writing = writing.then(() => s.write(text)).catch(() => abort.abort());
    };
    await s.write(`retry: 1000\n\n`);
    const keepalive = setInterval(() => {
      writing = writing.then(() => s.write(': keepalive\n\n')).catch(() => abort.abort());
    }, KEEPALIVE_MS);
    keepalive.unref();
    try {
      const result = await followJournal({
        dir,
        signal: abort.signal,
        onLine: (l) => {
          if (l.entry.seq <= after || !keep(l.entry)) return;
          if (!batch) queueMicrotask(flush);
          // a second data line: the entry as `logs` words it (one line), so the page needs no copy of describeEntry
          const text = (describeEntry(l.entry) ?? '').replace(/[\r\n]+/g, ' ');
          batch += `id: ${l.entry.seq}\nevent: entry\ndata: ${l.raw}\ndata: ${text}\n\n`;
        },
      });
      flush();
      if (result.reason !== 'aborted') {
        writing = writing.then(() => s.write(`event: end\ndata: ${JSON.stringify({ reason: result.reason })}\n\n`));
      }
      await writing.catch(() => undefined);
    } finally {
      clearInterval(keepalive);
      open?.delete(done);
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
