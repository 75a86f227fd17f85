// The spawn service (src/process/spawn-service*.ts), compiled and run for real: its protocol end
// to end with real git, the guarantees runSafeGitAsync keeps through it (same results as
// execFile, byte for byte), timeouts that stop a whole process group, many overlapping requests,
// the service's death mid-request, and the fallback where it cannot be built.
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runSafeGitAsync } from '../../src/process/safe-git.js';
import { currentSpawnService, SpawnService, useSpawnService, type ServiceCommand } from '../../src/process/spawn-service.js';

const roots: string[] = [];
function tmp(): string {
  const d = mkdtempSync(path.join(os.tmpdir(), 'orch-spawnsvc-'));
  roots.push(d);
  return d;
}
afterAll(() => {
  for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true });
});

/** Live processes whose command line contains `marker` (zombies are dead: they hold nothing). */
function withMarker(marker: string): number[] {
  const found: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (!readFileSync(`/proc/${name}/cmdline`, 'utf8').includes(marker)) continue;
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      if (stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z') found.push(Number(name));
    } catch {
      // exited while read
    }
  }
  return found;
}
function killMarked(marker: string): void {
  for (const pid of withMarker(marker)) process.kill(pid, 'SIGKILL');
}

/** `sleep` for a unique, long time: its argv is the marker that finds it in /proc. */
function uniqueSleep(): string {
  return `1000.${String(Math.floor(Math.random() * 1e9)).padStart(9, '0')}`;
}

function sh(script: string, extra: Partial<ServiceCommand> = {}): ServiceCommand {
  return {
    file: 'sh',
    args: ['-c', script],
    cwd: os.tmpdir(),
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin' },
    timeoutMs: 0,
    maxBuffer: 1 << 20,
    ...extra,
  };
}

function repo(): string {
  const dir = tmp();
  const env = { ...process.env, GIT_AUTHOR_NAME: 'p', GIT_AUTHOR_EMAIL: 'p@x', GIT_COMMITTER_NAME: 'p', GIT_COMMITTER_EMAIL: 'p@x' };
  spawnSync('git', ['init', '-q', dir]);
  writeFileSync(path.join(dir, 'a.txt'), 'one\n');
  spawnSync('git', ['add', '-A'], { cwd: dir, env });
  spawnSync('git', ['commit', '-qm', 'first'], { cwd: dir, env });
  return dir;
}

