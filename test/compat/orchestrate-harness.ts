// Phase 2 of the real-CLI compatibility suite (docs/compat.md): runs the built orchestrate CLI
// (`node bin/orchestrate.js`, after `npm run build`) on the pinned real claude/codex/gemini, offline,
// against the scripted model server.
//
// One `CompatSession` = one orchestrate run in its own directory tree under
// `<compatRoot>/runs/` (not under /tmp: bubblewrap gives the agents a private /tmp, and codex refuses
// a CODEX_HOME under $TMPDIR). Its `orchestrate.config.json` points each agent's `executable`,
// `model`, `env` and `args` at the real CLI and a scenario of the server, built with phase 1's
// `cliLaunch()`. orchestrate runs with its default bubblewrap sandbox unless told `--no-sandbox`.
//
// Processes: orchestrate is spawned detached (its own process group) with stdin closed, and its
// environment carries a marker that every agent inherits (bwrap keeps the environment), so "nothing
// is left" is checked three ways: orchestrate's group, every agent group recorded in session.json
// (phase 1's `groupGone`), and a /proc scan for the marker, which also sees processes inside
// bwrap's pid namespace (bwrap `--new-session` puts the agent in a group of its own).

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { groupAlive } from '../../src/process/kill-group.js';
import { processesWithEnv } from '../helpers/orchestrate-harness.js';
import type { ModelServer, Scenario } from './model-server.js';
import { baseEnv, cliLaunch, groupGone, makeRunDirs, removeRunDirs, until, type CliId, type RunDirs } from './real-clis.js';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const ORCHESTRATE_BIN = join(REPO_ROOT, 'bin', 'orchestrate.js');
export const FAKE_AGENTS_DIR = join(REPO_ROOT, 'fixtures', 'agents');

/** The adapter's own flags; config `args` must not repeat them (orchestrate adds both for codex). */
const ADAPTER_OWNED_CODEX_ARGS = [
  ['--disable', 'plugins'],
  ['-c', 'otel.metrics_exporter="none"'],
];

export interface SessionOptions {
  /** Directory label (`<compatRoot>/runs/<label>-…`). */
  label: string;
  server: ModelServer;
  /** Executables of the real CLIs (`inject('compatClis')`). */
  clis: Record<CliId, string>;
  /** The agents orchestrate may use, each with the server scenario (already registered) it talks to. */
  agents: Partial<Record<CliId, string>>;
  /** `false` adds `--no-sandbox`. Default: orchestrate's bubblewrap sandbox. */
  sandbox?: boolean;
  /** Session budget (`--timeout`). */
  timeout?: string;
  /** Bound on the whole orchestrate run (default 90 s); then SIGTERM, and SIGKILL 15 s later. */
  boundMs?: number;
  /** Extra config `args` per agent, after the provider args. */
  extraArgs?: Partial<Record<CliId, string[]>>;
  /** Variables added to orchestrate's own environment (and so to every agent's). */
  env?: Record<string, string>;
  /**
   * Run the simulated agents (fixtures/agents/<cli>) instead of the real CLIs, each playing its
   * server scenario translated by `toFakeScenario` (same files, same commands, same texts), with
   * the same config otherwise: for comparing real and simulated runs through orchestrate.
   */
  simulated?: Partial<Record<CliId, Scenario>>;
  /** Top-level keys merged into orchestrate.config.json (e.g. `recovery`, `review`). */
  config?: Record<string, unknown>;
  /** Put the run's directories (home, tmp, work) under `<runsUnder>/runs/` instead of the compat cache (layout tests). */
  runsUnder?: string;
  /** The orchestrate entry point to run (a copy elsewhere, for layout tests). */
  orchestrateBin?: string;
}

export interface OrchestrateExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** The bound was hit. */
  timedOut: boolean;
  ms: number;
  pid: number;
}

