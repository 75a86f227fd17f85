// Helpers to run the real agent CLIs offline against the scripted model server (docs/compat.md).
//
// `cliLaunch()` gives, per CLI, `{ executable, env, extraArgs, model }`: everything needed to point
// the CLI at `model-server.ts` with a dummy key, keep it offline and isolate its state in a fresh
// HOME. It contains no mode flags (prompt, output format, approvals): those belong to whoever runs
// the CLI (`directArgs()` here, orchestrate's adapters in phase 2, where these four fields map to
// orchestrate.config.json `agents.<id>.executable/.env/.args/.model`).
//
// `env` is complete on its own: spawn with `{ ...baseEnv(), ...launch.env }`, not with
// `process.env`, so that no real key or config of the machine leaks into a run.

import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { constants as osConstants, homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { groupAlive } from '../../src/process/kill-group.js';
import { until as waitUntil } from '../helpers/until.js';

export type CliId = 'claude' | 'codex' | 'gemini';
export const CLI_IDS: readonly CliId[] = ['claude', 'codex', 'gemini'];

/** Models the recordings used (REFERENCE.md §2): codex needs a slug it knows. */
export const MODELS: Readonly<Record<CliId, string>> = {
  claude: 'claude-opus-5-5',
  codex: 'gpt-5.5',
  gemini: 'gemini-2.5-flash',
};

/** The prompt of the recordings. The scripted server ignores it. */
export const PROMPT = 'Create out.txt containing hello';

export const DUMMY_KEYS = {
  anthropic: 'sk-ant-compat-dummy',
  openai: 'sk-compat-dummy',
  gemini: 'compat-dummy-key',
} as const;

/** Cache root shared with scripts/install-compat-clis.mjs. */
export function compatRoot(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.ORCHESTRATE_COMPAT_CACHE || join(homedir(), '.cache', 'orchestrate-compat'));
}

export interface RunDirs {
  /** `<compatRoot>/runs/<id>`: not under /tmp, because CODEX_HOME must not be under $TMPDIR (REFERENCE §9). */
  root: string;
  /** HOME of the CLI (claude's `.claude.json`, `.claude/`; gemini's `.gemini/` via GEMINI_CLI_HOME). */
  home: string;
  /** TMPDIR of the CLI: a dedicated dir, so the CLI's temp files stay in the run and codex's aliases work. */
  tmp: string;
  /** CODEX_HOME (`<home>/.codex`). */
  codexHome: string;
  /** The workspace (cwd of the CLI). */
  work: string;
}

let runCounter = 0;

/** Creates a fresh directory tree for one run (or one supervisor in phase 2). */
export function makeRunDirs(label: string, env: NodeJS.ProcessEnv = process.env): RunDirs {
  const id = `${label.replace(/[^\w.-]+/g, '_')}-${process.pid}-${++runCounter}-${randomBytes(3).toString('hex')}`;
  const root = join(compatRoot(env), 'runs', id);
  const dirs: RunDirs = {
    root,
    home: join(root, 'home'),
    tmp: join(root, 'tmp'),
    codexHome: join(root, 'home', '.codex'),
    work: join(root, 'work'),
  };
  for (const d of [dirs.home, dirs.tmp, dirs.codexHome, dirs.work]) mkdirSync(d, { recursive: true });
  return dirs;
}

export function removeRunDirs(dirs: RunDirs): void {
  rmSync(dirs.root, { recursive: true, force: true });
}

/** The few variables of the parent a CLI needs besides `launch.env` (PATH for node, bash, git). */
export function baseEnv(parent: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const env: Record<string, string> = {
    PATH: parent.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    LANG: 'C.UTF-8',
  };
  if (parent.SHELL) env.SHELL = parent.SHELL;
  return env;
}

export interface CliLaunch {
  cli: CliId;
  executable: string;
  /** Environment of the run (isolation, base URL, dummy key, offline switches). */
  env: Record<string, string>;
  /** Arguments every invocation needs (codex: the provider); place them after `exec` for codex. */
  extraArgs: string[];
  model: string;
}

