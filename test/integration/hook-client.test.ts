// The hook client (perl, no modules) against the decision point and against broken supervisors:
// every failure is exit 2 with a reason on stderr and nothing on stdout, because each CLI lets
// the tool run on any other outcome (HOOKS.md).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findPerl, writeHookClient } from '../../src/safety/hook/client-script.js';
import { writeHookClientC } from '../../src/safety/hook/client-c.js';
import { compileC } from '../../src/process/compile-c.js';
import { startHookServer, type HookServer } from '../../src/safety/hook/hook-server.js';
import type { JournalInput } from '../../src/session/journal-entry.js';

const perl = findPerl(process.env.PATH);
// Both clients, built once: the compiled one (where a C compiler is found) and the perl script.
const clientsDir = mkdtempSync(path.join(os.tmpdir(), 'hook-clients-'));
const c = writeHookClientC(clientsDir);
const CLIENTS: Array<[string, string[]]> = [
  ...(compileC(c.source, c.binary, process.env.PATH) ? [['C', [c.binary]] as [string, string[]]] : []),
  ...(perl ? [['perl', [perl, writeHookClient(clientsDir)]] as [string, string[]]] : []),
];
let dir: string;
let program: string[];
let cleanup: Array<() => Promise<void> | void> = [];

beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'hook-client-'));
  cleanup = [() => rmSync(dir, { recursive: true, force: true })];
});
afterAll(() => rmSync(clientsDir, { recursive: true, force: true }));
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
});

function callHook(
  socket: string,
  key: string,
  input: string,
  first = 10,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('/bin/sh', ['-c', `${program.map((p) => `'${p}'`).join(' ')} '${socket}' claude ${key} ${first} 30 || exit 2`], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

async function rawServer(onConnection: (c: Socket) => void): Promise<string> {
  const socket = path.join(dir, 'raw.sock');
  const sockets = new Set<Socket>();
  const server: Server = createServer({ allowHalfOpen: true }, (c) => {
    sockets.add(c);
    onConnection?.(c);
  });
  await new Promise<void>((r) => server.listen(socket, r));
  cleanup.push(
    () =>
      new Promise<void>((r) => {
        server.close(() => r());
        for (const c of sockets) c.destroy();
      }),
  );
  return socket;
}

const bash = (command: string) => JSON.stringify({ tool_name: 'Bash', tool_input: { command }, cwd: '/w/p', tool_use_id: 't1' });

it('at least one client can be built here', () => {
  expect(CLIENTS.length).toBeGreaterThan(0);
});

describe.each(CLIENTS)('the %s hook client and the decision point', (_name, prog) => {
  beforeEach(() => {
    program = prog;
  });
  let server: HookServer;
  let key: string;
  let journal: JournalInput[];
  beforeEach(async () => {
    journal = [];
    server = await startHookServer({
      socketPath: path.join(dir, 'd.sock'),
      journal: { append: (e) => journal.push(e) },
      confirm: async (req) => ({ answer: req.command.includes('allowed') ? 'allow' : 'deny', by: 'policy' }),
    });
    cleanup.push(() => server.close());
    key = server.register({
      agent: 'claude',
      assignment: 'a',
      run: 'a',
      filterContext: { cwd: '/w/p', workspaceRoots: ['/w/p'], home: '/w/h', tmpDirs: ['/tmp'] },
      writeRoots: ['/w/p'],
      tags: { agent: 'claude', assignment: 'a' },
    });
  });

  it('block: exit 2, the rule on stderr, nothing on stdout; journaled as prevented before execution', async () => {
    expect(await callHook(server.socketPath, key, bash('git reset --hard'))).toEqual({
      code: 2,
      stdout: '',
      stderr: expect.stringContaining('blocked by orchestrate (block.git-destructive)'),
    });
    expect(journal).toEqual([
      expect.objectContaining({
        type: 'safety.violation',
        layer: 'hook',
        command: 'git reset --hard',
        action: 'prevented before execution',
        toolId: 't1',
      }),
    ]);
  });

  it('allow: exit 0, silent; journaled as a decision', async () => {
    expect(await callHook(server.socketPath, key, bash('ls -la'))).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(journal).toEqual([expect.objectContaining({ type: 'safety.command', layer: 'hook', command: 'ls -la', decision: 'allow' })]);
  });

  it('confirm: the broker is asked; its allow runs the command, its deny blocks it', async () => {
    expect((await callHook(server.socketPath, key, bash('npm install allowed-pkg'))).code).toBe(0);
    const denied = await callHook(server.socketPath, key, bash('npm install other-pkg'));
    expect(denied.code).toBe(2);
    expect(denied.stderr).toMatch(/not confirmed \(the session policy says deny\): confirm\.install/);
  });

  it('a file tool writing outside the allowed roots is blocked before it writes', async () => {
    const r = await callHook(
      server.socketPath,
      key,
      JSON.stringify({ tool_name: 'Write', tool_input: { file_path: '/etc/cron.d/x', content: '' }, cwd: '/w/p' }),
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/block\.write-outside/);
  });

  it('an unknown run key and malformed input are blocked', async () => {
    expect(await callHook(server.socketPath, 'nokey', bash('ls'))).toMatchObject({ code: 2, stderr: expect.stringMatching(/not known/) });
    expect(await callHook(server.socketPath, key, 'not json')).toMatchObject({ code: 2, stderr: expect.stringMatching(/fail closed/) });
  });
});

describe.each(CLIENTS)('the %s hook client fails closed', (_name, prog) => {
  beforeEach(() => {
    program = prog;
  });
  it('no socket (the supervisor is gone)', async () => {
    const r = await callHook(path.join(dir, 'missing.sock'), 'k', bash('ls'));
    expect(r).toMatchObject({ code: 2, stdout: '' });
    expect(r.stderr).toMatch(/failed closed: cannot reach the supervisor/);
  });

  it('a supervisor that never answers: the client gives up after its bound', async () => {
    const socket = await rawServer((c) => {
      c.on('data', () => undefined);
      c.on('error', () => undefined);
    });
    const r = await callHook(socket, 'k', bash('ls'), 1);
    expect(r).toMatchObject({ code: 2, stdout: '' });
    expect(r.stderr).toMatch(/no answer from the supervisor in time/);
  });

  it('a supervisor that closes without answering, or answers nonsense', async () => {
    const closing = await rawServer((c) => c.on('end', () => c.end()).on('data', () => undefined));
    expect(await callHook(closing, 'k', bash('ls'))).toMatchObject({ code: 2, stderr: expect.stringMatching(/malformed answer/) });
    rmSync(closing);
    const silly = await rawServer((c) => c.on('end', () => c.end('allow me\n')).on('data', () => undefined));
    expect(await callHook(silly, 'k', bash('ls'))).toMatchObject({ code: 2, stderr: expect.stringMatching(/malformed answer/) });
  });

  it('a block with an empty reason still says something on stderr (codex lets an empty stderr through)', async () => {
    const empty = await rawServer((c) => c.on('end', () => c.end('block\n')).on('data', () => undefined));
    const r = await callHook(empty, 'k', bash('ls'));
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).not.toBe('');
  });
});