export type JournalEntry = Record<string, unknown> & {
  seq: number;
  type: string;
  agent?: string;
  assignment?: string;
};

export class CompatSession {
  readonly dirs: RunDirs;
  readonly target: string;
  readonly workspace: string;
  readonly configFile: string;
  readonly marker = randomUUID();
  /** The agent entries written to orchestrate.config.json (env values are dummies, no secrets). */
  readonly config: Record<string, unknown>;
  private child: ChildProcess | undefined;
  private exitPromise: Promise<OrchestrateExit> | undefined;

  constructor(private readonly opts: SessionOptions) {
    this.dirs = makeRunDirs(opts.label, opts.runsUnder ? { ORCHESTRATE_COMPAT_CACHE: opts.runsUnder } : process.env);
    this.target = this.dirs.work;
    this.workspace = join(this.target, '.orchestrate');
    this.configFile = join(this.dirs.root, 'orchestrate.config.json');
    const agents: Record<string, unknown> = {};
    const allowWrite: string[] = [];
    const fakeState = join(this.dirs.root, 'fake-state');
    for (const [cli, scenario] of Object.entries(opts.agents) as [CliId, string][]) {
      // The three CLIs share one HOME: their state lives in different places under it
      // (~/.claude.json + ~/.claude, CODEX_HOME=~/.codex, GEMINI_CLI_HOME=~ → ~/.gemini), and
      // orchestrate's sandbox hides the other agents' state from each.
      const launch = cliLaunch(cli, {
        executable: opts.clis[cli],
        baseUrl: opts.server.baseUrl(cli, scenario),
        dirs: this.dirs,
        egressTrap: opts.server.url,
      });
      // IS_SANDBOX is orchestrate's to give (its claude adapter adds it when bwrap is active).
      const { IS_SANDBOX: _notOurs, ...env } = launch.env;
      const fake = opts.simulated?.[cli];
      if (fake) {
        const file = join(this.dirs.root, `fake-${cli}.json`);
        writeFileSync(file, `${JSON.stringify(toFakeScenario(fake), null, 2)}\n`);
        env[`FAKE_${cli.toUpperCase()}_SCENARIO`] = file;
        // the fake stands in for the release under test, whichever set it is (pinned or newest)
        const version = realVersion(opts.clis[cli]);
        if (version) env[`FAKE_${cli.toUpperCase()}_VERSION`] = version;
        // The fakes' run counters must be writable inside the sandbox.
        env.FAKE_AGENT_STATE_DIR = fakeState;
        mkdirSync(fakeState, { recursive: true });
        if (!allowWrite.includes(fakeState)) allowWrite.push(fakeState);
      }
      agents[cli] = {
        executable: fake ? join(FAKE_AGENTS_DIR, cli) : launch.executable,
        model: launch.model,
        env,
        args: [...withoutPairs(launch.extraArgs, ADAPTER_OWNED_CODEX_ARGS), ...(opts.extraArgs?.[cli] ?? [])],
      };
    }
    // killGrace short so a stuck run ends quickly; stallTimeout bounded well below the test timeout.
    // probeTimeout generous: a loaded machine took over 10 s for gemini's `--version` (a node start).
    this.config = {
      agents,
      killGrace: '2s',
      stallTimeout: '60s',
      probeTimeout: '60s',
      sandbox: { allowWrite, passEnv: ['ORCH_COMPAT_MARKER'] },
      ...opts.config,
    };
    writeFileSync(this.configFile, `${JSON.stringify(this.config, null, 2)}\n`);
  }

  /** Writes a `--plan` file and returns its path. */
  writePlan(plan: { assignments: Record<string, unknown>[] }): string {
    const file = join(this.dirs.root, 'plan.json');
    writeFileSync(file, `${JSON.stringify(plan, null, 2)}\n`);
    return file;
  }

