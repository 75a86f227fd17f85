// process/run-captured.ts (version probes, the sandbox probe, the self-test, the mechanical
// review's tests) against real processes: what it captures, its time bound and abort reaching
// the whole group, leftovers killed at the exit, and starts that fail reported, never thrown.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { killPid, pidAlive } from '../../src/process/kill-group.js';
import { probeExecutable } from '../../src/process/probe-executable.js';
import { runBounded } from '../../src/process/run-bounded.js';
import { runCaptured } from '../../src/process/run-captured.js';
import { until } from '../helpers/until.js';

const env = { PATH: process.env['PATH'] ?? '/usr/bin:/bin' };
const node = process.execPath;
const strays: number[] = [];

afterEach(async () => {
  for (const pid of strays) killPid(pid);
  await until(() => strays.every((pid) => !pidAlive(pid)), { what: 'stray processes to die' });
  strays.splice(0);
});

/** A script that starts a grandchild in its own group that ignores SIGTERM, prints its pid, then runs `rest`. */
const withGrandchild = (rest: string): string =>
  `const g = require('child_process').spawn(process.execPath, ['-e', 'process.on("SIGTERM", () => {}); setInterval(() => {}, 1e6)'], { stdio: 'ignore' });
   g.unref(); process.stdout.write('grandchild ' + g.pid + '\\n'); ${rest}`;

const grandchildOf = (out: string): number => Number(/grandchild (\d+)/.exec(out)?.[1]);

describe('runCaptured', () => {
  it('keeps the head of stdout and the tail of all the output; the exit code', async () => {
    const r = await runCaptured(node, ['-e', `console.log('v1.2.3'); console.log('z'.repeat(50)); process.exit(3)`], {
      env,
      timeoutMs: 600_000,
      killAfterMs: 1000,
      stdoutBytes: 10,
      tailBytes: 20,
    });
    expect(r).toEqual({ exitCode: 3, signal: null, timedOut: false, stdout: 'v1.2.3\nzzz', all: `${'z'.repeat(19)}\n` });
    const stderr = await runCaptured(node, ['-e', `console.error('fatal: no login')`], { env, timeoutMs: 600_000, killAfterMs: 1000 });
    expect(stderr).toMatchObject({ exitCode: 0, stdout: '', all: 'fatal: no login\n' });
  });

  it('at the time bound: SIGTERM to the group; timedOut; what ignores it in the group goes at the exit', async () => {
    const r = await runCaptured(node, ['-e', withGrandchild('setInterval(() => {}, 1e6)')], { env, timeoutMs: 300, killAfterMs: 600_000 });
    expect(r).toMatchObject({ exitCode: null, signal: 'SIGTERM', timedOut: true });
    const grandchild = grandchildOf(r.all);
    if (grandchild) {
      // started before the bound (on a loaded machine it may not have): it ignores SIGTERM
      strays.push(grandchild);
      await until(() => !pidAlive(grandchild), { what: 'the grandchild that ignores SIGTERM to die' });
    }
  });

  it('an abort: SIGTERM, then SIGKILL after killAfterMs when the command ignores it', async () => {
    const ready = path.join(mkdtempSync(path.join(os.tmpdir(), 'run-captured-')), 'ready');
    const abort = new AbortController();
    const running = runCaptured(
      node,
      ['-e', `process.on('SIGTERM', () => {}); require('fs').writeFileSync(${JSON.stringify(ready)}, ''); setInterval(() => {}, 1e6)`],
      { env, timeoutMs: 600_000, killAfterMs: 200, signal: abort.signal },
    );
    await until(() => existsSync(ready), { what: 'the command to ignore SIGTERM' });
    abort.abort();
    expect(await running).toMatchObject({ exitCode: null, signal: 'SIGKILL', timedOut: false });
    rmSync(path.dirname(ready), { recursive: true, force: true });
    // an abort that came before the start stops it at once
    const late = await runCaptured(node, ['-e', 'setInterval(() => {}, 1e6)'], {
      env,
      timeoutMs: 600_000,
      killAfterMs: 1000,
      signal: abort.signal,
    });
    expect(late).toMatchObject({ signal: 'SIGTERM', timedOut: false });
  });

  it('what the command left running in its group is killed at its exit (it would hold the pipes open)', async () => {
    const r = await runCaptured(node, ['-e', withGrandchild('process.exitCode = 0')], { env, timeoutMs: 600_000, killAfterMs: 1000 });
    strays.push(grandchildOf(r.all));
    expect(r.exitCode).toBe(0);
    await until(() => !pidAlive(grandchildOf(r.all)), { what: 'the grandchild to die' });
  });

  it('a program that does not exist, and arguments over the kernel limit: startError, never a throw', async () => {
    const missing = await runCaptured('/nonexistent/cli', ['--version'], { env, timeoutMs: 600_000, killAfterMs: 1000 });
    expect(missing.startError?.code).toBe('ENOENT');
    const big = await runCaptured(node, ['-e', '0', 'x'.repeat(200 * 1024)], { env, timeoutMs: 600_000, killAfterMs: 1000 });
    expect(big.startError?.code).toBe('E2BIG');
  });
});

describe('the runners built on it', () => {
  it('probeExecutable: the version line, not found, a failing exit with its last line', async () => {
    const opts = { env, cwd: '/', timeoutMs: 600_000 };
    expect(await probeExecutable(node, ['--version'], opts)).toEqual({ available: true, version: process.version });
    expect(await probeExecutable('no-such-cli-here', ['--version'], opts)).toEqual({
      available: false,
      reason: 'no-such-cli-here: not found on PATH',
    });
    expect(await probeExecutable(node, ['-e', 'console.error("a\\nlogin required"); process.exit(2)'], opts)).toEqual({
      available: false,
      reason: `${node} -e console.error("a\\nlogin required"); process.exit(2) exited 2: login required`,
    });
  });

  it('runBounded: the exit code and the output tail without its final newline; a timeout', async () => {
    const r = await runBounded(node, ['-e', 'console.log("1 passed"); process.exit(1)'], { cwd: '/', env, timeoutMs: 600_000 });
    expect(r).toEqual({ exitCode: 1, signal: null, timedOut: false, outputTail: '1 passed' });
    const slow = await runBounded(node, ['-e', 'setInterval(() => {}, 1e6)'], { cwd: '/', env, timeoutMs: 200 });
    expect(slow).toMatchObject({ timedOut: true, signal: 'SIGTERM' });
  });
});
