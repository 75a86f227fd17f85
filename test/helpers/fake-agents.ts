// Runs the simulated agent CLIs (fixtures/agents/{claude,codex,gemini}) directly, in their own
// process group, with a scratch HOME/state/log dir per harness; kills every group it started.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { constants, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pidAlive as isAlive } from '../../src/process/kill-group.js';
import { until, WAIT_CEILING_MS } from './until.js';
import { fileURLToPath } from 'node:url';

/** The three simulated CLIs. */
export type FakeCli = 'claude' | 'codex' | 'gemini';

/** fixtures/agents/: put it first on PATH to use the fakes. */
export const FAKE_AGENTS_DIR = fileURLToPath(new URL('../../fixtures/agents/', import.meta.url));
/** fixtures/streams/: the recorded real streams. */
export const STREAMS_DIR = fileURLToPath(new URL('../../fixtures/streams/', import.meta.url));
/** fixtures/sample-project/: the demo's target project. */
export const SAMPLE_PROJECT_DIR = fileURLToPath(new URL('../../fixtures/sample-project/', import.meta.url));

/** One block of a claude message (`text`, `tool_use`, `tool_result`). */
export interface ContentBlock {
  type?: string;
  content?: unknown;
  is_error?: boolean;
  [key: string]: unknown;
}

/** One line of a CLI's JSONL stream, loosely typed (the tests read raw JSON, not orchestrate's parsers). */
export interface StreamEvent {
  type?: string;
  subtype?: string;
  role?: string;
  session_id?: string;
  thread_id?: string;
  result?: unknown;
  content?: unknown;
  output?: unknown;
  item?: { type?: string; text?: string; [key: string]: unknown };
  message?: { content?: ContentBlock[]; [key: string]: unknown };
  event?: { type?: string };
  [key: string]: unknown;
}

/** One `$FAKE_AGENT_LOG_DIR/<cli>.jsonl` record. */
export interface LogRecord {
  kind: string;
  pid?: number;
  pgid?: number;
  action?: string;
  grandchildPid?: number;
  [key: string]: unknown;
}

/** How a fake ended. `status` is shell-style: the code, or 128 + signal number. */
export interface FakeExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  status: number;
  stdout: string;
  stderr: string;
}

/** A started fake. */
export interface FakeRun {
  child: ChildProcess;
  pid: number;
  exited: Promise<FakeExit>;
}

/** Options of one launch. */
export interface LaunchOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
  /** Sets FAKE_<CLI>_SCENARIO (a name in fixtures/scenarios/ or an absolute path). */
  scenario?: string;
  /** Text for stdin, given as a regular file (as orchestrate gives the prompt); else stdin is ignored. */
  stdin?: string;
}

const SCRUBBED = /^(FAKE_|IS_SANDBOX$|GEMINI_|CODEX_|CLAUDE_|ANTHROPIC_)/;

/** Parses JSONL text, skipping blank lines. */
export function parseLines(text: string): StreamEvent[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as StreamEvent);
}

/** An event's kind: type[/subtype][/item.type][/role][/content types][/stream event type]. */
export function eventKind(event: StreamEvent): string {
  const parts = [String(event.type)];
  if (typeof event.subtype === 'string') parts.push(event.subtype);
  if (typeof event.item?.type === 'string') parts.push(event.item.type);
  if (typeof event.role === 'string') parts.push(event.role);
  if (Array.isArray(event.message?.content)) parts.push(event.message.content.map((block) => block.type).join('+'));
  if (typeof event.event?.type === 'string') parts.push(event.event.type);
  return parts.join('/');
}

/** Kinds of a stream; consecutive gemini assistant delta chunks count once (they concatenate). */
export function streamKinds(stdout: string): string[] {
  const kinds: string[] = [];
  for (const kind of parseLines(stdout).map(eventKind)) {
    if (kind === 'message/assistant' && kinds.at(-1) === kind) continue;
    kinds.push(kind);
  }
  return kinds;
}

