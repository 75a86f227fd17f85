import { closeSync, openSync, readSync } from 'node:fs';

let buffer = Buffer.alloc(4096);

/**
 * The text of a one-line file the kernel makes whole at the first read (/proc/<pid>/stat,
 * /proc/<pid>/statm), or undefined when it cannot be opened or read (the process is gone). Open,
 * one read, close: these files report a size of 0, so `readFileSync` adds an fstat, a second read
 * to find the end and a new buffer per call, and the limits read them for every process of every
 * run. A read that fills the buffer goes on to the end. Latin-1: one character per byte, so the
 * offsets and the ASCII fields read the same.
 */
export function readProcFile(file: string): string | undefined {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return undefined;
  }
  try {
    let length = 0;
    for (;;) {
      const n = readSync(fd, buffer, length, buffer.length - length, null);
      length += n;
      if (n === 0 || length < buffer.length) break;
      const bigger = Buffer.alloc(buffer.length * 2);
      buffer.copy(bigger);
      buffer = bigger;
    }
    return buffer.toString('latin1', 0, length);
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}
