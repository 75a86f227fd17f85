import { readFileSync } from 'node:fs';
import os from 'node:os';

/** AT_PAGESZ: the entry of the auxiliary vector that holds the page size the kernel gave this process. */
const AT_PAGESZ = 6;
/** Architectures Node runs on with 32-bit words (auxv entries are two words each). */
const WORD_4 = new Set(['arm', 'ia32', 'mips', 'mipsel', 'ppc', 's390']);

let cached: number | null | undefined;

/**
 * The kernel's page size in bytes: the unit of /proc/<pid>/statm, which the tree sampler reads for
 * a process's resident memory instead of the larger /proc/<pid>/status. Read once from /proc/self/auxv (no process to start); undefined where it
 * cannot be read, and callers fall back to VmRSS.
 */
export function pageSize(): number | undefined {
  if (cached === undefined) cached = readPageSize(readAuxv(), WORD_4.has(process.arch) ? 4 : 8, os.endianness()) ?? null;
  return cached ?? undefined;
}

function readAuxv(): Buffer | undefined {
  try {
    return readFileSync('/proc/self/auxv');
  } catch {
    return undefined;
  }
}

/** AT_PAGESZ's value in an auxiliary vector (pairs of words: type, value; ends at type 0). Exported for tests. */
export function readPageSize(auxv: Buffer | undefined, word: 4 | 8, endian: 'LE' | 'BE'): number | undefined {
  if (!auxv) return undefined;
  const at = (offset: number): number =>
    word === 8
      ? Number(endian === 'LE' ? auxv.readBigUInt64LE(offset) : auxv.readBigUInt64BE(offset))
      : endian === 'LE'
        ? auxv.readUInt32LE(offset)
        : auxv.readUInt32BE(offset);
  for (let offset = 0; offset + 2 * word <= auxv.length; offset += 2 * word) {
    const type = at(offset);
    if (type === 0) break;
    if (type !== AT_PAGESZ) continue;
    const size = at(offset + word);
    // a power of two from 4 KiB to 1 MiB, or not believed
    return size >= 4096 && size <= 1 << 20 && (size & (size - 1)) === 0 ? size : undefined;
  }
  return undefined;
}