export interface LaunchOptions {
  executable: string;
  /** The model server's base URL for this CLI and scenario (`server.baseUrl(cli, scenario)`). */
  baseUrl: string;
  dirs: RunDirs;
  /** One retry instead of the CLI defaults (10 retries, minutes of backoff). Default true. */
  fastRetries?: boolean;
  /** URL of an HTTP proxy that refuses and records everything (the model server): any attempt of
   * the CLI to reach another host then shows in `server.egress()`. Loopback is exempt (NO_PROXY). */
  egressTrap?: string;
}

/** The executable, environment and arguments that run `cli` against the model server. */
export function cliLaunch(cli: CliId, opts: LaunchOptions): CliLaunch {
  const fast = opts.fastRetries ?? true;
  const { dirs } = opts;
  const env: Record<string, string> = {
    HOME: dirs.home,
    TMPDIR: dirs.tmp,
    XDG_CONFIG_HOME: join(dirs.home, '.config'),
    XDG_CACHE_HOME: join(dirs.home, '.cache'),
    XDG_DATA_HOME: join(dirs.home, '.local', 'share'),
    XDG_STATE_HOME: join(dirs.home, '.local', 'state'),
  };
  if (opts.egressTrap) {
    for (const k of ['HTTP_PROXY', 'HTTPS_PROXY', 'http_proxy', 'https_proxy', 'ALL_PROXY', 'all_proxy']) {
      env[k] = opts.egressTrap;
    }
    env.NO_PROXY = env.no_proxy = '127.0.0.1,localhost,::1';
  }
  const extraArgs: string[] = [];
  switch (cli) {
    case 'claude':
      Object.assign(env, {
        ANTHROPIC_BASE_URL: opts.baseUrl,
        ANTHROPIC_API_KEY: DUMMY_KEYS.anthropic,
        // Root may use --dangerously-skip-permissions only with this (REFERENCE §2, §9).
        IS_SANDBOX: '1',
        // Without these four claude resolves api.anthropic.com even with a local base URL (§3).
        CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
        DISABLE_TELEMETRY: '1',
        DISABLE_AUTOUPDATER: '1',
        DISABLE_ERROR_REPORTING: '1',
      });
      if (fast) env.CLAUDE_CODE_MAX_RETRIES = '1';
      break;
    case 'codex': {
      env.CODEX_HOME = dirs.codexHome;
      env.FAKE_OPENAI_KEY = DUMMY_KEYS.openai;
      const retries = fast ? ',request_max_retries=0,stream_max_retries=1' : '';
      extraArgs.push(
        '-c',
        'model_provider=fake',
        '-c',
        `model_providers.fake={name="fake",base_url="${opts.baseUrl}",env_key="FAKE_OPENAI_KEY",wire_api="responses"${retries}}`,
        // Else codex runs `git ls-remote https://github.com/openai/plugins.git` (§3).
        '--disable',
        'plugins',
        // Else codex 0.169 resolves ab.chatgpt.com for its default OTEL metrics exporter
        // (https://ab.chatgpt.com/otlp/v1/metrics), even with a custom provider: not in REFERENCE.md.
        '-c',
        'otel.metrics_exporter="none"',
      );
      break;
    }
    case 'gemini': {
      Object.assign(env, {
        GEMINI_CLI_HOME: dirs.home,
        GOOGLE_GEMINI_BASE_URL: opts.baseUrl,
        GEMINI_API_KEY: DUMMY_KEYS.gemini,
      });
      writeGeminiSettings(dirs.home, fast ? 2 : undefined);
      break;
    }
  }
  return { cli, executable: opts.executable, env, extraArgs, model: MODELS[cli] };
}

/** The launch as an orchestrate.config.json agent entry (`agents.<id>`), for phase 2. The three CLIs
 * may share one RunDirs (their state lives in different subdirectories of its home). */
