// The run driver with a fake child process: no process is spawned. The spawner is injected, as
// concurrently tests its commands with fake child processes.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { getAdapter } from '../../../src/agents/registry.js';
import type { ExitInfo, SpawnAgentOptions } from '../../../src/process/spawn-agent.js';
import type { EventPolicy } from '../../../src/safety/event-policy.js';
import { Journal } from '../../../src/session/journal.js';
import { runPaths, sessionPaths } from '../../../src/session/paths.js';
import { runAgent, type AgentRunInput, type RunningAgent } from '../../../src/supervisor/agent-run.js';
import { ManualClock } from '../../helpers/manual-clock.js';

/** A child process that exists only in memory: the test writes its stdout and decides how it ends. */
class FakeChild implements RunningAgent {
  readonly pid = 4242;
  readonly stops: number[] = [];
  kills = 0;
  private end!: (info: ExitInfo) => void;
  readonly exited = new Promise<ExitInfo>((resolve) => (this.end = resolve));

  constructor(private readonly options: SpawnAgentOptions) {}

  print(...lines: string[]): void {
    this.options.onStdout(Buffer.from(lines.map((l) => `${l}\n`).join('')));
  }
  exit(info: ExitInfo): void {
    this.end(info);
  }
  stderrTail(): string {
    return '';
  }
  stop(graceMs: number): Promise<ExitInfo> {
    this.stops.push(graceMs);
    this.exit({ code: null, signal: 'SIGTERM' });
    return this.exited;
  }
  kill(): void {
    this.kills += 1;
    this.exit({ code: null, signal: 'SIGKILL' });
  }
}

const CLAUDE_OK = readFileSync(new URL('../../../fixtures/streams/claude-ok.jsonl', import.meta.url), 'utf8')
  .split('\n')
  .filter(Boolean);

let dir: string;
let journal: Journal;
afterEach(() => {
  journal?.close();
  rmSync(dir, { recursive: true, force: true });
});

function setup(overrides: Partial<AgentRunInput> = {}) {
  dir = mkdtempSync(path.join(os.tmpdir(), 'agent-run-driver-'));
  const clock = new ManualClock({ start: 1_000_000 });
  journal = new Journal(path.join(dir, 'journal.jsonl'), clock);
  const input: AgentRunInput = {
    agent: 'claude',
    assignmentId: 'a1',
    run: 'a1',
    adapter: getAdapter('claude'),
    command: { file: '/fake/claude', args: ['-p'], env: {} },
    agentArgv: ['/fake/claude', '-p'],
    env: { PATH: '/usr/bin', ANTHROPIC_API_KEY: 'secret' },
    cwd: dir,
    prompt: 'do it',
    paths: runPaths(sessionPaths(dir), 'claude', 'a1'),
    journal,
    clock,
    policies: [],
    timeoutMs: 30_000,
    stallMs: 0,
    killGraceMs: 2_000,
    signal: new AbortController().signal,
    ...overrides,
  };
  let child: FakeChild | undefined;
  let started!: () => void;
  const running = new Promise<void>((resolve) => (started = resolve));
  input.onStart = () => started();
  const spawn = async (options: SpawnAgentOptions): Promise<RunningAgent> => (child = new FakeChild(options));
  const entries = () =>
    readFileSync(journal.file, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l));
  return { input, clock, spawn, running, child: () => child!, entries };
}

describe('runAgent, driven with a fake child process', () => {
  it("journals real claude's recorded stream and decides success from its final event", async () => {
    const t = setup();
    const result = runAgent(t.input, t.spawn);
    await t.running;
    t.child().print(...CLAUDE_OK);
    t.child().exit({ code: 0, signal: null });
    const r = await result;
    expect(r.status).toBe('succeeded');
    expect(r.cliSessionId).toMatch(/^[0-9a-f-]{36}$/);
    const types = t.entries().map((e) => e.type);
    expect(types[0]).toBe('agent.launched');
    expect(types).toContain('agent.result');
    expect(types.at(-1)).toBe('agent.exited');
    // the command record names the environment, never its values
    expect(readFileSync(t.input.paths.command, 'utf8')).not.toContain('secret');
  });

  it('a run whose stream ends without a final event fails, whatever its exit code', async () => {
    const t = setup();
    const result = runAgent(t.input, t.spawn);
    await t.running;
    t.child().print(CLAUDE_OK[0]!);
    t.child().exit({ code: 0, signal: null });
    expect((await result).status).toBe('failed');
  });

  it('stops the child with grace when the clock passes the budget, and reports a timeout', async () => {
    const t = setup({ timeoutMs: 30_000 });
    const result = runAgent(t.input, t.spawn);
    await t.running;
    t.clock.advance(29_999);
    expect(t.child().stops).toEqual([]);
    t.clock.advance(1);
    const r = await result;
    expect(t.child().stops).toEqual([2_000]);
    expect(r.status).toBe('timed_out');
    expect(t.entries().find((e) => e.type === 'agent.stopping')).toMatchObject({ by: 'timeout' });
  });

  it('kills at once a child a policy blocks on its very first output, before its pid was known', async () => {
    const block: EventPolicy = {
      name: 'block-everything',
      onEvent: () => [{ type: 'stop', status: 'stopped_by_safety', reason: 'blocked by the test policy' }],
    };
    const t = setup({ policies: [block] });
    const spawn = async (options: SpawnAgentOptions): Promise<RunningAgent> => {
      const child = await t.spawn(options);
      (child as FakeChild).print(CLAUDE_OK[0]!);
      return child;
    };
    const r = await runAgent(t.input, spawn);
    expect(t.child().kills).toBe(1);
    expect(r.status).toBe('stopped_by_safety');
    expect(r.reason).toContain('blocked by the test policy');
  });

  it('a spawn that fails ends the run as failed with the error', async () => {
    const t = setup();
    const r = await runAgent(t.input, async () => {
      throw new Error('spawn /fake/claude ENOENT');
    });
    expect(r).toMatchObject({ status: 'failed', exit: null });
    expect(r.reason).toBe('could not start /fake/claude: spawn /fake/claude ENOENT');
    expect(t.entries().map((e) => e.type)).toEqual(['agent.start_failed']);
  });
});
