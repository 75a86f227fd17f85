import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { lineBatch } from '../../../src/cli/line-batch.js';

function sink(): { out: PassThrough; writes: string[] } {
  const out = new PassThrough();
  const writes: string[] = [];
  out.on('data', (d: Buffer) => writes.push(d.toString('utf8')));
  return { out, writes };
}

describe('progress lines', () => {
  it('are written together at the end of the event-loop turn, in order', async () => {
    const { out, writes } = sink();
    const batch = lineBatch(out);
    batch.write('one');
    batch.write('two');
    await Promise.resolve();
    expect(writes).toEqual([]);
    await new Promise((r) => setImmediate(r));
    batch.write('three');
    await new Promise((r) => setImmediate(r));
    expect(writes).toEqual(['one\ntwo\n', 'three\n']);
    batch.close();
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