  /** orchestrate's own environment: phase 1's `baseEnv()` plus an isolated HOME/TMPDIR and the marker. */
  env(): Record<string, string> {
    return {
      ...baseEnv(),
      HOME: this.dirs.home,
      TMPDIR: this.dirs.tmp,
      ORCH_COMPAT_MARKER: this.marker,
      ...this.opts.env,
    };
  }

  /** The argv after `node bin/orchestrate.js`. */
  argv(task: string, extra: string[] = []): string[] {
    return [
      '--headless',
      '--target',
      this.target,
      '--config',
      this.configFile,
      '--agents',
      Object.keys(this.opts.agents).join(','),
      '--timeout',
      this.opts.timeout ?? '5m',
      ...(this.opts.sandbox === false ? ['--no-sandbox'] : []),
      ...extra,
      task,
    ];
  }

  /** Runs orchestrate to the end (bounded). */
  run(task: string, extra: string[] = []): Promise<OrchestrateExit> {
    if (this.exitPromise) throw new Error('one orchestrate run per CompatSession');
    const started = Date.now();
    const child = spawn(process.execPath, [this.opts.orchestrateBin ?? ORCHESTRATE_BIN, ...this.argv(task, extra)], {
      cwd: this.dirs.root,
      env: this.env(),
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    this.child = child;
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    let timedOut = false;
    // A ceiling for a hang, not a speed bound: past orchestrate's own --timeout (5m) and its stop,
    // below the suite's 10-minute test timeout, so that a stuck run is reported with its session files.
    const boundMs = this.opts.boundMs ?? 7 * 60_000;
    // Past the bound: SIGTERM lets orchestrate stop its agents and write the summary; SIGKILL after.
    const term = setTimeout(() => {
      timedOut = true;
      signal(child.pid, 'SIGTERM');
    }, boundMs);
    const kill = setTimeout(() => this.killAll(), boundMs + 15_000);
    this.exitPromise = new Promise<OrchestrateExit>((resolveRun, reject) => {
      child.once('error', reject);
      child.once('close', (code, sig) => {
        clearTimeout(term);
        clearTimeout(kill);
        resolveRun({
          code,
          signal: sig,
          stdout,
          stderr,
          timedOut,
          ms: Date.now() - started,
          pid: child.pid ?? -1,
        });
      });
    });
    return this.exitPromise;
  }

  /** The only session directory (`<workspace>/sessions/<id>`). */
  sessionDir(): string {
    const dir = join(this.workspace, 'sessions');
    const ids = existsSync(dir) ? readdirSync(dir).sort() : [];
    const last = ids.at(-1);
    if (!last) throw new Error(`no session directory under ${dir}`);
    return join(dir, last);
  }

  journal(): JournalEntry[] {
    return readFileSync(join(this.sessionDir(), 'events.jsonl'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as JournalEntry);
  }

  json(file: 'summary.json' | 'session.json' | 'plan.json'): Record<string, any> {
    return JSON.parse(readFileSync(join(this.sessionDir(), file), 'utf8')) as Record<string, any>;
  }

  /** A file of one agent run (`agents/<agent>/<run>/<file>`), or '' if missing. */
  runFile(agent: CliId, run: string, file: 'stderr.log' | 'stdout.jsonl' | 'command.json'): string {
    const p = join(this.sessionDir(), 'agents', agent, run, file);
    return existsSync(p) ? readFileSync(p, 'utf8') : '';
  }

  /** Live processes carrying this session's marker (orchestrate, bwrap, the CLIs and their children). */
  liveProcesses(): number[] {
    return processesWithEnv(`ORCH_COMPAT_MARKER=${this.marker}`);
  }

  /**
   * After orchestrate exited: waits (bounded) until orchestrate's group, every agent group that
   * session.json recorded, and every marked process are gone. Returns what is still alive.
   */
  async leftovers(timeoutMs = 60_000): Promise<string[]> {
    const groups = [this.child?.pid ?? -1, ...this.agentGroups()].filter((g) => g > 0);
    await Promise.all(groups.map((g) => groupGone(g, timeoutMs)));
    await until(() => this.liveProcesses().length === 0, timeoutMs);
    return [
      ...groups.filter((g) => groupAlive(g)).map((g) => `process group ${g}`),
      ...this.liveProcesses().map((p) => `pid ${p} (${cmdline(p)})`),
    ];
  }

  /** The process groups orchestrate recorded for its agents (`session.json` `processes[].pgid`). */
  agentGroups(): number[] {
    try {
      const processes = (this.json('session.json').processes ?? []) as { pgid?: number }[];
      return processes.map((p) => p.pgid ?? -1).filter((g) => g > 0);
    } catch {
      return [];
    }
  }

  /** SIGKILLs orchestrate's group, every recorded agent group and every marked process. */
  killAll(): void {
    for (const g of [this.child?.pid ?? -1, ...this.agentGroups()]) if (g > 0) signal(-g, 'SIGKILL');
    for (const p of this.liveProcesses()) signal(p, 'SIGKILL');
  }

  /** Kills what is left; removes the directory tree only when the test passed. */
  async cleanup(passed: boolean): Promise<void> {
    this.killAll();
    if (this.exitPromise) await this.exitPromise.catch(() => undefined);
    if (passed) removeRunDirs(this.dirs);
  }

  /** Everything a person needs when a test fails: exit, orchestrate output, outcomes, agents' stderr. */
  explain(exit: OrchestrateExit | undefined): string {
    const parts = [
      `orchestrate exit ${exit?.code ?? exit?.signal} in ${exit?.ms} ms${exit?.timedOut ? ' (BOUND HIT)' : ''}; dir kept: ${this.dirs.root}`,
      `--- orchestrate stdout (tail)\n${tail(exit?.stdout ?? '', 4000)}`,
      `--- orchestrate stderr (tail)\n${tail(exit?.stderr ?? '', 2000)}`,
    ];
    try {
      const summary = this.json('summary.json');
      parts.push(`--- summary.json assignments\n${JSON.stringify(summary.assignments, null, 1).slice(0, 4000)}`);
      for (const a of summary.assignments as { agent: CliId; runDir?: string; id: string }[]) {
        const run = a.runDir?.split('/').at(-1) ?? a.id;
        parts.push(`--- ${a.agent} ${run} stderr.log (tail)\n${tail(this.runFile(a.agent, run, 'stderr.log'), 3000)}`);
      }
      const odd = this.journal().filter((e) =>
        ['agent.unknown', 'agent.parse_error', 'agent.error', 'agent.start_failed', 'session.error'].includes(e.type),
      );
      if (odd.length)
        parts.push(
          `--- odd journal entries\n${odd
            .map((e) => JSON.stringify(e))
            .join('\n')
            .slice(0, 4000)}`,
        );
    } catch (e) {
      parts.push(`(no session files: ${(e as Error).message})`);
    }
    return parts.join('\n');
  }
}

/** The x.y.z a real CLI's `--version` answers (offline). */
function realVersion(executable: string): string | undefined {
  const r = spawnSync(executable, ['--version'], {
    encoding: 'utf8',
    env: { ...process.env, DISABLE_AUTOUPDATER: '1', CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1', GEMINI_CLI_NO_RELAUNCH: 'true' },
  });
  return /\d+\.\d+\.\d+/.exec(r.stdout ?? '')?.[0];
}

/** A model-server script as a fixtures/agents scenario: write → write, shell → shell, text → say. */
export function toFakeScenario(scenario: Scenario): { description: string; steps: Record<string, unknown>[] } {
  const steps = scenario.turns.map((turn) => {
    if (typeof turn === 'function') throw new Error('toFakeScenario: function turns have no simulated equivalent');
    if ('write' in turn) return { write: turn.write };
    if ('shell' in turn) return { shell: turn.shell };
    if ('text' in turn) return { say: turn.text };
    throw new Error(`toFakeScenario: no simulated equivalent for ${JSON.stringify(turn)}`);
  });
  return { description: 'translated from a compat model-server scenario', steps };
}

function withoutPairs(args: string[], pairs: string[][]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (pairs.some(([a, b]) => args[i] === a && args[i + 1] === b)) {
      i++;
      continue;
    }
    out.push(args[i] as string);
  }
  return out;
}

function signal(pid: number | undefined, sig: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(pid, sig);
  } catch {
    // gone
  }
}

function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim().slice(0, 200);
  } catch {
    return '?';
  }
}