export function toAgentConfig(launch: CliLaunch): {
  executable: string;
  env: Record<string, string>;
  args: string[];
  model: string;
} {
  return {
    executable: launch.executable,
    env: { ...launch.env },
    args: [...launch.extraArgs],
    model: launch.model,
  };
}

/** `$GEMINI_CLI_HOME/.gemini/settings.json` as REFERENCE §3 requires. */
export function writeGeminiSettings(home: string, maxAttempts?: number): string {
  const dir = join(home, '.gemini');
  mkdirSync(dir, { recursive: true });
  const settings = {
    // Without it the base URL makes the auth type "gateway": "Invalid auth method selected.", exit 41.
    security: { auth: { selectedType: 'gemini-api-key' } },
    // Else Clearcut usage statistics go to play.googleapis.com.
    privacy: { usageStatisticsEnabled: false },
    telemetry: { enabled: false },
    general: {
      enableAutoUpdate: false,
      enableAutoUpdateNotification: false,
      ...(maxAttempts === undefined ? {} : { maxAttempts }),
    },
  };
  const file = join(dir, 'settings.json');
  writeFileSync(file, `${JSON.stringify(settings, null, 2)}\n`);
  return file;
}

export interface DirectOptions {
  prompt?: string;
  /** claude `--json-schema <json>`; codex `--output-schema <file>` (written into `schemaFile`). */
  schema?: Record<string, unknown>;
  schemaFile?: string;
}

/** The headless flags the recordings were made with (REFERENCE §2, §8), after `launch.extraArgs`. */
export function directArgs(launch: CliLaunch, opts: DirectOptions = {}): string[] {
  const prompt = opts.prompt ?? PROMPT;
  switch (launch.cli) {
    case 'claude': {
      const args = ['-p', prompt, '--output-format', 'stream-json', '--verbose', '--dangerously-skip-permissions'];
      args.push('--model', launch.model, ...launch.extraArgs);
      if (opts.schema) args.push('--json-schema', JSON.stringify(opts.schema));
      return args;
    }
    case 'codex': {
      const args = ['exec', '--json', '--skip-git-repo-check', '--dangerously-bypass-approvals-and-sandbox'];
      args.push('-m', launch.model, ...launch.extraArgs);
      if (opts.schema) {
        if (!opts.schemaFile) throw new Error('codex --output-schema needs schemaFile');
        writeFileSync(opts.schemaFile, JSON.stringify(opts.schema));
        args.push('--output-schema', opts.schemaFile);
      }
      args.push(prompt);
      return args;
    }
    case 'gemini':
      return ['-p', prompt, '-o', 'stream-json', '--yolo', '--skip-trust', '-m', launch.model, ...launch.extraArgs];
  }
}

// ---------------------------------------------------------------------------------------------
// Running a CLI: own process group, stdin closed, bounded wait, every group killed afterwards.

const liveGroups = new Set<number>();

/** Process groups spawned by `runCli` that may still have members. */
export function liveProcessGroups(): number[] {
  return [...liveGroups].filter((pgid) => groupAlive(pgid));
}

/** Resolves true once process group `pgid` has no members, false if it still has some after `timeoutMs`. */
export function groupGone(pgid: number, timeoutMs = 30_000): Promise<boolean> {
  return until(() => !groupAlive(pgid), timeoutMs);
}

/** SIGKILLs every group `runCli` started; returns the groups that still had members. */
export function killAllGroups(): number[] {
  const killed: number[] = [];
  for (const pgid of liveGroups) {
    try {
      process.kill(-pgid, 'SIGKILL');
      killed.push(pgid);
    } catch {
      // already gone
    }
  }
  liveGroups.clear();
  return killed;
}

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** stdout lines parsed as JSON; lines that are not JSON are kept as `{ nonJson: line }`. */
  events: Record<string, unknown>[];
  /** The bound was hit and the group was killed. */
  timedOut: boolean;
  pid: number;
  ms: number;
}