describe('spawn service', () => {
  let service: SpawnService;
  beforeAll(async () => {
    const started = await SpawnService.start(path.join(tmp(), 'spawn'), process.env['PATH']);
    if (!started) throw new Error('the spawn service did not build here (a C compiler and glibc >= 2.29 are expected)');
    service = started;
  });
  afterAll(async () => {
    await service.close();
  });

  it('gives runSafeGitAsync exactly what execFile gives, for git that succeeds, fails, reads stdin or cannot start', async () => {
    const dir = repo();
    const calls: Array<[string[], Parameters<typeof runSafeGitAsync>[1]]> = [
      [['rev-parse', 'HEAD'], { cwd: dir }],
      [['status', '--porcelain'], { cwd: dir }],
      [['rev-parse', '--verify', 'no-such-ref'], { cwd: dir }], // exit 128, stderr
      [['diff', '--quiet', 'HEAD', '4b825dc642cb6eb9a060e54bf8d69288fbee4904'], { cwd: dir }], // exit 1, no stderr
      [['cat-file', '-p', 'HEAD:a.txt'], { cwd: dir }],
      [['cat-file', '--batch-check'], { cwd: dir, input: 'HEAD\nHEAD:a.txt\nnope\n' }],
      [['rev-parse', 'HEAD'], { cwd: path.join(dir, 'missing') }], // spawn git ENOENT
      [['ls-files'], { cwd: dir, indexFile: path.join(dir, 'no-such-index') }],
      [['config', '--list'], { cwd: dir }], // refused before anything runs
    ];
    const viaNode = [];
    for (const [args, opts] of calls) viaNode.push(await runSafeGitAsync(args, opts));
    const done = useSpawnService(service);
    try {
      expect(currentSpawnService()).toBe(service);
      for (const [i, [args, opts]] of calls.entries()) expect(await runSafeGitAsync(args, opts), args.join(' ')).toEqual(viaNode[i]);
    } finally {
      done();
    }
    expect(viaNode[0]?.stdout.toString().trim()).toMatch(/^[0-9a-f]{40}$/);
    expect(viaNode[2]?.code).toBe(128);
    expect(viaNode[3]).toMatchObject({
      ok: false,
      code: 1,
      stderr: expect.stringMatching(/^Error: Command failed: git -c core\.hooksPath/),
    });
    expect(viaNode[6]).toMatchObject({ ok: false, code: null, stderr: 'Error: spawn git ENOENT' });
  });

  it('passes megabytes of stdin through and gives back megabytes of output, in order', async () => {
    const input = Buffer.alloc(5 << 20);
    for (let i = 0; i < input.length; i++) input[i] = (i * 7919) % 251;
    const r = await service.run(sh('cat; printf done >&2', { input, maxBuffer: 16 << 20 }));
    expect(r).toMatchObject({ code: 0, signal: null, timedOut: false });
    expect(r.stdout.equals(input)).toBe(true);
    expect(r.stderr.toString()).toBe('done');
  });

  it('cuts an output at its bound (the bound itself passes) and stops the command, as execFile maxBuffer', async () => {
    const exact = await service.run(sh('head -c 300000 /dev/zero', { maxBuffer: 300_000 }));
    expect(exact).toMatchObject({ code: 0, signal: null });
    expect(exact.overflow).toBeUndefined();
    expect(exact.stdout.length).toBe(300_000);
    const marker = uniqueSleep();
    const over = await service.run(sh(`head -c 300001 /dev/zero; exec sleep ${marker}`, { maxBuffer: 300_000 }));
    expect(over.overflow).toBe('stdout');
    expect(over.stdout.length).toBe(300_000);
    expect(over.signal).toBe('SIGTERM'); // the group was stopped: the sleep did not run on
    expect(withMarker(marker)).toEqual([]);
    const err = await service.run(sh('head -c 70000 /dev/zero >&2', { maxBuffer: 1000 }));
    expect(err.overflow).toBe('stderr');
    expect(err.stderr.length).toBe(1000);
  });

  it('at the timeout stops the whole process group, a background child holding the pipes included', async () => {
    // the shell starts a sleep in the background and exits; the sleep holds stdout, so only the
    // timeout's SIGTERM to the group can end the command. A shell too slow to get that far before
    // the timeout proves nothing, so the timeout grows until it does.
    for (const timeoutMs of [500, 4000, 30_000]) {
      const marker = uniqueSleep();
      try {
        const r = await service.run(sh(`sleep ${marker} & echo $!; exit 0`, { timeoutMs }));
        if (r.code !== 0) continue;
        expect(r.timedOut).toBe(true);
        const pid = Number(r.stdout.toString().trim());
        expect(pid).toBeGreaterThan(1);
        expect(withMarker(marker)).toEqual([]);
        return;
      } finally {
        killMarked(marker);
      }
    }
    throw new Error('the shell never finished starting its background sleep before the timeout');
  });

  it('answers many overlapping requests, each with its own output and exit code', async () => {
    const runs = Array.from({ length: 60 }, (_, i) =>
      service.run(sh(`head -c ${i * 3000} /dev/zero | tr '\\0' x; printf ' ${i}'; printf 'e${i}' >&2; exit ${i % 7}`)),
    );
    const results = await Promise.all(runs);
    for (const [i, r] of results.entries()) {
      expect(r.code).toBe(i % 7);
      expect(r.stdout.toString()).toBe(`${'x'.repeat(i * 3000)} ${i}`);
      expect(r.stderr.toString()).toBe(`e${i}`);
    }
  });

  it('runs each command with only stdin, stdout and stderr open, in its own process group, in the cwd given', async () => {
    const dir = tmp();
    const fds = await service.run(sh('ls /proc/$$/fd'));
    expect(fds.stdout.toString().split('\n')).toEqual(['0', '1', '2', '']);
    const r = await service.run(sh("cut -d' ' -f5 /proc/$$/stat; echo $$; pwd", { cwd: dir }));
    const [pgid, pid, cwd] = r.stdout.toString().trim().split('\n');
    expect(pgid).toBe(pid);
    expect(cwd).toBe(dir);
  });

  it('reports a program that does not exist as not started (ENOENT)', async () => {
    const r = await service.run({ ...sh(''), file: `no-such-program-${randomUUID()}`, args: [] });
    expect(r).toMatchObject({ code: null, spawnError: 'ENOENT' });
  });
});

