import { PassThrough } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import { lineBatch } from '../../../src/cli/line-batch.js';

function sink(): { out: PassThrough; writes: string[] } {
  const out = new PassThrough();
  const writes: string[] = [];
  out.on('data', (d: Buffer) => writes.push(d.toString('utf8')));
  return { out, writes };
}

describe('progress lines', () => {
  it('are written together 50 ms after the first, in order, not one write each', () => {
    vi.useFakeTimers({ toFake: ['setTimeout'] });
    try {
      const writes: string[] = [];
      const batch = lineBatch({ write: (text: string) => writes.push(text) } as unknown as NodeJS.WritableStream);
      batch.write('one');
      batch.write('two');
      vi.advanceTimersByTime(49);
      batch.write('three'); // still inside the window: the same write
      expect(writes).toEqual([]);
      vi.advanceTimersByTime(1);
      expect(writes).toEqual(['one\ntwo\nthree\n']);
      batch.write('four');
      vi.advanceTimersByTime(50);
      expect(writes).toEqual(['one\ntwo\nthree\n', 'four\n']);
      batch.close();
    } finally {
      vi.useRealTimers();
    }
  });

  it('flush writes what is queued at once, so the summary after it comes last', () => {
    const { out, writes } = sink();
    const batch = lineBatch(out);
    batch.write('progress');
    batch.flush();
    out.write('summary\n');
    expect(writes.join('')).toBe('progress\nsummary\n');
    batch.close();
  });
});
