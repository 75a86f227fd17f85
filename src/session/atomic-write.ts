import { closeSync, fsyncSync, openSync, renameSync, writeSync } from 'node:fs';

/**
 * Writes a file so readers see either the old or the new content, never half of it:
 * write a temp file beside it, fsync, rename over. `durable: false` leaves out the fsync: still
 * whole or absent if orchestrate dies, but after a power loss the file may be empty; for records
 * written once that nothing decides on (a run's command.json), where an fsync per launch blocks
 * every agent's stream for milliseconds.
 */
export function writeFileAtomic(file: string, content: string, { durable = true } = {}): void {
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w', 0o644);
  try {
    writeSync(fd, content);
    if (durable) fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}

/** `writeFileAtomic` of pretty JSON with a trailing newline. */
export function writeJsonAtomic(file: string, value: unknown, options: { durable?: boolean } = {}): void {
  writeFileAtomic(file, `${JSON.stringify(value, null, 2)}\n`, options);
}
