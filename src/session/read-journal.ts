import { readFileSync } from 'node:fs';
import type { JournalEntry } from './journal-entry.js';

/** A journal as read back: every whole entry, and the torn last line if a crash cut one. */
export interface JournalContents {
  entries: JournalEntry[];
  /** A final line without its newline or that does not parse (a crash mid-write). */
  torn?: { line: number; byteOffset: number; text: string };
}

/**
 * Reads `events.jsonl`. Whole lines that parse are entries; an unterminated or unparsable
 * LAST line is reported as torn, never thrown. A bad line in the middle is an error naming it.
 */
export function readJournal(file: string): JournalContents {
  return parseJournal(readFileSync(file));
}

/** Parses journal bytes (exported for tests that cut a journal at every offset). */
export function parseJournal(bytes: Buffer): JournalContents {
  const entries: JournalEntry[] = [];
  let offset = 0;
  let line = 0;
  while (offset < bytes.length) {
    const newline = bytes.indexOf(0x0a, offset);
    const end = newline === -1 ? bytes.length : newline;
    const text = bytes.subarray(offset, end).toString('utf8');
    line += 1;
    const isLast = newline === -1 || newline === bytes.length - 1;
    if (newline === -1) return { entries, torn: { line, byteOffset: offset, text } };
    if (text.trim() !== '') {
      try {
        entries.push(JSON.parse(text) as JournalEntry);
      } catch (error) {
        if (isLast) return { entries, torn: { line, byteOffset: offset, text } };
        throw new Error(`journal line ${line} is not valid JSON: ${(error as Error).message}`, { cause: error });
      }
    }
    offset = end + 1;
  }
  return { entries };
}
