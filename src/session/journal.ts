import { closeSync, openSync, writeSync } from 'node:fs';
import type { Clock } from '../clock.js';
import type { JournalEntry, JournalInput } from './journal-entry.js';

/** Called after each entry is written, with the exact line written (no newline), so `--json` never serialises twice. */
export type JournalListener = (entry: JournalEntry, line: string) => void;

/** Held stream lines past this many characters are written at the end of their batch, not when the window ends. */
const HELD_LIMIT = 256 * 1024;
/** The held lines' buffer: its first size, and the most kept after a flush. */
const HELD_START = 64 * 1024;
const HELD_KEEP = 1024 * 1024;
/** How long held stream lines wait for the other agents' lines before they are written. */
const WINDOW_MS = 10;

/** Journals holding lines, written before the process exits (process.exit, an uncaught error). */
const holding = new Set<Journal>();
let exitHook = false;

/**
 * The append-only session journal. Entries are written as whole lines on an O_APPEND descriptor,
 * so a crash leaves a journal that parses up to its last complete line. Entries appended inside
 * `batch()` (an agent's stream) are held and written together at most 10 ms after the first,
 * every agent's lines of those turns in one `write(2)` (with many agents each chunk arrives in a
 * turn of its own, so once per turn was still hundreds of writes a second); an entry appended
 * outside a batch is written at once, after whatever is held, so the file keeps the order of
 * `append` and holds every entry appended outside a batch by the time `append` returns. Listeners
 * (the guards, the reporter) are told at `append`, in order: holding delays only the file.
 */
export class Journal {
  private readonly fd: number;
  private seq: number;
  private readonly listeners = new Set<JournalListener>();
  private closed = false;
  private inBatch = false;
  /**
   * Lines appended in batches, not yet written, already UTF-8 with their newlines: encoded one by
   * one as they come (a line of ASCII stays one-byte text to the end), never joined into one big
   * string first, where a single line with a wide character made all of them two-byte.
   */
  private held = Buffer.allocUnsafe(HELD_START);
  private heldBytes = 0;
  private heldChars = 0;
  private flushQueued = false;
  private lastNow = Number.NaN;
  private lastTime = '';
  /** The time of the batch under way, read at its first entry: one clock read per chunk of lines, not one per line. */
  private batchTime: string | undefined;

  constructor(
    readonly file: string,
    private readonly clock: Clock,
    /** The last seq already in the file (resume continues after it). */
    lastSeq = 0,
  ) {
    this.fd = openSync(file, 'a', 0o644);
    this.seq = lastSeq;
  }

  /** Appends one entry (`input`, then the fields of `extra`) and tells the listeners. Returns the entry as written. */
  append(input: JournalInput, extra?: Record<string, unknown>): JournalEntry {
    if (this.closed) throw new Error(`journal ${this.file} is closed`);
    const entry = { seq: ++this.seq, time: this.timeNow(), ...input, ...extra } as JournalEntry;
    const line = JSON.stringify(entry);
    if (this.inBatch) this.hold(line);
    else if (this.heldBytes > 0) {
      this.hold(line);
      this.flush();
    } else writeSync(this.fd, `${line}\n`);
    for (const listener of this.listeners) listener(entry, line);
    return entry;
  }

  /** Runs `fn`; the entries it appends are held and written with the other stream lines of the window (nested batches join the outer one). */
  batch<T>(fn: () => T): T {
    if (this.inBatch) return fn();
    this.inBatch = true;
    try {
      return fn();
    } finally {
      this.inBatch = false;
      this.batchTime = undefined;
      if (this.heldChars >= HELD_LIMIT) this.flush();
      else if (this.heldBytes > 0) this.flushLater();
    }
  }

  /** Writes the held lines now (one write). */
  flush(): void {
    if (this.heldBytes === 0 || this.closed) return;
    const bytes = this.heldBytes;
    this.heldBytes = 0;
    this.heldChars = 0;
    holding.delete(this);
    writeSync(this.fd, this.held, 0, bytes);
    // a huge line grew the buffer: not kept for the rest of the session
    if (this.held.length > HELD_KEEP) this.held = Buffer.allocUnsafe(HELD_START);
  }

  /** Adds one line and its newline to the held bytes. */
  private hold(line: string): void {
    // a UTF-16 code unit is at most 3 bytes of UTF-8 (a surrogate pair, two units, is 4)
    const room = this.heldBytes + line.length * 3 + 1;
    if (room > this.held.length) {
      const bigger = Buffer.allocUnsafe(Math.max(room, this.held.length * 2));
      this.held.copy(bigger, 0, 0, this.heldBytes);
      this.held = bigger;
    }
    this.heldBytes += this.held.write(line, this.heldBytes, 'utf8');
    this.held[this.heldBytes++] = 0x0a;
    this.heldChars += line.length;
  }

  /** Subscribes to entries; returns the unsubscribe function. */
  subscribe(listener: JournalListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get lastSeq(): number {
    return this.seq;
  }

  close(): void {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    closeSync(this.fd);
  }

  /**
   * The clock's time as ISO text. The entries of one batch (the lines of one chunk, read at one
   * moment) carry the time of its first entry; entries of the same millisecond share one string.
   */
  private timeNow(): string {
    if (this.inBatch) return (this.batchTime ??= this.clockTime());
    return this.clockTime();
  }

  private clockTime(): string {
    const now = this.clock.now();
    if (now !== this.lastNow) {
      this.lastNow = now;
      this.lastTime = new Date(now).toISOString();
    }
    return this.lastTime;
  }

  private flushLater(): void {
    holding.add(this);
    if (!exitHook) {
      exitHook = true;
      process.once('exit', () => {
        for (const journal of holding) journal.flush();
      });
    }
    if (this.flushQueued) return;
    this.flushQueued = true;
    setTimeout(() => {
      this.flushQueued = false;
      this.flush();
    }, WINDOW_MS);
  }
}
