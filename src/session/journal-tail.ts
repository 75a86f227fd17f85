import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import type { JournalEntry } from './journal-entry.js';

/** One whole journal line: the entry and its exact text (so `--json` can print it byte for byte). */
export interface TailLine {
  entry: JournalEntry;
  raw: string;
  line: number;
}

/** A whole line that is not valid JSON (damage in the middle of a journal; the journal never writes one). */
export interface BadLine {
  line: number;
  text: string;
  error: string;
}

/**
 * Reads a growing `events.jsonl` incrementally from a byte offset. Only newline-terminated lines
 * are returned; a partial last line stays buffered until its newline arrives, so a line being
 * written is never shown half. A missing file reads as empty (the session may not have created it yet).
 */
export class JournalTail {
  private offset = 0;
  private pending: Buffer = Buffer.alloc(0);
  private lineNo = 0;

  constructor(readonly file: string) {}

  /** Reads everything appended since the last call; returns the new whole lines and any bad ones. */
  read(): { lines: TailLine[]; bad: BadLine[] } {
    const chunk = this.readNewBytes();
    if (chunk.length === 0) return { lines: [], bad: [] };
    const bytes = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    const lines: TailLine[] = [];
    const bad: BadLine[] = [];
    let start = 0;
    for (let nl = bytes.indexOf(0x0a, start); nl !== -1; nl = bytes.indexOf(0x0a, start)) {
      const text = bytes.subarray(start, nl).toString('utf8');
      start = nl + 1;
      this.lineNo += 1;
      if (text.trim() === '') continue;
      try {
        lines.push({ entry: JSON.parse(text) as JournalEntry, raw: text, line: this.lineNo });
      } catch (error) {
        bad.push({ line: this.lineNo, text, error: (error as Error).message });
      }
    }
    // copy: the remainder must not keep the whole read buffer alive
    this.pending = Buffer.from(bytes.subarray(start));
    return { lines, bad };
  }

  /** The unterminated text after the last newline: a torn line once the writer is gone. */
  get partial(): { line: number; text: string } | undefined {
    return this.pending.length ? { line: this.lineNo + 1, text: this.pending.toString('utf8') } : undefined;
  }

  /** Bytes consumed so far, including the buffered partial line. */
  get bytesRead(): number {
    return this.offset;
  }

  private readNewBytes(): Buffer {
    let fd: number;
    try {
      fd = openSync(this.file, 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return Buffer.alloc(0);
      throw error;
    }
    try {
      const size = fstatSync(fd).size;
      // An append-only journal never shrinks; if it did, there is nothing sensible to re-read.
      if (size <= this.offset) return Buffer.alloc(0);
      const buffer = Buffer.alloc(size - this.offset);
      let got = 0;
      while (got < buffer.length) {
        const n = readSync(fd, buffer, got, buffer.length - got, this.offset + got);
        if (n === 0) break;
        got += n;
      }
      this.offset += got;
      return buffer.subarray(0, got);
    } finally {
      closeSync(fd);
    }
  }
}
