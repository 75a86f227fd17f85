import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { pageSize, readPageSize } from '../../../src/process/page-size.js';

/** An auxiliary vector of `pairs` (type, value), ended by type 0, in the given word size and byte order. */
function auxv(pairs: Array<[number, number]>, word: 4 | 8, endian: 'LE' | 'BE'): Buffer {
  const buf = Buffer.alloc((pairs.length + 1) * 2 * word);
  [...pairs, [0, 0] as [number, number]].forEach(([type, value], i) => {
    for (const [n, at] of [
      [type, i * 2 * word],
      [value, i * 2 * word + word],
    ] as const) {
      if (word === 8) buf[endian === 'LE' ? 'writeBigUInt64LE' : 'writeBigUInt64BE'](BigInt(n), at);
      else buf[endian === 'LE' ? 'writeUInt32LE' : 'writeUInt32BE'](n, at);
    }
  });
  return buf;
}

describe('the page size, from the auxiliary vector', () => {
  it('is what getconf says on this machine', () => {
    expect(pageSize()).toBe(Number(execFileSync('getconf', ['PAGESIZE'], { encoding: 'utf8' }).trim()));
  });

  it('reads AT_PAGESZ (6) among the other entries, in 64- and 32-bit words, either byte order', () => {
    const pairs: Array<[number, number]> = [
      [33, 0x7ffd0000],
      [16, 0xbfebfbff],
      [6, 16384],
      [17, 100],
    ];
    for (const word of [4, 8] as const)
      for (const endian of ['LE', 'BE'] as const) expect(readPageSize(auxv(pairs, word, endian), word, endian)).toBe(16384);
  });

  it('gives undefined (the sampler falls back to VmRSS) when the entry is missing, after the end, or not a page size', () => {
    expect(readPageSize(undefined, 8, 'LE')).toBeUndefined();
    expect(readPageSize(auxv([[16, 1]], 8, 'LE'), 8, 'LE')).toBeUndefined();
    // after the terminating type 0
    const ended = Buffer.concat([auxv([[16, 1]], 8, 'LE'), auxv([[6, 4096]], 8, 'LE')]);
    expect(readPageSize(ended, 8, 'LE')).toBeUndefined();
    expect(readPageSize(auxv([[6, 4095]], 8, 'LE'), 8, 'LE')).toBeUndefined();
    expect(readPageSize(auxv([[6, 0]], 8, 'LE'), 8, 'LE')).toBeUndefined();
    // a truncated file: half an entry
    expect(readPageSize(auxv([[6, 4096]], 8, 'LE').subarray(0, 12), 8, 'LE')).toBeUndefined();
  });
});
