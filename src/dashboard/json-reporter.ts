import type { JournalEntry } from '../session/journal-entry.js';

/** `--json`: every journal entry as one NDJSON line; the last line is `session.completed`. */
export function createJsonReporter(write: (line: string) => void): (e: JournalEntry, line: string) => void {
  return (_e, line) => write(line);
}
