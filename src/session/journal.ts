import { closeSync, openSync, writeSync } from 'node:fs';
import type { Clock } from '../clock.js';
import type { JournalEntry, JournalInput } from './journal-entry.js';

/** Called after each entry is written, with the exact line written (no newline), so `--json` never serialises twice. */
export type JournalListener = (entry: JournalEntry, line: string) => void;

/**
 * The append-only session journal. Entries are written as whole lines on an O_APPEND descriptor:
 * one `write(2)` per entry, or, inside `batch()`, one per batch (the lines of one chunk of an
 * agent's stream), so a crash leaves a journal that parses up to its last complete line.
 */
export class Journal {
  private readonly fd: number;
  private seq: number;
  private readonly listeners = new Set<JournalListener>();
  private closed = false;
  /** Lines held by an open batch (undefined outside one). */
  private held: string[] | undefined;

  constructor(
    readonly file: string,
    private readonly clock: Clock,
    /** The last seq already in the file (resume continues after it). */
    lastSeq = 0,
  ) {
    this.fd = openSync(file, 'a', 0o644);
    this.seq = lastSeq;
  }

  /** Appends one entry and tells the listeners. Returns the entry as written. */
  append(input: JournalInput): JournalEntry {
    if (this.closed) throw new Error(`journal ${this.file} is closed`);
    const entry = { seq: ++this.seq, time: new Date(this.clock.now()).toISOString(), ...input } as JournalEntry;
    const line = JSON.stringify(entry);
    if (this.held) this.held.push(line);
    else writeSync(this.fd, `${line}\n`);
    for (const listener of this.listeners) listener(entry, line);
    return entry;
  }

  /** Runs `fn`, writing every entry it appends with one write at the end (nested batches join the outer one). */
  batch<T>(fn: () => T): T {
    if (this.held) return fn();
    const held: string[] = [];
    this.held = held;
    try {
      return fn();
    } finally {
      this.held = undefined;
      if (held.length > 0 && !this.closed) writeSync(this.fd, `${held.join('\n')}\n`);
    }
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
    this.closed = true;
    closeSync(this.fd);
  }
}