/** Every key path of a JSON value with its JSON type (`.message.content[].type:string`). Arrays: first element. */
function keyPaths(value: unknown, prefix: string, out: Set<string>): Set<string> {
  const type = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
  out.add(`${prefix}:${type}`);
  if (Array.isArray(value)) {
    if (value.length > 0 && typeof value[0] === 'object') keyPaths(value[0], `${prefix}[]`, out);
  } else if (type === 'object') {
    for (const [key, child] of Object.entries(value as Record<string, unknown>)) keyPaths(child, `${prefix}.${key}`, out);
  }
  return out;
}

/** For each event kind (first occurrence), its sorted key paths and types: the stream's field shape. */
export function streamShapes(stdout: string): Map<string, string[]> {
  const shapes = new Map<string, string[]>();
  for (const event of parseLines(stdout)) {
    const kind = eventKind(event);
    if (!shapes.has(kind)) shapes.set(kind, [...keyPaths(event, '', new Set())].sort());
  }
  return shapes;
}

/** Shapes of a recorded stream. */
export function recordedShapes(name: string): Map<string, string[]> {
  return streamShapes(readFileSync(join(STREAMS_DIR, `${name}.jsonl`), 'utf8'));
}

/** Kinds of a recorded stream in fixtures/streams/<name>.jsonl. */
export function recordedKinds(name: string): string[] {
  return streamKinds(readFileSync(join(STREAMS_DIR, `${name}.jsonl`), 'utf8'));
}

/** A recorded stderr file. */
export function recordedStderr(name: string): string {
  return readFileSync(join(STREAMS_DIR, `${name}.stderr.txt`), 'utf8');
}

/** The exit code INDEX.tsv records for a recording. */
export function recordedExit(name: string): number {
  const row = readFileSync(join(STREAMS_DIR, 'INDEX.tsv'), 'utf8')
    .split('\n')
    .map((line) => line.split('\t'))
    .find((cells) => cells[0] === name);
  if (!row?.[1]) throw new Error(`${name} is not in INDEX.tsv`);
  return Number(row[1]);
}

/**
 * A scratch world for fakes: root/{home,state,log,work}. `work` is the default cwd.
 * Every launched process group is SIGKILLed by `cleanup()`.
 */
export class FakeAgentHarness {
  readonly root: string;
  readonly home: string;
  readonly stateDir: string;
  readonly logDir: string;
  readonly work: string;
  private readonly runs: FakeRun[] = [];
  private readonly extraPids = new Set<number>();

  constructor() {
    this.root = realpathSync(mkdtempSync(join(tmpdir(), 'fake-agents-')));
    this.home = join(this.root, 'home');
    this.stateDir = join(this.root, 'state');
    this.logDir = join(this.root, 'log');
    this.work = join(this.root, 'work');
    for (const dir of [this.home, this.stateDir, this.logDir, this.work]) mkdirSync(dir, { recursive: true });
  }

  /** The base environment: the host's minus any fake/CLI settings, plus the scratch dirs. */
  env(extra: Record<string, string | undefined> = {}): Record<string, string> {
    const env: Record<string, string> = {};
    for (const [key, value] of Object.entries(process.env)) if (value !== undefined && !SCRUBBED.test(key)) env[key] = value;
    Object.assign(env, {
      PATH: `${FAKE_AGENTS_DIR}:${process.env['PATH'] ?? ''}`,
      HOME: this.home,
      CODEX_HOME: join(this.home, '.codex'),
      FAKE_AGENT_STATE_DIR: this.stateDir,
      FAKE_AGENT_LOG_DIR: this.logDir,
    });
    for (const [key, value] of Object.entries(extra)) {
      if (value === undefined) delete env[key];
      else env[key] = value;
    }
    return env;
  }