function tail(text: string, n: number): string {
  return text.length > n ? `…${text.slice(-n)}` : text;
}

// ---------------------------------------------------------------------------------------------
// Finding P1 (docs/compat.md, phase 2): can a sandbox that needs a user namespace (codex's own
// `-s workspace-write` bwrap) start inside orchestrate's bwrap? As root it cannot today: orchestrate
// runs agents as uid 0 inside `--unshare-user --cap-drop ALL`, and since Linux 5.12 mapping uid 0 in a
// child user namespace needs CAP_SETFCAP in the parent one, so the nested bwrap fails with
// `bwrap: setting up uid map: Operation not permitted`.

export const NESTED_USERNS_ERROR = 'bwrap: setting up uid map: Operation not permitted';

export interface NestedProbe {
  /** A nested `bwrap --unshare-user` ran inside orchestrate's sandbox. */
  ok: boolean;
  /** What the nested bwrap printed, and its exit status. */
  detail: string;
}

/**
 * Asks orchestrate itself (black box, whatever its sandbox code looks like): the "codex" agent is a
 * script that answers `--version`, then runs `bwrap --unshare-user --ro-bind / / -- true` inside
 * orchestrate's sandbox and prints the outcome on stderr (kept in the run's stderr.log). The run has
 * no stream, so orchestrate reports it failed (exit 5); only stderr.log matters.
 */
