import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readProcFile } from '../../../src/process/proc-file.js';

describe('readProcFile', () => {
  it('reads /proc/self/stat and statm as readFileSync does', () => {
    // the figures move between two reads; the pid, the name and the text size do not
    expect(readProcFile(`/proc/${process.pid}/stat`)!.split(' ').slice(0, 2)).toEqual(
      readFileSync(`/proc/${process.pid}/stat`, 'latin1').split(' ').slice(0, 2),
    );
    const statm = readProcFile('/proc/self/statm')!.split(' ');
    expect(statm).toHaveLength(7);
    expect(statm[3]).toBe(readFileSync('/proc/self/statm', 'latin1').split(' ')[3]);
  });

  it('reads to the end a file longer than its buffer (grown), byte for byte', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'proc-file-'));
    try {
      const text = Array.from({ length: 5000 }, (_, i) => String(i)).join('\n');
      writeFileSync(path.join(dir, 'long'), text);
      expect(readProcFile(path.join(dir, 'long'))).toBe(text);
      writeFileSync(path.join(dir, 'short'), 'a b c\n');
      expect(readProcFile(path.join(dir, 'short'))).toBe('a b c\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('gives undefined for a process that is not there', () => {
    expect(readProcFile('/proc/999999999/stat')).toBeUndefined();
  });
});