export interface RunningCli {
  /** pid of the CLI = id of its process group. */
  pid: number;
  /** stdout so far. */
  stdout(): string;
  done: Promise<RunResult>;
}

/** Starts the CLI in its own process group with stdin closed; `done` resolves when it has exited. */
export function startCli(
  launch: CliLaunch,
  args: string[],
  opts: { cwd: string; timeoutMs: number; parentEnv?: NodeJS.ProcessEnv },
): RunningCli {
  const started = Date.now();
  const child = spawn(launch.executable, args, {
    cwd: opts.cwd,
    env: { ...baseEnv(opts.parentEnv), ...launch.env },
    // stdin closed: claude waits 3 s on an open pipe and codex blocks on it (REFERENCE §3).
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const pid = child.pid;
  if (pid === undefined) {
    const failed = new Promise<RunResult>((_, reject) => child.once('error', reject));
    return { pid: -1, stdout: () => '', done: failed };
  }
  liveGroups.add(pid);
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  let timedOut = false;
  const bound = AbortSignal.timeout(opts.timeoutMs);
  const onAbort = () => {
    timedOut = true;
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // gone
    }
  };
  bound.addEventListener('abort', onAbort, { once: true });
  const done = new Promise<RunResult>((resolveRun, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => {
      bound.removeEventListener('abort', onAbort);
      resolveRun({
        code,
        signal,
        stdout,
        stderr,
        events: parseJsonl(stdout),
        timedOut,
        pid,
        ms: Date.now() - started,
      });
    });
  });
  return { pid, stdout: () => stdout, done };
}

export function runCli(
  launch: CliLaunch,
  args: string[],
  opts: { cwd: string; timeoutMs: number; parentEnv?: NodeJS.ProcessEnv },
): Promise<RunResult> {
  return startCli(launch, args, opts).done;
}

/** The exit status a shell would show: the code, or 128 + the signal number (what INDEX.tsv holds). */
export function shellStatus(r: Pick<RunResult, 'code' | 'signal'>): number | null {
  if (r.code !== null) return r.code;
  return r.signal ? 128 + (osConstants.signals[r.signal] ?? 0) : null;
}

/** Polls `pred` until it holds; false if it still does not after `timeoutMs` (helpers/until, as a boolean). */
export function until(pred: () => boolean, timeoutMs: number, everyMs = 20): Promise<boolean> {
  return waitUntil(pred, { timeoutMs, intervalMs: everyMs }).then(
    () => true,
    () => false,
  );
}

export function parseJsonl(text: string): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const v: unknown = JSON.parse(line);
      out.push(v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : { nonJson: line });
    } catch {
      out.push({ nonJson: line });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Egress check with strace (when the machine has it): every connect/send to a non-loopback address,
// DNS queries included, of the CLI and all its descendants.

export const STRACE = ['/usr/bin/strace', '/bin/strace'].find((p) => existsSync(p));

/** Runs `launch` with `args` under `strace -f`, logging network syscalls to `logFile`. */
export function underStrace(launch: CliLaunch, args: string[], logFile: string): { launch: CliLaunch; args: string[] } {
  if (!STRACE) throw new Error('strace is not installed');
  return {
    launch: { ...launch, executable: STRACE },
    args: ['-f', '-qq', '-e', 'trace=%network', '-e', 'signal=none', '-s', '120', '-o', logFile, launch.executable, ...args],
  };
}

/** Lines of a strace log that address something other than loopback over IPv4/IPv6. */
export function nonLoopbackTraffic(straceLog: string): string[] {
  return straceLog.split('\n').filter((line) => {
    const v4 = /sin_addr=inet_addr\("([\d.]+)"\)/.exec(line);
    if (v4) return !v4[1]?.startsWith('127.') && v4[1] !== '0.0.0.0';
    const v6 = /inet_pton\(AF_INET6, "([^"]+)"/.exec(line);
    if (v6) return !['::1', '::'].includes(v6[1] ?? '') && !/^::ffff:127\./.test(v6[1] ?? '');
    return false;
  });
}
