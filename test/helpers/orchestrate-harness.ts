// Runs the real orchestrate CLI (bin/orchestrate.js, built dist/) against the simulated agents,
// in a scratch directory per test: target project, HOME, workspace, fake-agent log dir.
// Every process a test starts carries a unique marker in its environment, so "no process is
// left" is checked by scanning /proc, which also sees agents inside bubblewrap's pid namespace.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FAKE_AGENTS_DIR, SAMPLE_PROJECT_DIR, type FakeCli } from './fake-agents.js';
import { until, waitFor, WAIT_CEILING_MS } from './until.js';
import { pidAlive } from '../../src/process/kill-group.js';
import { readJournal } from '../../src/session/read-journal.js';
import { replaySession } from '../../src/review/replay.js';
import { readRawAnswers } from '../../src/review/raw-answers.js';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const ORCHESTRATE_BIN = path.join(REPO_ROOT, 'bin', 'orchestrate.js');

/** True when bubblewrap can sandbox on this machine (.ci/run installs it). */
export const SANDBOX_USABLE =
  spawnSync('bwrap', ['--unshare-user', '--cap-drop', 'ALL', '--ro-bind', '/', '/', 'true'], { stdio: 'ignore' }).status === 0;

/** The variables of the test's environment the simulated agents need (config `sandbox.passEnv`). */
export const HARNESS_PASS_ENV = ['FAKE_*', 'ORCH_TEST_MARKER', 'MEMORY_HOG_MB'];

export interface HarnessOptions {
  /** Which simulated CLIs are on PATH (default all three). */
  agents?: FakeCli[];
  /** Scenario per CLI (a name in fixtures/scenarios/ or an absolute path). */
  scenarios?: Partial<Record<FakeCli, string>>;
  /** Extra config merged into orchestrate.config.json. */
  config?: Record<string, unknown>;
  /** Make the target a git repository. */
  git?: boolean;
}

export interface OrchestrateExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface OrchestrateRun {
  child: ChildProcess;
  pid: number;
  exited: Promise<OrchestrateExit>;
  stdout(): string;
  stderr(): string;
}

/** A scratch world for one test. */
export class OrchestrateHarness {
  readonly root: string;
  readonly target: string;
  readonly home: string;
  readonly logDir: string;
  readonly binDir: string;
  readonly stateDir: string;
  readonly workspace: string;
  readonly configFile: string;
  readonly marker = randomUUID();
  /** The orchestrate entry point this harness runs (a copy elsewhere, for layout tests). */
  orchestrateBin = ORCHESTRATE_BIN;
  private readonly runs: OrchestrateRun[] = [];

  constructor(private readonly options: HarnessOptions = {}) {
    // Not under os.tmpdir() alone: bubblewrap gives agents a private /tmp, so everything an agent
    // must see is bound explicitly (target, its state under HOME, and the log dir via allowWrite).
    this.root = mkdtempSync(path.join(os.tmpdir(), 'orch-it-'));
    this.target = path.join(this.root, 'project');
    this.home = path.join(this.root, 'home');
    this.logDir = path.join(this.root, 'fake-log');
    this.binDir = path.join(this.root, 'bin');
    this.stateDir = path.join(this.root, 'fake-state');
    this.workspace = path.join(this.target, '.orchestrate');
    this.configFile = path.join(this.root, 'orchestrate.config.json');
    cpSync(SAMPLE_PROJECT_DIR, this.target, { recursive: true });
    for (const dir of [this.home, this.logDir, this.binDir, this.stateDir]) mkdirSync(dir, { recursive: true });
    for (const cli of options.agents ?? ['claude', 'codex', 'gemini'])
      symlinkSync(path.join(FAKE_AGENTS_DIR, cli), path.join(this.binDir, cli));
    if (options.git) spawnSync('git', ['init', '-q', this.target]);
    // a short recovery backoff keeps relaunch tests quick; the policy is the same
    // The fakes keep run counters in FAKE_AGENT_STATE_DIR (their home is private to each session);
    // the test's variables reach them by name (agents get an allow-listed environment).
    // A simulated CLI answers --version in well under a second idle, but at load 15+ it has taken
    // over 10 s (the default probe bound): a generous one keeps every agent in the tier under load.
    const config = {
      sandbox: { allowWrite: [this.logDir, this.stateDir], passEnv: HARNESS_PASS_ENV },
      recovery: { backoff: '20ms' },
      probeTimeout: '2m',
      ...options.config,
    };
    writeFileSync(this.configFile, JSON.stringify(config, null, 2));
  }

