import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { FileCopy } from '../../../src/process/file-copy.js';

function tempFile(): string {
  return path.join(mkdtempSync(path.join(os.tmpdir(), 'file-copy-')), 'stdout.jsonl');
}

describe("an agent stream's file copy", () => {
  it('writes the chunks of 250 ms together, byte for byte and in order', () => {
    vi.useFakeTimers({ toFake: ['setTimeout'] });
    try {
      const file = tempFile();
      const copy = new FileCopy(file);
      copy.write(Buffer.from('{"a":1}\n{"b"'));
      copy.write(Buffer.from(':2}\n'));
      vi.advanceTimersByTime(249);
      expect(readFileSync(file, 'utf8')).toBe('');
      vi.advanceTimersByTime(1);
      expect(readFileSync(file, 'utf8')).toBe('{"a":1}\n{"b":2}\n');
      copy.write(Buffer.from('{"c":3}\n'));
      copy.close(); // close writes what is held
      expect(readFileSync(file, 'utf8')).toBe('{"a":1}\n{"b":2}\n{"c":3}\n');
    } finally {
      vi.runOnlyPendingTimers();
      vi.useRealTimers();
    }
  });

  it('writes at once when 64 KiB are held', () => {
    const file = tempFile();
    const copy = new FileCopy(file);
    const big = Buffer.alloc(64 * 1024, 'x');
    copy.write(Buffer.from('head '));
    copy.write(big);
    expect(readFileSync(file).length).toBe(5 + big.length);
    copy.close();
  });
});
