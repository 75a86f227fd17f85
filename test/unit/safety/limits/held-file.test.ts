import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { HeldFile } from '../../../../src/safety/limits/held-file.js';

describe('a file held open for polling', () => {
  it('reads the kernel-made text afresh on every read', () => {
    const held = new HeldFile(`/proc/${process.pid}/stat`);
    const ticks = (): number => Number(held.read()!.split(') ')[1]!.split(' ')[11]); // utime
    const before = ticks();
    const until = process.cpuUsage().user + 300_000;
    while (process.cpuUsage().user < until); // 0.3 s of user time: at least 30 ticks
    expect(ticks()).toBeGreaterThan(before);
    held.close();
    expect(held.read()).toBeUndefined();
  });

  it("stops reading a process's stat once it is gone, and never reopens the path (the pid may be reused)", async () => {
    const child = spawn('sleep', ['30'], { stdio: 'ignore' });
    const held = new HeldFile(`/proc/${child.pid}/stat`);
    expect(held.read()).toContain(`${child.pid} (sleep)`);
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r)); // reaped
    expect(held.read()).toBeUndefined();
    held.close();
  });

  it('gives undefined for a path that cannot be opened', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'held-'));
    const held = new HeldFile(path.join(dir, 'missing'));
    expect(held.read()).toBeUndefined();
    writeFileSync(path.join(dir, 'missing'), 'now here');
    expect(held.read()).toBeUndefined(); // not tried again
  });
});
