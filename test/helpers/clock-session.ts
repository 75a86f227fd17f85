// A session run in process through runSession on an injected ManualClock (the CLI has no clock to
// inject), against the simulated agents, unsandboxed, in a scratch directory of its own: for tests
// whose subject is a timer (a review timer, a parked run's reset).
import { randomUUID } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { configSchema } from '../../src/config/schema.js';
import type { SessionOptions } from '../../src/supervisor/session-options.js';
import { noSandbox } from '../../src/supervisor/sandbox-plan.js';
import { runSession, type SessionResult } from '../../src/supervisor/supervisor.js';
import { FAKE_AGENTS_DIR, SAMPLE_PROJECT_DIR, type FakeCli } from './fake-agents.js';
import { ManualClock } from './manual-clock.js';
import { HARNESS_PASS_ENV, killProcessesWithEnv } from './orchestrate-harness.js';

export const CLOCK_SESSION_TASK = 'Add a --json flag to the report command';

export type JournalLine = Record<string, any> & { seq: number; type: string };

export interface ClockSessionOptions {
  /** Prefix of the scratch directory under the temp dir. */
  prefix: string;
  /** The CLIs the session may use; the plan's one assignment (`impl`, implementation) is the first's. */
  agents: FakeCli[];
  /** Per CLI: a scenario name (fixtures/scenarios/) or a scenario's JSON, written to the scratch dir. */
  scenarios: Partial<Record<FakeCli, string | object>>;
  /** The injected clock's start (epoch ms). */
  start: number;
  timeoutMs: number;
  review: SessionOptions['review'];
}

export interface ClockSession {
  session: Promise<SessionResult>;
  clock: ManualClock;
  /** Aborting it stops the session as Ctrl-C does. */
  controller: AbortController;
  logDir: string;
  /** Every process the session starts carries `ORCH_TEST_MARKER=<marker>` in its environment. */
  marker: string;
  /** The session's journal so far. */
  read(): JournalLine[];
  /** How many times `cli` was launched for work (its `--version` probes not counted). */
  launches(cli: FakeCli): number;
  /** For `waitFor`'s `unless`: set once the session has ended. */
  running(): string | false;
  /** Stops the session, kills what it left and removes the scratch dir. */
  cleanup(): Promise<void>;
}

export function startClockSession(opts: ClockSessionOptions): ClockSession {
  const root = mkdtempSync(path.join(os.tmpdir(), opts.prefix));
  const target = path.join(root, 'project');
  const logDir = path.join(root, 'fake-log');
  cpSync(SAMPLE_PROJECT_DIR, target, { recursive: true });
  mkdirSync(path.join(root, 'home'));
  mkdirSync(logDir);
  const scenarioEnv: Record<string, string> = {};
  for (const [cli, scenario] of Object.entries(opts.scenarios)) {
    let value = scenario;
    if (typeof scenario !== 'string') {
      value = path.join(root, `${cli}-scenario.json`);
      writeFileSync(value, JSON.stringify(scenario));
    }
    scenarioEnv[`FAKE_${cli.toUpperCase()}_SCENARIO`] = value as string;
  }
  const planFile = path.join(root, 'plan.json');
  writeFileSync(
    planFile,
    JSON.stringify({ assignments: [{ id: 'impl', agent: opts.agents[0], role: 'implementation', title: 'implement it', weight: 1 }] }),
  );
  const marker = randomUUID();
  const clock = new ManualClock({ start: opts.start });
  const controller = new AbortController();
  let eventsFile: string | undefined;
  const read = (): JournalLine[] =>
    eventsFile && existsSync(eventsFile)
      ? readFileSync(eventsFile, 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l))
      : [];
  const launches = (cli: FakeCli): number =>
    existsSync(path.join(logDir, `${cli}.jsonl`))
      ? readFileSync(path.join(logDir, `${cli}.jsonl`), 'utf8')
          .split('\n')
          .filter((l) => l.includes('"kind":"argv"') && !l.includes('--version')).length
      : 0;
  const session: Promise<SessionResult> = runSession({
    task: CLOCK_SESSION_TASK,
    target,
    workspace: path.join(target, '.orchestrate'),
    agents: opts.agents,
    planFile,
    config: configSchema.parse({ sandbox: { passEnv: HARNESS_PASS_ENV } }),
    timeoutMs: opts.timeoutMs,
    probeTimeoutMs: 10_000,
    killGraceMs: 2_000,
    stallMs: 0,
    trustTarget: true,
    review: opts.review,
    sandbox: noSandbox('test: --no-sandbox'),
    env: {
      PATH: [FAKE_AGENTS_DIR, path.dirname(process.execPath), '/usr/bin', '/bin'].join(':'),
      HOME: path.join(root, 'home'),
      LANG: 'C.UTF-8',
      FAKE_AGENT_STATE_DIR: path.join(root, 'fake-state'),
      FAKE_AGENT_LOG_DIR: logDir,
      ...scenarioEnv,
      ORCH_TEST_MARKER: marker,
    },
    clock,
    signal: controller.signal,
    version: 'test',
    onJournal: (_journal, paths) => {
      eventsFile = paths.events;
    },
  });
  // waits last as long as the session runs (load decides how long a step takes)
  let settled = false;
  void session.finally(() => (settled = true)).catch(() => undefined);
  const running = (): string | false => settled && 'the session ended';
  const cleanup = async (): Promise<void> => {
    controller.abort();
    await session.catch(() => undefined);
    await killProcessesWithEnv(`ORCH_TEST_MARKER=${marker}`, {});
    rmSync(root, { recursive: true, force: true });
  };
  return { session, clock, controller, logDir, marker, read, launches, running, cleanup };
}
