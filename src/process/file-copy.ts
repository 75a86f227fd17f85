import { closeSync, openSync, writevSync } from 'node:fs';

/** Held bytes past this size are written at once. */
const HELD_LIMIT = 64 * 1024;
/** How long a chunk may wait for others before it is written. */
const FLUSH_MS = 250;

/** Copies holding chunks; all written together by one timer, and before the process exits. */
const holding = new Set<FileCopy>();
let timer: NodeJS.Timeout | undefined;
let exitHook = false;

/**
 * The byte-for-byte copy of one stream (an agent's stdout or stderr). Chunks are held and
 * written together with one `writev(2)` every 250 ms (or at 64 KiB, at close, and when the process
 * exits): an agent printing every 50 ms would otherwise cost one write per chunk, and with many
 * agents streaming those writes were a large part of orchestrate's own CPU. Plain synchronous
 * writes to the page cache: a WriteStream would hand every chunk to the thread pool and back.
 * Readers of the copy are the people and the reviews after the run; the journal, not this
 * copy, is what is written as lines arrive.
 */
export class FileCopy {
  private fd: number | undefined;
  private held: Buffer[] = [];
  private heldBytes = 0;

  constructor(file: string) {
    this.fd = openSync(file, 'w');
  }

  write(chunk: Buffer): void {
    if (this.fd === undefined || chunk.length === 0) return;
    this.held.push(chunk);
    this.heldBytes += chunk.length;
    if (this.heldBytes >= HELD_LIMIT) this.flush();
    else hold(this);
  }

  /** Writes what is held now. */
  flush(): void {
    if (this.held.length === 0 || this.fd === undefined) return;
    let chunks = this.held;
    this.held = [];
    this.heldBytes = 0;
    holding.delete(this);
    // writev may write part: go on from where it stopped
    for (;;) {
      let wrote = writevSync(this.fd, chunks);
      let i = 0;
      while (i < chunks.length && wrote >= chunks[i]!.length) wrote -= chunks[i++]!.length;
      if (i === chunks.length) return;
      chunks = [chunks[i]!.subarray(wrote), ...chunks.slice(i + 1)];
    }
  }

  close(): void {
    this.flush();
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

function hold(copy: FileCopy): void {
  holding.add(copy);
  if (!exitHook) {
    exitHook = true;
    process.once('exit', flushAllCopies);
  }
  if (timer) return;
  timer = setTimeout(() => {
    timer = undefined;
    flushAllCopies();
  }, FLUSH_MS);
  timer.unref();
}

/** Writes every held chunk now: at exit, and when agents are paused (a person then reads what they printed). */
export function flushAllCopies(): void {
  for (const copy of holding) copy.flush();
}
