// process/compile-cached.ts with the real C compiler: the hook client is compiled once per source
// and compiler, and a cached binary is used only when nothing an agent (or anyone else) could write
// has touched it: a swapped file, a folder others can write, a cache inside a writable root.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findCompiler } from '../../src/process/compile-c.js';
import { compileCached, compiledCacheDir } from '../../src/process/compile-cached.js';

let root = '';
afterEach(() => rmSync(root, { recursive: true, force: true }));

function setUp(text = 'hello'): { source: string; cacheDir: string; out: (n: number) => string } {
  root = mkdtempSync(path.join(os.tmpdir(), 'compile-cached-'));
  const source = path.join(root, 'c.c');
  writeFileSync(source, `#include <stdio.h>\nint main(void) { puts("${text}"); return 0; }\n`);
  return { source, cacheDir: path.join(root, 'cache', 'orchestrate', 'compiled'), out: (n) => path.join(root, `bin${n}`) };
}

const run = (binary: string): string => execFileSync(binary, { encoding: 'utf8' });

describe.skipIf(!findCompiler(process.env['PATH']))('compileCached', () => {
  it('compiles and stores once; the next session copies the cached binary, which runs', () => {
    const { source, cacheDir, out } = setUp();
    expect(compileCached(source, out(1), undefined, { cacheDir, writableRoots: [] })).toEqual({ ok: true, cached: false });
    expect(readdirSync(cacheDir)).toHaveLength(1);
    expect(compileCached(source, out(2), undefined, { cacheDir, writableRoots: [] })).toEqual({ ok: true, cached: true });
    expect(run(out(2))).toBe('hello\n');
    expect(readFileSync(out(2))).toEqual(readFileSync(out(1)));
  });

  it('another source is another entry', () => {
    const { source, cacheDir, out } = setUp();
    compileCached(source, out(1), undefined, { cacheDir, writableRoots: [] });
    writeFileSync(source, '#include <stdio.h>\nint main(void) { puts("changed"); return 0; }\n');
    expect(compileCached(source, out(2), undefined, { cacheDir, writableRoots: [] })).toEqual({ ok: true, cached: false });
    expect(run(out(2))).toBe('changed\n');
  });

  it('a cached binary whose content was swapped is never used; the client is compiled again and the entry replaced', () => {
    const { source, cacheDir, out } = setUp();
    compileCached(source, out(1), undefined, { cacheDir, writableRoots: [] });
    const [entry] = readdirSync(cacheDir);
    const file = path.join(cacheDir, entry!);
    chmodSync(file, 0o700);
    writeFileSync(file, '#!/bin/sh\necho allow-everything\n');
    expect(compileCached(source, out(2), undefined, { cacheDir, writableRoots: [] })).toEqual({ ok: true, cached: false });
    expect(run(out(2))).toBe('hello\n');
    expect(readFileSync(file)).toEqual(readFileSync(out(1)));
  });

  it('a cache folder others can write is not trusted', () => {
    const { source, cacheDir, out } = setUp();
    compileCached(source, out(1), undefined, { cacheDir, writableRoots: [] });
    chmodSync(cacheDir, 0o777);
    expect(compileCached(source, out(2), undefined, { cacheDir, writableRoots: [] })).toEqual({ ok: true, cached: false });
  });

  it('a cache inside (or above) a writable root of the session is refused: compiled, nothing cached', () => {
    const { source, cacheDir, out } = setUp();
    mkdirSync(cacheDir, { recursive: true });
    expect(compileCached(source, out(1), undefined, { cacheDir, writableRoots: [path.join(root, 'cache')] })).toEqual({
      ok: true,
      cached: false,
    });
    expect(compileCached(source, out(2), undefined, { cacheDir, writableRoots: [path.join(root, 'cache')] })).toEqual({
      ok: true,
      cached: false,
    });
    expect(readdirSync(cacheDir)).toEqual([]);
    expect(compileCached(source, out(3), undefined, { cacheDir, writableRoots: [path.join(cacheDir, 'x')] }).cached).toBe(false);
    expect(readdirSync(cacheDir)).toEqual([]);
  });

  it('the cache folder: XDG_CACHE_HOME when absolute, else ~/.cache', () => {
    expect(compiledCacheDir({ XDG_CACHE_HOME: '/x/cache', HOME: '/h' })).toBe('/x/cache/orchestrate/compiled');
    expect(compiledCacheDir({ XDG_CACHE_HOME: 'relative', HOME: '/h' })).toBe('/h/.cache/orchestrate/compiled');
  });
});
