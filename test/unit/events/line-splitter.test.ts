import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_LINE_LENGTH, LineSplitter, splitLines } from '../../../src/events/line-splitter.js';

const texts = (lines: Array<{ text: string }>) => lines.map((line) => line.text);

describe('LineSplitter', () => {
  it('splits LF and CRLF lines and strips the line ends', () => {
    expect(splitLines('a\nb\r\nc\r\n')).toEqual([
      { text: 'a', truncated: false },
      { text: 'b', truncated: false },
      { text: 'c', truncated: false },
    ]);
  });

  it('keeps empty lines and a lone CR inside a line', () => {
    expect(texts(splitLines('a\n\nb\rc\n'))).toEqual(['a', '', 'b\rc']);
  });

  it('holds a partial last line until more data arrives', () => {
    const splitter = new LineSplitter();
    expect(splitter.push('{"type":')).toEqual([]);
    expect(texts(splitter.push('"init"}\n{"ty'))).toEqual(['{"type":"init"}']);
    expect(texts(splitter.push('pe":"x"}\n'))).toEqual(['{"type":"x"}']);
    expect(splitter.end()).toEqual([]);
  });

  it('emits the unterminated last line on end()', () => {
    const splitter = new LineSplitter();
    expect(texts(splitter.push('one\ntwo'))).toEqual(['one']);
    expect(splitter.end()).toEqual([{ text: 'two', truncated: false }]);
    expect(splitter.end()).toEqual([]);
  });

  it('handles a CRLF split between chunks', () => {
    const splitter = new LineSplitter();
    expect(splitter.push('abc\r')).toEqual([]);
    expect(texts(splitter.push('\ndef\r\n'))).toEqual(['abc', 'def']);
  });

  it('decodes multi-byte UTF-8 split across chunks, byte by byte', () => {
    const text = 'héllo → 世界 🎉\nnext ✓\n';
    const bytes = Buffer.from(text, 'utf8');
    const splitter = new LineSplitter();
    const lines = [];
    for (const byte of bytes) lines.push(...splitter.push(Buffer.from([byte])));
    lines.push(...splitter.end());
    expect(texts(lines)).toEqual(['héllo → 世界 🎉', 'next ✓']);
  });

  it('decodes each line of a chunk on its own: ASCII beside wide characters, a bad sequence cut by a newline', () => {
    const splitter = new LineSplitter();
    const chunk = Buffer.concat([Buffer.from('{"a":1}\n{"t":"世界 🎉"}\nx'), Buffer.from([0xe4, 0xb8]), Buffer.from('\n{"b":2}\n{"c":"é')]);
    const lines = [...splitter.push(chunk), ...splitter.push(Buffer.from('"}\n'))];
    expect(texts(lines)).toEqual(['{"a":1}', '{"t":"世界 🎉"}', 'x\uFFFD', '{"b":2}', '{"c":"é"}']);
  });

  it('accepts Uint8Array chunks and mixed string chunks', () => {
    const splitter = new LineSplitter();
    const lines = [...splitter.push(new TextEncoder().encode('a\nb')), ...splitter.push('c\n')];
    expect(texts(lines)).toEqual(['a', 'bc']);
  });

  it('turns an unfinished UTF-8 sequence at the end into U+FFFD instead of dropping it', () => {
    const splitter = new LineSplitter();
    splitter.push(Buffer.from([0x61, 0xe4, 0xb8]));
    expect(texts(splitter.end())).toEqual(['a\uFFFD']);
  });

  it('emits an overlong line truncated and flagged, then goes on', () => {
    const splitter = new LineSplitter({ maxLineLength: 5 });
    expect(splitter.push('0123456789\nok\n')).toEqual([
      { text: '01234', truncated: true },
      { text: 'ok', truncated: false },
    ]);
  });

  it('bounds memory for an overlong line arriving in many chunks', () => {
    const splitter = new LineSplitter({ maxLineLength: 4 });
    for (let i = 0; i < 1000; i += 1) expect(splitter.push('xyz')).toEqual([]);
    expect(splitter.push('\r\nnext')).toEqual([{ text: 'xyzx', truncated: true }]);
    expect(splitter.end()).toEqual([{ text: 'next', truncated: false }]);
  });

  it('does not flag a line of exactly the cap, even with CRLF', () => {
    expect(splitLines('abcd\r\nabcd\n', { maxLineLength: 4 })).toEqual([
      { text: 'abcd', truncated: false },
      { text: 'abcd', truncated: false },
    ]);
  });

  it('flags an overlong unterminated last line on end()', () => {
    const splitter = new LineSplitter({ maxLineLength: 3 });
    splitter.push('abcdef');
    expect(splitter.end()).toEqual([{ text: 'abc', truncated: true }]);
  });

  it('never cuts a surrogate pair in half when truncating', () => {
    expect(splitLines('ab🎉cd\n', { maxLineLength: 3 })).toEqual([{ text: 'ab', truncated: true }]);
  });

  it('defaults the cap to 8 MiB and rejects a nonsensical one', () => {
    expect(DEFAULT_MAX_LINE_LENGTH).toBe(8 * 1024 * 1024);
    expect(() => new LineSplitter({ maxLineLength: 0 })).toThrow(RangeError);
  });

  // chunks of up to 5 bytes cut most lines; up to 40 bytes leave most lines whole in one chunk (decoded from it directly)
  it.each([5, 40])(
    'decodes exactly as TextDecoder does: bad, unfinished and split sequences, a byte order mark (random bytes, chunks of 1-%i)',
    (chunkMax) => {
      let seed = 12;
      const next = (n: number): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) >>> 8) % n;
      // bytes that make every UTF-8 case: ASCII, newlines, lead and continuation bytes, invalid ones, a BOM
      const alphabet = [
        0x61, 0x0a, 0x0d, 0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x8e, 0x89, 0x80, 0xbf, 0xc0, 0xff, 0xed, 0xa0, 0xef, 0xbb,
      ];
      for (let round = 0; round < 2000; round++) {
        const bytes = Uint8Array.from({ length: 1 + next(chunkMax * 5) }, () => alphabet[next(alphabet.length)]!);
        if (round % 5 === 0) bytes.set([0xef, 0xbb, 0xbf].slice(0, Math.min(3, bytes.length)));
        const text = new TextDecoder('utf-8').decode(bytes);
        const expected = text.split('\n').map((l) => l.replace(/\r$/, ''));
        // a text that ends with its newline has no unterminated last line (a lone `\r` at the end is one, empty); no text, no line
        if (text === '' || text.endsWith('\n')) expected.pop();
        const splitter = new LineSplitter();
        const got: string[] = [];
        for (let at = 0; at < bytes.length;) {
          const end = Math.min(bytes.length, at + 1 + next(chunkMax));
          got.push(...splitter.push(bytes.subarray(at, end)).map((l) => l.text));
          at = end;
        }
        got.push(...splitter.end().map((l) => l.text));
        expect(got, Buffer.from(bytes).toString('hex')).toEqual(expected);
      }
    },
  );
});