export async function probeNestedUserns(server: ModelServer, clis: Record<CliId, string>): Promise<NestedProbe> {
  server.register('nested-probe', { turns: [{ text: 'unused' }] });
  const session = new CompatSession({ label: 'nested-probe', server, clis, agents: { codex: 'nested-probe' }, boundMs: 5 * 60_000 });
  const script = join(session.dirs.root, 'nested-probe.sh');
  writeFileSync(
    script,
    [
      '#!/bin/bash',
      'if [ "$1" = "--version" ]; then echo "codex-cli 0.169.0 (nested-userns probe)"; exit 0; fi',
      'out=$(bwrap --unshare-user --ro-bind / / -- true 2>&1); status=$?',
      'echo "nested-userns: status=$status uid=$(id -u) $out" >&2',
      '',
    ].join('\n'),
  );
  chmodSync(script, 0o755);
  // The config is written in the constructor; rewrite it with the script as codex's executable.
  const config = session.config as { agents: Record<string, { executable: string }> };
  (config.agents.codex as { executable: string }).executable = script;
  writeFileSync(session.configFile, `${JSON.stringify(config, null, 2)}\n`);
  const plan = session.writePlan({ assignments: [{ id: 'probe', agent: 'codex', title: 'nested userns probe', weight: 1 }] });
  let passed = false;
  try {
    const exit = await session.run('nested userns probe', ['--plan', plan]);
    const line = session
      .runFile('codex', 'probe', 'stderr.log')
      .split('\n')
      .find((l) => l.startsWith('nested-userns:'));
    if (!line) throw new Error(`nested-userns probe printed nothing\n${session.explain(exit)}`);
    if ((await session.leftovers()).length > 0) throw new Error('nested-userns probe left processes');
    passed = true;
    return { ok: line.includes('status=0'), detail: line };
  } finally {
    await session.cleanup(passed);
  }
}
