import { closeSync, openSync, readSync } from 'node:fs';

const buffer = Buffer.alloc(64 * 1024);

/**
 * A kernel-generated file read again and again (a cgroup's event counts, a process's
 * /proc/<pid>/stat) through one descriptor opened once: a read at offset 0 makes the kernel
 * generate it afresh, so each poll is one `pread` instead of open, read and close. A /proc
 * descriptor stays tied to the process it was opened for: once that process is gone the read
 * fails, even if its pid was reused.
 */
export class HeldFile {
  private fd: number | undefined;
  private closed = false;

  constructor(readonly file: string) {}

  /** The file's text now; undefined when it cannot be opened or read (gone). */
  read(): string | undefined {
    if (this.closed) return undefined;
    try {
      // opened once: a path that could not be opened is not tried again (a /proc pid may be reused)
      this.fd ??= openSync(this.file, 'r');
    } catch {
      this.closed = true;
      return undefined;
    }
    try {
      // these files are a few hundred bytes
      const n = readSync(this.fd, buffer, 0, buffer.length, 0);
      return buffer.toString('latin1', 0, n);
    } catch {
      return undefined;
    }
  }

  close(): void {
    this.closed = true;
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}
