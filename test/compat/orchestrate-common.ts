import { spawnSync } from 'node:child_process';
// Shared by the phase-2/3 test files (docs/compat.md): one scripted model server per file, the
// nested-userns probe (finding P1), per-test sessions that are killed after every test and removed
// only when it passed, and small readers of a session's files.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, expect, inject, onTestFinished, type TestContext } from 'vitest';
import { startModelServer, type ModelServer, type Scenario, type Turn } from './model-server.js';
import { CompatSession, ORCHESTRATE_BIN, probeNestedUserns, type NestedProbe, type SessionOptions } from './orchestrate-harness.js';
import type { CliId } from './real-clis.js';

export const CODEX_BYPASS = '--dangerously-bypass-approvals-and-sandbox';
export const API = { claude: 'anthropic', codex: 'openai', gemini: 'gemini' } as const;

export interface CompatFile {
  readonly server: ModelServer;
  readonly clis: Record<CliId, string>;
  readonly nested: NestedProbe;
  /** A session whose directory is removed only if the test passes. */
  newSession(opts: Omit<SessionOptions, 'server' | 'clis'>): CompatSession;
  /**
   * Config `args` for codex: none, unless finding P1 holds here (codex's own sandbox cannot start
   * inside orchestrate's bwrap); then codex's sandbox is turned off so that the rest of the path
   * (adapter flags, state dirs, TMPDIR, stream parsing, outcome) is still checked. orchestrate.test.ts
   * pins the failure itself. Once src/ fixes P1 the probe says ok and no workaround is applied.
   */
  codexArgs(ctx: TestContext): string[];
}

/** Registers the file's hooks (server, probe, cleanup) and gives access to them. */
export function useCompatFile(): CompatFile {
  const clis = inject('compatClis');
  let server: ModelServer | undefined;
  let nested: NestedProbe | undefined;
  const sessions: CompatSession[] = [];
  beforeAll(async () => {
    if (!existsSync(join(ORCHESTRATE_BIN, '..', '..', 'dist', 'cli', 'bin.js'))) {
      throw new Error('dist/ is missing: run `npm run build` first (npm run test:compat does)');
    }
    server = await startModelServer();
    nested = await probeNestedUserns(server, clis);
  });
  afterAll(async () => {
    await server?.close();
  });
  afterEach(async () => {
    await Promise.all(sessions.splice(0).map((s) => s.cleanup(false)));
  });
  const file: CompatFile = {
    get server() {
      if (!server) throw new Error('model server not started');
      return server;
    },
    clis,
    get nested() {
      if (!nested) throw new Error('nested-userns probe not run');
      return nested;
    },
    newSession(opts) {
      const session = new CompatSession({ ...opts, server: file.server, clis });
      sessions.push(session);
      onTestFinished((ctx) => {
        if (ctx.task.result?.state === 'pass') void session.cleanup(true);
      });
      return session;
    },
    codexArgs(ctx) {
      if (file.nested.ok) return [];
      void ctx.annotate(`P1 workaround: codex runs with ${CODEX_BYPASS} (${file.nested.detail})`);
      return [CODEX_BYPASS];
    },
  };
  return file;
}

/** A file as the agents left it: in the session copy (the checkout gets it only by `orchestrate apply`). */
export function readTarget(session: CompatSession, file: string): string {
  const copy = session.json('session.json').copy as { workDir?: string; gitDir?: string; branch?: string } | undefined;
  // the session's result is its branch (parallel assignments' copies are merged there), else the copy
  if (copy?.gitDir && copy.branch) {
    const r = spawnSync('git', ['--git-dir', copy.gitDir, 'show', `${copy.branch}:${file}`], { encoding: 'utf8' });
    if (r.status === 0) return r.stdout;
  }
  const p = join(copy?.workDir ?? session.target, file);
  return existsSync(p) ? readFileSync(p, 'utf8') : `<${file} missing>`;
}

export interface CommandRecord {
  file: string;
  argv: string[];
  agentArgv: string[];
  envNames: string[];
}

export function commandOf(session: CompatSession, cli: CliId, run: string): CommandRecord {
  return JSON.parse(session.runFile(cli, run, 'command.json')) as CommandRecord;
}

export async function expectNothingLeft(file: CompatFile, session: CompatSession): Promise<void> {
  expect(await session.leftovers(), 'processes left after orchestrate exited').toEqual([]);
  expect(file.server.egress(), 'egress attempts').toEqual([]);
}

/** The verdict every scripted reviewer gives (docs/reviews.md). */
export const VERDICT = { verdict: 'approve', summary: 'compat: the change is fine', issues: [] as unknown[] };

/** orchestrate's review prompt (buildReviewPrompt) says `Your role: review`; work prompts do not. */
export function isReviewRequest(body: unknown): boolean {
  return JSON.stringify(body).includes('Your role: review');
}

/**
 * The scenario for an agent's work, answering orchestrate's review requests (the same agent
 * config, so the same scenario, serves its reviewer runs) with `VERDICT` through the CLI's
 * structured-output path: claude's StructuredOutput tool call, JSON text for codex and gemini.
 */
export function reviewAware(scenario: Scenario): Scenario {
  return {
    ...scenario,
    structured: VERDICT,
    turns: scenario.turns.map((turn): Turn => (ctx) => {
      if (!isReviewRequest(ctx.body)) return turn;
      return ctx.toolResults === 0 ? { structured: VERDICT } : { text: JSON.stringify(VERDICT) };
    }),
  };
}
