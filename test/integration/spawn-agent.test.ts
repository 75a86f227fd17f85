// process/spawn-agent.ts against real processes: its own process group, the prompt file as fd 0,
// every byte in the copies, `gone` at the kernel's exit and `exited` only once the output is
// drained, the stderr tail, and a start that fails (ENOENT, E2BIG) reported plainly.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { killPid, pidAlive } from '../../src/process/kill-group.js';
import { readProcStat } from '../../src/process/process-tree.js';
import { AgentProcess, type SpawnAgentOptions } from '../../src/process/spawn-agent.js';
import { until } from '../helpers/until.js';

let dir = '';
const agents: AgentProcess[] = [];
const strays: number[] = [];

afterEach(async () => {
  for (const pid of strays) killPid(pid);
  for (const a of agents.splice(0)) await a.stop(0);
  await until(() => strays.every((pid) => !pidAlive(pid)), { what: 'stray processes to die' });
  strays.splice(0);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function options(script: string, extra: Partial<SpawnAgentOptions> = {}): SpawnAgentOptions & { out: Buffer[] } {
  const out: Buffer[] = [];
  return {
    file: process.execPath,
    args: ['-e', script],
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', ONLY_THIS: 'yes' },
    cwd: dir,
    stdoutFile: path.join(dir, 'stdout'),
    stderrFile: path.join(dir, 'stderr'),
    onStdout: (chunk) => out.push(chunk),
    label: 'test',
    out,
    ...extra,
  };
}

async function start(opts: SpawnAgentOptions): Promise<AgentProcess> {
  const agent = await AgentProcess.start(opts);
  agents.push(agent);
  return agent;
}

describe('AgentProcess', () => {
  it('leads its own process group, reads the prompt file as fd 0 (a regular file), sees only the given environment', async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'spawn-agent-'));
    writeFileSync(path.join(dir, 'prompt'), 'the whole prompt\n');
    const opts = options(
      `const fs = require('fs');
       process.stdout.write(JSON.stringify({ pgid: Number(fs.readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ')[2]),
         stdin: fs.fstatSync(0).isFile(), prompt: fs.readFileSync(0, 'utf8'), env: Object.keys(process.env).sort() }))`,
      { stdinFile: path.join(dir, 'prompt') },
    );
    const agent = await start(opts);
    const exit = await agent.exited;
    expect(exit).toEqual({ code: 0, signal: null });
    const seen = JSON.parse(Buffer.concat(opts.out).toString('utf8'));
    expect(seen.pgid).toBe(agent.pid);
    expect(seen.stdin).toBe(true);
    expect(seen.prompt).toBe('the whole prompt\n');
    expect(seen.env.filter((k: string) => k !== 'PWD')).toEqual(['ONLY_THIS', 'PATH']);
  });

  it('without a prompt file stdin is /dev/null (EOF at once)', async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'spawn-agent-'));
    const opts = options(`process.stdout.write(require('fs').readlinkSync('/proc/self/fd/0'))`);
    await (
      await start(opts)
    ).exited;
    expect(Buffer.concat(opts.out).toString('utf8')).toBe('/dev/null');
  });

  it('every byte of stdout reaches the callback and the copy before `exited`; the stderr tail is kept', async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'spawn-agent-'));
    const opts = options(
      `const line = 'x'.repeat(999) + '\\n';
       for (let i = 0; i < 2000; i++) process.stdout.write(line);
       process.stderr.write('warming up\\nfatal: the reason\\n');`,
    );
    const agent = await start(opts);
    const exit = await agent.exited;
    expect(exit.code).toBe(0);
    expect(Buffer.concat(opts.out).length).toBe(2_000_000);
    expect(readFileSync(opts.stdoutFile).length).toBe(2_000_000);
    expect(readFileSync(opts.stderrFile, 'utf8')).toBe('warming up\nfatal: the reason\n');
    expect(agent.stderrTail()).toBe('warming up\nfatal: the reason\n');
  });

  it('`gone` resolves at the exit; `exited` waits until the output is drained (a process outside the group holds stdout)', async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'spawn-agent-'));
    // the holder leaves the group (setsid), so the kill of the group at the exit does not reach it
    const opts = options(
      `const { spawn } = require('child_process');
       const h = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1e6)'], { detached: true, stdio: ['ignore', 'inherit', 'ignore'] });
       h.unref();
       process.stdout.write(h.pid + '\\n');`,
    );
    const agent = await start(opts);
    const gone = await agent.gone;
    expect(gone).toEqual({ code: 0, signal: null });
    const holder = await until(() => {
      const text = Buffer.concat(opts.out).toString('utf8');
      return text.endsWith('\n') ? Number(text.trim()) : undefined;
    });
    strays.push(holder);
    expect(readProcStat(holder)?.pgid).not.toBe(agent.pid);
    let drained = false;
    void agent.exited.then(() => (drained = true));
    // a turn of the event loop after the exit: the pipe is still open, so `exited` has not come
    await new Promise((resolve) => setImmediate(resolve));
    expect(drained).toBe(false);
    killPid(holder);
    expect(await agent.exited).toEqual({ code: 0, signal: null });
  });

  it('stop() ends the whole group: a grandchild in the group goes too', async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'spawn-agent-'));
    const opts = options(
      `const { spawn } = require('child_process');
       const g = spawn(process.execPath, ['-e', 'process.on("SIGTERM", () => {}); setInterval(() => {}, 1e6)'], { stdio: 'ignore' });
       process.stdout.write(g.pid + '\\n'); setInterval(() => {}, 1e6);`,
    );
    const agent = await start(opts);
    const grandchild = await until(() => {
      const text = Buffer.concat(opts.out).toString('utf8');
      return text.endsWith('\n') ? Number(text.trim()) : undefined;
    });
    strays.push(grandchild);
    const exit = await agent.stop(50);
    expect(exit.signal).toBe('SIGTERM');
    await until(() => !pidAlive(grandchild), { what: 'the grandchild (it ignores SIGTERM) to die of the SIGKILL' });
  });

  it('a program that does not exist: start() throws ENOENT', async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'spawn-agent-'));
    await expect(AgentProcess.start({ ...options(''), file: path.join(dir, 'no-such-cli') })).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('an argument over the kernel limit: start() throws, saying so plainly (E2BIG)', async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'spawn-agent-'));
    const start = AgentProcess.start({ ...options(''), args: ['-e', '0', 'x'.repeat(200 * 1024)] });
    await expect(start).rejects.toThrow("spawn E2BIG: the command line is over the kernel's size limit for one argument (128 KiB)");
  });
});