  /** The environment of orchestrate (and so of the agents). */
  env(extra: Record<string, string> = {}): Record<string, string> {
    const env: Record<string, string> = {
      PATH: [this.binDir, path.dirname(process.execPath), '/usr/bin', '/bin'].join(':'),
      HOME: this.home,
      LANG: 'C.UTF-8',
      FAKE_AGENT_LOG_DIR: this.logDir,
      FAKE_AGENT_STATE_DIR: this.stateDir,
      ORCH_TEST_MARKER: this.marker,
      ...extra,
    };
    for (const [cli, scenario] of Object.entries(this.options.scenarios ?? {}))
      env[`FAKE_${cli.toUpperCase()}_SCENARIO`] = this.resolveScenario(scenario);
    return env;
  }

  /** Starts `orchestrate <args>` headless; sandboxed when bubblewrap is usable here. */
  start(args: string[], extraEnv: Record<string, string> = {}, options: { stdin?: string } = {}): OrchestrateRun {
    const sandboxArgs = SANDBOX_USABLE || args.includes('--no-sandbox') ? [] : ['--no-sandbox'];
    const child = spawn(
      process.execPath,
      [this.orchestrateBin, '--headless', '--target', this.target, '--config', this.configFile, ...sandboxArgs, ...args],
      {
        cwd: this.root,
        env: this.env(extraEnv),
        stdio: [options.stdin !== undefined ? 'pipe' : 'ignore', 'pipe', 'pipe'],
      },
    );
    if (options.stdin !== undefined) child.stdin?.end(options.stdin);
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<OrchestrateExit>((resolve) =>
      child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr })),
    );
    const run = { child, pid: child.pid as number, exited, stdout: () => stdout, stderr: () => stderr };
    this.runs.push(run);
    return run;
  }

  /** Runs `orchestrate <args>` as typed in the target (a subcommand: diff, apply, discard…) to the end. */
  cli(args: string[], extraEnv: Record<string, string> = {}): Promise<OrchestrateExit> {
    const child = spawn(process.execPath, [ORCHESTRATE_BIN, ...args], {
      cwd: this.target,
      env: this.env(extraEnv),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<OrchestrateExit>((resolve) =>
      child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr })),
    );
    this.runs.push({ child, pid: child.pid as number, exited, stdout: () => stdout, stderr: () => stderr });
    return exited;
  }

  /** `rel` in the newest session's copy (where the agents worked; the checkout gets it only by `apply`). */
  inCopy(rel: string): string {
    return path.join(this.json('session.json').copy.workDir as string, rel);
  }

  /**
   * A fixture scenario with `../outside/` (a sibling of the agent's folder, which used to be the
   * target) pointed at `<root>/outside/`, the sibling of the checkout: agents work in a session
   * copy now, so a relative `..` no longer reaches the checkout's neighbours.
   */
  outsideScenario(name: string): string {
    const text = readFileSync(path.join(REPO_ROOT, 'fixtures', 'scenarios', `${name}.json`), 'utf8').replaceAll(
      '../outside/',
      `${path.join(this.root, 'outside')}/`,
    );
    const file = path.join(this.logDir, `scenario-${name}.json`);
    writeFileSync(file, text);
    return file;
  }

  /** A fixture name whose scenario writes to `../outside/` becomes its `outsideScenario`; anything else as is. */
  private resolveScenario(scenario: string): string {
    const fixture = path.join(REPO_ROOT, 'fixtures', 'scenarios', `${scenario}.json`);
    return !path.isAbsolute(scenario) && existsSync(fixture) && readFileSync(fixture, 'utf8').includes('../outside/')
      ? this.outsideScenario(scenario)
      : scenario;
  }

  /** Writes a scenario file into this test's folder; returns its path (for `scenarios` or FAKE_*_SCENARIO). */
  scenario(name: string, steps: unknown[]): string {
    const file = path.join(this.logDir, `scenario-${name}.json`); // visible inside the sandbox
    writeFileSync(file, JSON.stringify({ description: name, steps }));
    return file;
  }

  /** Runs orchestrate to the end. */
  async run(args: string[], extraEnv: Record<string, string> = {}, options: { stdin?: string } = {}): Promise<OrchestrateExit> {
    return this.start(args, extraEnv, options).exited;
  }

  /** The session directories written so far, oldest first. */
  sessionDirs(): string[] {
    const dir = path.join(this.workspace, 'sessions');
    return existsSync(dir)
      ? readdirSync(dir)
          .sort()
          .map((d) => path.join(dir, d))
      : [];
  }

  /** The only (or newest) session directory. */
  sessionDir(): string {
    const dirs = this.sessionDirs();
    const last = dirs.at(-1);
    if (!last) throw new Error(`no session directory under ${this.workspace}`);
    return last;
  }

  /** The journal of the newest session, parsed. */
  journal(): Array<Record<string, unknown> & { seq: number; type: string; agent?: string }> {
    return readFileSync(path.join(this.sessionDir(), 'events.jsonl'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l));
  }

  json(file: string): Record<string, any> {
    return JSON.parse(readFileSync(path.join(this.sessionDir(), file), 'utf8'));
  }

  /** Records the simulated agents wrote to `$FAKE_AGENT_LOG_DIR/<cli>.jsonl`. */
  fakeLog(cli: FakeCli): Array<Record<string, any>> {
    const file = path.join(this.logDir, `${cli}.jsonl`);
    return existsSync(file)
      ? readFileSync(file, 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l))
      : [];
  }

  /**
   * Waits until a simulated agent logged `kind` (e.g. "ready" before it hangs): as long as an
   * orchestrate this harness started is alive (under load that takes what it takes); once they
   * have all exited the record can no longer come, and the wait fails at once.
   */
  waitForFake(cli: FakeCli, kind: string): Promise<Record<string, any>> {
    return this.waitWhileRunning(() => this.fakeLog(cli).find((r) => r.kind === kind), `${cli} ${kind}`);
  }

  /** Waits for a condition a running orchestrate of this test will cause; fails once none runs. */
  waitWhileRunning<T>(predicate: () => T | undefined | false, what: string): Promise<T> {
    return waitFor(predicate, {
      what,
      unless: () =>
        this.runs.length > 0 &&
        this.runs.every((r) => r.child.exitCode !== null || r.child.signalCode !== null) &&
        'every orchestrate of this test has exited',
    });
  }

  /** Every live process started by this harness (found by the marker in its environment). */
  liveProcesses(): number[] {
    return processesWithEnv(`ORCH_TEST_MARKER=${this.marker}`);
  }

  /** Waits until no process of this harness is alive (a ceiling, for a process that never ends). Returns what is still alive. */
  async waitNoProcesses(timeoutMs = WAIT_CEILING_MS): Promise<number[]> {
    try {
      await until(() => this.liveProcesses().length === 0, { timeoutMs, what: 'no live processes' });
    } catch {
      // reported to the caller below
    }
    return this.liveProcesses();
  }

  /** Waits for the processes of the test to end, then cleans up; returns those that had not (for the test to assert). */
  async finish(): Promise<number[]> {
    const left = await this.waitNoProcesses();
    await this.cleanup();
    return left;
  }

  /** Kills everything this test started and removes its files. */
  async cleanup(): Promise<void> {
    for (const run of this.runs) if (run.child.exitCode === null) run.child.kill('SIGKILL');
    for (const pid of this.liveProcesses()) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    await Promise.all(this.runs.map((r) => r.exited));
    const replay = this.replayDifferences();
    rmSync(this.root, { recursive: true, force: true });
    // every session a test produces must replay to the same review decisions (issue: reviews)
    if (replay.length) throw new Error(`orchestrate replay disagrees with the live decisions:\n${replay.join('\n')}`);
  }

  /** The differences `orchestrate replay` finds in each finished session of this test. */
  replayDifferences(): string[] {
    const dir = path.join(this.workspace, 'sessions');
    if (!existsSync(dir)) return [];
    const out: string[] = [];
    for (const id of readdirSync(dir)) {
      const file = path.join(dir, id, 'events.jsonl');
      if (!existsSync(file)) continue;
      const { entries } = readJournal(file);
      if (!entries.some((e) => e.type === 'session.completed')) continue;
      for (const d of replaySession(entries, readRawAnswers(path.join(dir, id))).differences) out.push(`${id}: ${d.what}`);
    }
    return out;
  }
}

/** Pids of live (non-zombie) processes whose environment contains `needle` (e.g. `KEY=value`). */
export function processesWithEnv(needle: string): number[] {
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${name}/environ`).includes(needle) && pidAlive(Number(name))) pids.push(Number(name));
    } catch {
      // gone, or not ours to read
    }
  }
  return pids;
}

/**
 * SIGKILLs every live process whose environment contains `needle` (see `processesWithEnv`), then
 * waits, bounded, until none is left; throws naming `what` if some survive.
 */
export async function killProcessesWithEnv(
  needle: string,
  { timeoutMs = WAIT_CEILING_MS, what = 'every test process gone' } = {},
): Promise<void> {
  for (const pid of processesWithEnv(needle)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  await until(() => processesWithEnv(needle).length === 0, { timeoutMs, what });
}
