import { StringDecoder } from 'node:string_decoder';

/** Default cap on one line: 8 Mi UTF-16 code units (one JSON line can echo a big tool output). */
export const DEFAULT_MAX_LINE_LENGTH = 8 * 1024 * 1024;

/** One line of a stream, without its `\n` / `\r\n`. */
export interface SplitLine {
  text: string;
  /** The line was longer than the cap: `text` is its first `maxLineLength` code units. */
  truncated: boolean;
}

/** Options of {@link LineSplitter}. */
export interface LineSplitterOptions {
  /** Longest line kept, in UTF-16 code units; the rest of a longer line is dropped (flagged). */
  maxLineLength?: number;
}

/** True for the first half of a UTF-16 surrogate pair (cutting after it splits a character). */
function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/**
 * Turns a byte or text stream into complete lines. Handles `\r\n`, holds a partial last line
 * until more data or `end()`, decodes UTF-8 split across chunks, and caps line length: an
 * overlong line is emitted truncated with `truncated: true`, never dropped, and memory stays
 * bounded while it streams in.
 */
export class LineSplitter {
  readonly #maxLineLength: number;
  // StringDecoder, not TextDecoder: the same UTF-8 decoding (U+FFFD for bad or unfinished bytes)
  // several times cheaper, and ASCII comes out as one-byte strings that JSON.parse reads faster
  readonly #decoder = new StringDecoder('utf8');
  /** The next decoded text starts a stream: a byte order mark there is dropped (as TextDecoder does). */
  #atStart = true;
  #pending = '';
  /** The decoder may hold the first bytes of an unfinished character (the last bytes decoded did not end a line). */
  #decoderHolds = false;
  /** The current line already passed the cap; its remainder is being skipped. */
  #overflowed = false;

  constructor(options: LineSplitterOptions = {}) {
    const max = options.maxLineLength ?? DEFAULT_MAX_LINE_LENGTH;
    if (!Number.isInteger(max) || max < 1) {
      throw new RangeError(`maxLineLength must be a positive integer, got ${String(max)}`);
    }
    this.#maxLineLength = max;
  }

  /** Feeds one chunk; returns the lines it completed. */
  push(chunk: Uint8Array | string): SplitLine[] {
    const lines: SplitLine[] = [];
    // A string after bytes: first settle any bytes the decoder holds, so order is kept.
    if (typeof chunk === 'string') {
      this.#consume(this.#flushDecoder() + chunk, lines);
      return lines;
    }
    // Bytes are cut at each newline before decoding (a newline byte is never inside a UTF-8
    // character), so each line is decoded on its own: a line of ASCII stays a one-byte string,
    // which JSON.parse and the journal read much faster, even when another line of the same chunk
    // holds a character past Latin-1 (decoded as one string, every line would be two-byte).
    const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let start = 0;
    for (;;) {
      const newline = bytes.indexOf(0x0a, start);
      if (newline < 0) break;
      if (this.#atLineStart()) {
        // the whole line is in this chunk: decoded straight from it without its line end (the
        // decoder holds nothing, so it would give the same text), no copy and no slice of it
        const end = newline > start && bytes[newline - 1] === 0x0d ? newline - 1 : newline;
        lines.push(this.#finish(bytes.toString('utf8', start, end)));
      } else {
        this.#consume(this.#decode(bytes.subarray(start, newline + 1)), lines);
        this.#decoderHolds = false; // it ended with a newline: no unfinished character is left in it
      }
      start = newline + 1;
    }
    if (start < bytes.length) {
      this.#consume(this.#decode(bytes.subarray(start)), lines);
      this.#decoderHolds = true; // the line goes on in the next chunk, maybe in the middle of a character
    }
    return lines;
  }

  /** Nothing of the current line is held, in text or in the decoder, and a byte order mark is no longer looked for. */
  #atLineStart(): boolean {
    return this.#pending === '' && !this.#overflowed && !this.#decoderHolds && !this.#atStart;
  }

  /** Ends the stream: returns the held partial line, if any (unfinished UTF-8 becomes U+FFFD). */
  end(): SplitLine[] {
    const lines: SplitLine[] = [];
    this.#consume(this.#flushDecoder(), lines);
    if (this.#pending !== '' || this.#overflowed) {
      lines.push(this.#finish(this.#withoutCarriageReturn(this.#pending)));
    }
    this.#pending = '';
    this.#overflowed = false;
    return lines;
  }

  #decode(bytes: Uint8Array): string {
    const text = this.#decoder.write(bytes);
    if (!this.#atStart || text === '') return text;
    this.#atStart = false;
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  }

  /** What the decoder holds (an unfinished sequence becomes U+FFFD); the next bytes start a new stream. */
  #flushDecoder(): string {
    const text = this.#decoder.end();
    const out = this.#atStart && text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
    this.#atStart = true;
    this.#decoderHolds = false;
    return out;
  }

  #consume(text: string, lines: SplitLine[]): void {
    let start = 0;
    for (;;) {
      const newline = text.indexOf('\n', start);
      if (newline < 0) break;
      this.#append(text.slice(start, newline));
      lines.push(this.#finish(this.#withoutCarriageReturn(this.#pending)));
      this.#pending = '';
      this.#overflowed = false;
      start = newline + 1;
    }
    this.#append(text.slice(start));
  }

  /** Adds text to the held line, keeping at most the cap plus one code unit (for a `\r`). */
  #append(text: string): void {
    if (text === '') return;
    if (this.#overflowed) {
      // Keep only the last character: a `\r` right before the `\n` must still be recognised.
      this.#pending = this.#pending.slice(0, this.#maxLineLength) + text.slice(-1);
      return;
    }
    this.#pending += text;
    if (this.#pending.length > this.#maxLineLength + 1) {
      this.#overflowed = true;
      this.#pending = this.#pending.slice(0, this.#maxLineLength) + this.#pending.slice(-1);
    }
  }

  #withoutCarriageReturn(line: string): string {
    return line.endsWith('\r') ? line.slice(0, -1) : line;
  }

  #finish(line: string): SplitLine {
    if (!this.#overflowed && line.length <= this.#maxLineLength) return { text: line, truncated: false };
    let cut = this.#maxLineLength;
    if (cut < line.length && isHighSurrogate(line.charCodeAt(cut - 1))) cut -= 1;
    return { text: line.slice(0, cut), truncated: true };
  }
}

/** Splits a whole text or buffer into lines (a convenience over {@link LineSplitter}). */
export function splitLines(input: Uint8Array | string, options?: LineSplitterOptions): SplitLine[] {
  const splitter = new LineSplitter(options);
  return [...splitter.push(input), ...splitter.end()];
}
