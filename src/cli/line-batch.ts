/** Lines for one stream, written together once per event-loop turn. */
export interface LineBatch {
  /** Queues one line (a newline is added). */
  write(line: string): void;
  /** Writes what is queued now: before anything else is written to the same stream. */
  flush(): void;
  /** Flushes and stops watching for the process's exit. */
  close(): void;
}

/**
 * Progress lines (`--headless`, `--json`) come one per journal entry: with many agents streaming
 * that is thousands a second, and one `write` each costs more than describing the entry. They are
 * queued and written once per turn of the event loop, in order, and on process exit (a forced
 * stop), so the output is the same lines in the same order.
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
      setImmediate(() => {
        scheduled = false;
        flush();
      });
    },
    flush,
    close() {
      flush();
      process.off('exit', flush);
    },
  };
}