describe('spawn service lifecycle', () => {
  let spare: SpawnService | undefined;
  afterEach(async () => {
    spare?.kill();
    await spare?.close();
    spare = undefined;
  });

  it('dies mid-request: the pending call fails saying so, later git goes through Node again', async () => {
    spare = await SpawnService.start(path.join(tmp(), 'spawn'), process.env['PATH']);
    if (!spare) throw new Error('not built');
    const done = useSpawnService(spare);
    const marker = uniqueSleep();
    try {
      const pending = spare.run(sh(`exec sleep ${marker}`));
      spare.kill();
      const r = await pending;
      expect(r.lost).toMatch(/^the spawn service exited \(SIGKILL\)/);
      expect(spare.alive).toBe(false);
      expect(currentSpawnService()).toBeUndefined();
      const dir = repo();
      const head = await runSafeGitAsync(['rev-parse', 'HEAD'], { cwd: dir });
      expect(head.ok).toBe(true);
      expect(await spare.run(sh('echo never'))).toMatchObject({ lost: expect.stringMatching(/exited/) });
    } finally {
      done();
      killMarked(marker); // orphaned by the kill: its own group, nobody else stops it
    }
  });

  it('a lost git command reads as failed in runSafeGitAsync, with the reason', async () => {
    spare = await SpawnService.start(path.join(tmp(), 'spawn'), process.env['PATH']);
    if (!spare) throw new Error('not built');
    const done = useSpawnService(spare);
    try {
      const pending = runSafeGitAsync(['cat-file', '--batch'], { cwd: repo(), input: 'HEAD\n'.repeat(10) });
      spare.kill();
      const r = await pending;
      // killed right after the request is written: no reply can have come back before it
      expect(r).toMatchObject({
        ok: false,
        code: null,
        stderr: expect.stringMatching(/the spawn service exited \(SIGKILL\) while "git .*cat-file --batch" ran/),
      });
    } finally {
      done();
    }
  });

  it('on close (stdin EOF) stops what still runs, answers it, and is reaped', async () => {
    spare = await SpawnService.start(path.join(tmp(), 'spawn'), process.env['PATH']);
    if (!spare) throw new Error('not built');
    const marker = uniqueSleep();
    try {
      const pending = spare.run(sh(`sleep ${marker}`));
      const pid = spare.pid;
      await spare.close();
      expect(await pending).toMatchObject({ signal: 'SIGTERM', code: null });
      expect(existsSync(`/proc/${pid}`) && readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z')).toBe(false);
      expect(withMarker(marker)).toEqual([]);
    } finally {
      killMarked(marker);
    }
  });

  it('is not used where it cannot be built (no compiler): git runs through Node with the same results', async () => {
    const dir = tmp();
    const none = await SpawnService.start(path.join(dir, 'spawn'), '/nonexistent', async () => false);
    expect(none).toBeUndefined();
    expect(existsSync(path.join(dir, 'spawn', 'spawn-service'))).toBe(false);
    expect(currentSpawnService()).toBeUndefined();
    const r = await runSafeGitAsync(['rev-parse', 'HEAD'], { cwd: repo() });
    expect(r.ok).toBe(true);
  });
});
