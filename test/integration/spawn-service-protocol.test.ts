// The spawn service's C side against malformed requests (src/process/spawn-service-c.ts has the
// protocol): sizes that lie, counts past the frame, strings without their NUL. Each must end the
// service with exit 3 (protocol broken: orchestrate falls back to Node's spawn), never a crash
// by a signal, and never a command started. The binary is driven directly over its stdin.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileC } from '../../src/process/compile-c.js';
import { writeSpawnServiceC } from '../../src/process/spawn-service-c.js';

let dir: string;
let binary: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'orch-spawnproto-'));
  const c = writeSpawnServiceC(dir);
  if (!compileC(c.source, c.binary, process.env['PATH'])) throw new Error('the spawn service did not build here');
  binary = c.binary;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const u32 = (...ns: number[]): Buffer => Buffer.concat(ns.map((n) => Buffer.from(Uint32Array.of(n >>> 0).buffer)));

/** A frame: its length is the body's unless `len` says otherwise. */
function frame(fields: number[], strings: string, input = '', len?: number): Buffer {
  const body = Buffer.concat([u32(...fields), Buffer.from(strings, 'latin1'), Buffer.from(input)]);
  return Buffer.concat([u32(len ?? body.length), body]);
}

function feed(bytes: Buffer): { status: number | null; signal: NodeJS.Signals | null; stdout: Buffer } {
  const r = spawnSync(binary, [], { input: bytes, timeout: 120_000, killSignal: 'SIGKILL' });
  return { status: r.status, signal: r.signal, stdout: r.stdout };
}

const marker = path.join(os.tmpdir(), `orch-spawnproto-ran-${process.pid}`);
const touch = `/bin/sh\0-c\0touch ${marker}\0`;

describe('spawn service protocol', () => {
  it('runs a well-formed request, and at EOF (orchestrate gone) stops it and exits 0 (the control)', () => {
    const r = feed(frame([7, 0, 1000, 2, 1, 0], `/tmp\0sleep\0${1000 + Math.random()}\0PATH=/usr/bin:/bin\0`));
    expect(r).toMatchObject({ status: 0, signal: null });
    // done: len 17, id 7, type 3, exit code -1, signal 15 (SIGTERM), flags 0
    expect(r.stdout.toString('hex')).toBe(Buffer.concat([u32(17, 7), Buffer.from([3]), u32(-1, 15, 0)]).toString('hex'));
  });

  const broken: Array<[string, Buffer]> = [
    ['a length past the 512 MiB bound', u32(0xffffffff, 1, 2, 3)],
    ['a length shorter than the header', frame([9], '', '', 4)],
    ['no argv', frame([1, 0, 1000, 0, 0, 0], '/tmp\0')],
    ['an argc of 4 billion', frame([1, 0, 1000, 0xffffffff, 0, 0], `/tmp\0${touch}`)],
    ['an argc past the strings there are', frame([1, 0, 1000, 9, 0, 0], `/tmp\0${touch}`)],
    ['an envc past the strings there are', frame([1, 0, 1000, 3, 5, 0], `/tmp\0${touch}`)],
    ['an input length past the frame', frame([1, 0, 1000, 3, 0, 0xfffffff0], `/tmp\0${touch}`)],
    ['a last string without its NUL', frame([1, 0, 1000, 3, 0, 0], `/tmp\0${touch.slice(0, -1)}`)],
    ['bytes after the last string', frame([1, 0, 1000, 3, 0, 0], `/tmp\0${touch}junk`)],
  ];
  for (const [what, bytes] of broken)
    it(`ends with exit 3 on ${what}, nothing started`, () => {
      expect(feed(bytes)).toMatchObject({ status: 3, signal: null, stdout: Buffer.alloc(0) });
      expect(spawnSync('test', ['-e', marker]).status).toBe(1);
    });

  it('a frame cut short by EOF starts nothing and exits 0', () => {
    const whole = frame([1, 0, 1000, 3, 0, 0], `/tmp\0${touch}`);
    expect(feed(whole.subarray(0, whole.length - 3))).toMatchObject({ status: 0, signal: null, stdout: Buffer.alloc(0) });
    expect(spawnSync('test', ['-e', marker]).status).toBe(1);
  });
});
