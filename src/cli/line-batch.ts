/** Lines for one stream, written together once per event-loop turn. */
export interface LineBatch {
  /** Queues one line (a newline is added). */
  write(line: string): void;
  /** Writes what is queued now: before anything else is written to the same stream. */
  flush(): void;
  /** Flushes and stops watching for the process's exit. */
  close(): void;
}

/** How long a progress line may wait for others: short for a person watching, long for the machine. */
const WINDOW_MS = 50;

/**
 * Progress lines (`--headless`, `--json`) come one per journal entry: with many agents streaming
 * that is thousands a second, and one `write` each costs more than describing the entry. Once
 * per event-loop turn was still hundreds of writes a second (each agent's chunk arrives in a
 * turn of its own), so they are queued and written together at most 50 ms after the first, in
 * order, and on process exit (a forced stop): the same lines in the same order.
 */
export function lineBatch(out: NodeJS.WritableStream): LineBatch {
  let queued: string[] = [];
  let scheduled = false;
  const flush = (): void => {
    if (queued.length === 0) return;
    const text = `${queued.join('\n')}\n`;
    queued = [];
    out.write(text);
  };
  process.once('exit', flush);
  return {
    write(line) {
      queued.push(line);
      if (scheduled) return;
      scheduled = true;
      setTimeout(() => {
        scheduled = false;
        flush();
      }, WINDOW_MS);
    },
    flush,
    close() {
      flush();
      process.off('exit', flush);
    },
  };
}
