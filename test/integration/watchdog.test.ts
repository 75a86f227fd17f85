import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pidAlive } from '../../src/process/kill-group.js';
import { readProcStat } from '../../src/process/process-tree.js';
import { killProcessesWithEnv, processesWithEnv, REPO_ROOT, SANDBOX_USABLE } from '../helpers/orchestrate-harness.js';
import { until, waitFor } from '../helpers/until.js';

// A stand-in for orchestrate (parent.mjs) starts the real, built watchdog and an agent-like group:
// a process ignoring SIGTERM with a grandchild ignoring it too. Every process carries a marker in
// its environment, so "nothing is left" (watchdog included) is a /proc scan.
const AGENT = `import { spawn } from 'node:child_process';
process.on('SIGTERM', () => {});
const grandchild = spawn(process.execPath, ['-e', "process.on('SIGTERM', () => {}); console.log('up'); setInterval(() => {}, 1 << 30)"], { stdio: ['ignore', 'pipe', 'ignore'] });
grandchild.stdout.once('data', () => console.log(JSON.stringify({ grandchild: grandchild.pid })));
setInterval(() => {}, 1 << 30);
`;
const PARENT = `import { spawn } from 'node:child_process';
const { startWatchdog } = await import(process.env.WATCHDOG_MODULE);
const mode = process.env.MODE;
const watchdog = startWatchdog({ graceMs: 300, logFile: process.env.WATCHDOG_LOG });
if (mode === 'exit-by-itself') {
  watchdog.watch({ pid: process.pid, pgid: process.pid });
  console.log(JSON.stringify({ watchdog: watchdog.pid }));
} else {
  const [file, ...args] = JSON.parse(process.env.AGENT_ARGV);
  const agent = spawn(file, args, { detached: true, stdio: ['ignore', 'pipe', 'ignore'] });
  agent.stdout.once('data', (data) => {
    const { grandchild } = JSON.parse(String(data));
    watchdog.watch(mode === 'wrong-start-time' ? { pid: agent.pid, startTime: 1 } : { pid: agent.pid });
    if (mode === 'bye') watchdog.bye();
    console.log(JSON.stringify({ watchdog: watchdog.pid, agent: agent.pid, grandchild }));
  });
  setInterval(() => {}, 1 << 30);
}
`;

let dir: string;
let marker: string;
let parent: ChildProcess | undefined;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'orch-watchdog-'));
  marker = randomUUID();
  writeFileSync(path.join(dir, 'agent.mjs'), AGENT);
  writeFileSync(path.join(dir, 'parent.mjs'), PARENT);
});
afterEach(async () => {
  parent?.kill('SIGKILL');
  await killProcessesWithEnv(`ORCH_WATCHDOG_TEST=${marker}`);
  rmSync(dir, { recursive: true, force: true });
});

function live(): number[] {
  return processesWithEnv(`ORCH_WATCHDOG_TEST=${marker}`);
}

interface Started {
  watchdog: number;
  agent?: number;
  grandchild?: number;
  exited: Promise<number | null>;
}

/** Starts parent.mjs and waits (bounded) for the pids it reports once everything is up and watched. */
async function startParent(mode: string, agentArgv: string[] = [process.execPath, path.join(dir, 'agent.mjs')]): Promise<Started> {
  const child = spawn(process.execPath, [path.join(dir, 'parent.mjs')], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: {
      ...process.env,
      ORCH_WATCHDOG_TEST: marker,
      MODE: mode,
      AGENT_ARGV: JSON.stringify(agentArgv),
      WATCHDOG_MODULE: pathToFileURL(path.join(REPO_ROOT, 'dist', 'process', 'watchdog.js')).href,
      WATCHDOG_LOG: path.join(dir, 'watchdog.log'),
    },
  });
  parent = child;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  // as long as the parent lives (under load that takes what it takes); once it has exited, never
  const line = await waitFor(() => out.split('\n')[0] !== '' && out.includes('\n') && out.split('\n')[0], {
    what: 'the parent to report its pids',
    unless: () => (child.exitCode !== null || child.signalCode !== null) && `the parent exited (${child.exitCode ?? child.signalCode})`,
  });
  return { ...(JSON.parse(line) as Omit<Started, 'exited'>), exited };
}

const sandboxed = [
  'bwrap',
  '--unshare-user',
  '--new-session',
  '--unshare-pid',
  '--dev-bind',
  '/',
  '/',
  '--proc',
  '/proc',
  process.execPath,
];

describe('watchdog', () => {
  it.each([
    ['a plain process group', false],
    ['an agent inside bwrap --new-session --unshare-pid, without --die-with-parent (needs bubblewrap)', true],
  ])('when orchestrate is SIGKILLed, stops %s (SIGTERM ignored, grandchild too) and exits', async (_name, inBwrap) => {
    if (inBwrap && !SANDBOX_USABLE) return; // bubblewrap is not usable here: the plain case above still ran
    const started = await startParent('kill', inBwrap ? [...sandboxed, path.join(dir, 'agent.mjs')] : undefined);
    expect(pidAlive(started.watchdog)).toBe(true);
    expect(live().length).toBeGreaterThanOrEqual(4); // parent, watchdog, agent, grandchild
    parent?.kill('SIGKILL');
    await until(() => live().length === 0, { what: 'the agent group, its grandchild and the watchdog to be gone' });
  });

  it("ignores SIGINT and SIGHUP (a terminal's Ctrl-C or hang-up) and still does its job after", async () => {
    const started = await startParent('kill');
    process.kill(started.watchdog, 'SIGINT');
    process.kill(started.watchdog, 'SIGHUP');
    const log = path.join(dir, 'watchdog.log');
    await until(() => existsSync(log) && readFileSync(log, 'utf8').includes('"SIGHUP"') && readFileSync(log, 'utf8').includes('"SIGINT"'), {
      what: 'the watchdog to note both signals',
    });
    expect(pidAlive(started.watchdog)).toBe(true);
    parent?.kill('SIGKILL');
    await until(() => live().length === 0, { what: 'everything gone after orchestrate died' });
  });

  it('on a clean bye exits at once and signals nothing', async () => {
    const started = await startParent('bye');
    await until(() => !pidAlive(started.watchdog), { what: 'the watchdog to exit after bye' });
    parent?.kill('SIGKILL');
    await started.exited;
    // the agent outlived both: nothing was signalled
    expect(pidAlive(started.agent as number)).toBe(true);
    expect(pidAlive(started.grandchild as number)).toBe(true);
  });

  it('never signals a pid whose start time is not the one it was told (pid reuse)', async () => {
    const started = await startParent('wrong-start-time');
    const agentStart = readProcStat(started.agent as number)?.startTime;
    parent?.kill('SIGKILL');
    await until(() => !pidAlive(started.watchdog), { what: 'the watchdog to exit after orchestrate died' });
    expect(readProcStat(started.agent as number)?.startTime).toBe(agentStart);
    expect(pidAlive(started.grandchild as number)).toBe(true);
  });

  it('does not keep orchestrate alive, and goes when orchestrate exits', async () => {
    const started = await startParent('exit-by-itself');
    expect(await started.exited).toBe(0); // nothing else was holding the event loop
    await until(() => !pidAlive(started.watchdog), { what: 'the watchdog to exit with orchestrate' });
  });
});