  /** Starts a fake in its own process group; stdin is `options.stdin` as a file, else ignored. */
  start(cli: FakeCli, args: string[], options: LaunchOptions = {}): FakeRun {
    const env = this.env({ ...(options.scenario ? { [`FAKE_${cli.toUpperCase()}_SCENARIO`]: options.scenario } : {}), ...options.env });
    let stdinFd: number | undefined;
    if (options.stdin !== undefined) {
      const file = join(this.root, `stdin-${this.runs.length}.txt`);
      writeFileSync(file, options.stdin);
      stdinFd = openSync(file, 'r');
    }
    const child = spawn(join(FAKE_AGENTS_DIR, cli), args, {
      cwd: options.cwd ?? this.work,
      env,
      detached: true,
      stdio: [stdinFd ?? 'ignore', 'pipe', 'pipe'],
    });
    if (stdinFd !== undefined) closeSync(stdinFd);
    if (child.pid === undefined) throw new Error(`could not start fake ${cli}`);
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const exited = new Promise<FakeExit>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (code, signal) => {
        const status = code ?? 128 + (signal ? constants.signals[signal] : 0);
        resolve({ code, signal, status, stdout, stderr });
      });
    });
    const run = { child, pid: child.pid, exited };
    this.runs.push(run);
    return run;
  }

  /** Starts a fake and waits (bounded) for it to exit. */
  async run(cli: FakeCli, args: string[], options: LaunchOptions & { timeoutMs?: number } = {}): Promise<FakeExit> {
    return this.waitExit(this.start(cli, args, options), options.timeoutMs);
  }

  /** Waits for a started fake to exit; only after `timeoutMs` (a ceiling for a hang) kills its group and fails. */
  async waitExit(run: FakeRun, timeoutMs = WAIT_CEILING_MS): Promise<FakeExit> {
    const timeout = new AbortController();
    const timer = sleep(timeoutMs, undefined, { signal: timeout.signal }).then(
      () => {
        killGroup(run.pid, 'SIGKILL');
        throw new Error(`fake (pid ${run.pid}) did not exit within ${timeoutMs} ms`);
      },
      () => undefined as never,
    );
    try {
      return await Promise.race([run.exited, timer]);
    } finally {
      timeout.abort();
    }
  }

  /** The records of `$FAKE_AGENT_LOG_DIR/<cli>.jsonl`. */
  logRecords(cli: FakeCli): LogRecord[] {
    try {
      return readFileSync(join(this.logDir, `${cli}.jsonl`), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as LogRecord);
    } catch {
      return [];
    }
  }

  /** Waits (bounded) for a log record matching `predicate`, failing early if `run` exits first. */
  async waitForLog(
    cli: FakeCli,
    predicate: (record: LogRecord) => boolean,
    run?: FakeRun,
    timeoutMs = WAIT_CEILING_MS,
  ): Promise<LogRecord> {
    let exited = false;
    void run?.exited.then(() => (exited = true));
    const record = await until(
      () => {
        const found = this.logRecords(cli).find(predicate);
        if (!found && exited) throw new Error(`fake ${cli} exited before logging the awaited record`);
        return found;
      },
      { timeoutMs, what: `a ${cli} log record` },
    );
    if (typeof record.grandchildPid === 'number') this.extraPids.add(record.grandchildPid);
    return record;
  }

  /** SIGKILLs every group this harness started (and known grandchildren), then removes the scratch dir. */
  async cleanup(): Promise<void> {
    for (const run of this.runs) killGroup(run.pid, 'SIGKILL');
    for (const pid of this.extraPids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    await Promise.allSettled(this.runs.map((run) => this.waitExit(run)));
    await until(() => [...this.extraPids].every((pid) => !isAlive(pid)), { what: 'grandchildren to die' });
    rmSync(this.root, { recursive: true, force: true });
  }
}

/** Signals a whole process group, ignoring a group that is already gone. */
export function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // the group is gone
  }
}
