/**
 * One line of `events.jsonl`: a normalised agent event or an orchestrator decision.
 * `seq` starts at 1 and never repeats within a session; `time` is ISO-8601.
 */
export interface JournalEntry {
  seq: number;
  time: string;
  type: string;
  agent?: string;
  assignment?: string;
  [field: string]: unknown;
}

/** What callers append; the journal adds `seq` and `time`. */
export type JournalInput = Omit<JournalEntry, 'seq' | 'time'>;
