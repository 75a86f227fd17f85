import { followJournal, type FollowResult } from '../../session/follow-journal.js';
import type { JournalEntry } from '../../session/journal-entry.js';
import { JournalTail } from '../../session/journal-tail.js';
import { sessionPaths } from '../../session/paths.js';
import { describeEntry } from '../describe-entry.js';

/** One journal line as an SSE frame, made once for every subscriber. */
export interface Frame {
  entry: JournalEntry;
  /** `id: <seq>\nevent: entry\ndata: <line>\ndata: <the line `logs` prints>\n\n`. */
  text: string;
}

/** A subscriber: gets frames in order, then the end (why following stopped). */
export interface FeedListener {
  frames(frames: Frame[]): void;
  end(reason: FollowResult['reason']): void;
}

/** The SSE frame of one journal line. */
export function frameOf(entry: JournalEntry, raw: string): Frame {
  const text = (describeEntry(entry) ?? '').replace(/[\r\n]+/g, ' ');
  return { entry, text: `id: ${entry.seq}\nevent: entry\ndata: ${raw}\ndata: ${text}\n\n` };
}

/**
 * One follower of a session's journal shared by every page that streams it: the file is read,
 * parsed and framed once, however many pages are open. A new subscriber first reads what is in
 * the file now (synchronously, so nothing can be appended in between), then gets only frames
 * after that from the shared follower. The follower stops when the session ends or when the last
 * subscriber leaves.
 */
export class JournalFeed {
  private readonly listeners = new Set<FeedListener>();
  private readonly abort = new AbortController();
  private ended: FollowResult['reason'] | undefined;
  /** The last seq the shared follower handed out. */
  private seq = 0;

  private constructor(
    private readonly dir: string,
    private readonly onIdle: () => void,
  ) {}

  /** Feeds by session directory; a feed is made on first use and dropped when idle. */
  static for(dir: string, feeds: Map<string, JournalFeed>): JournalFeed {
    let feed = feeds.get(dir);
    if (!feed) {
      const made = new JournalFeed(dir, () => feeds.delete(dir));
      feeds.set(dir, made);
      made.start();
      feed = made;
    }
    return feed;
  }

  /**
   * Hands the listener every frame after `after` (from the file, then live) and finally the end.
   * Returns the unsubscribe function.
   */
  subscribe(after: number, keep: (e: JournalEntry) => boolean, listener: FeedListener): () => void {
    // catch-up from the file: synchronously, so the shared follower cannot move in between
    const { lines } = new JournalTail(sessionPaths(this.dir).events).read();
    const caught = lines.filter((l) => l.entry.seq > after && keep(l.entry)).map((l) => frameOf(l.entry, l.raw));
    const upTo = Math.max(after, lines.at(-1)?.entry.seq ?? 0);
    if (caught.length) listener.frames(caught);
    if (this.ended && this.seq <= upTo) {
      listener.end(this.ended);
      return () => undefined;
    }
    const filtered: FeedListener = {
      frames: (frames) => {
        const mine = frames.filter((f) => f.entry.seq > upTo && keep(f.entry));
        if (mine.length) listener.frames(mine);
      },
      end: (reason) => listener.end(reason),
    };
    this.listeners.add(filtered);
    return () => {
      this.listeners.delete(filtered);
      if (this.listeners.size === 0 && !this.ended) this.stop();
    };
  }

  private start(): void {
    let batch: Frame[] = [];
    const flush = (): void => {
      const frames = batch;
      batch = [];
      for (const l of this.listeners) l.frames(frames);
    };
    void followJournal({
      dir: this.dir,
      signal: this.abort.signal,
      onLine: (l) => {
        this.seq = l.entry.seq;
        // the lines of one read go out as one batch
        if (batch.length === 0) queueMicrotask(flush);
        batch.push(frameOf(l.entry, l.raw));
      },
    }).then(
      (result) => {
        flush();
        this.ended = result.reason;
        for (const l of this.listeners) l.end(result.reason);
        this.listeners.clear();
        this.onIdle();
      },
      () => {
        this.ended = 'gone';
        for (const l of this.listeners) l.end('gone');
        this.listeners.clear();
        this.onIdle();
      },
    );
  }

  private stop(): void {
    this.onIdle();
    this.abort.abort();
  }
}
