import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { spawnOrchestrate, type OrchestrateChild } from '../../process/spawn-orchestrate.js';
import { sessionIds } from '../../session/list-sessions.js';
import { readSessionRecord } from '../../session/session-record.js';
import { sessionsDir } from '../../session/paths.js';

/** `POST /api/sessions`: a task and the CLI's options, by their long names. Unknown keys are errors. */
export const startRequestSchema = z.strictObject({
  // any size the CLI takes: the task goes by file, never as an argument (one is capped at 128 KiB)
  task: z.string().trim().min(1, 'give the task').max(1_000_000),
  agents: z
    .string()
    .regex(/^[a-z,]+$/, 'a comma-separated list such as claude,gemini')
    .optional(),
  timeout: z
    .string()
    .regex(/^[0-9a-z]+$/, 'a duration such as 30m')
    .optional(),
  plan: z.string().min(1).optional(),
  review: z.boolean().optional(),
  strict: z.boolean().optional(),
  sandbox: z.boolean().optional(),
  trust: z.boolean().optional(),
  onConfirm: z.enum(['deny', 'allow']).optional(),
});
export type StartRequest = z.infer<typeof startRequestSchema>;

/**
 * The argv (after `orchestrate`) for a request; headless, because nobody is at its terminal. The
 * task is read from `taskFile` (`--task-file`), so a large task or one that looks like an option
 * (`--force …`) is passed as written.
 */
export function startArgs(req: StartRequest, base: string[], taskFile: string): string[] {
  return [
    '--headless',
    ...base,
    ...(req.agents ? ['--agents', req.agents] : []),
    ...(req.timeout ? ['--timeout', req.timeout] : []),
    ...(req.plan ? ['--plan', req.plan] : []),
    ...(req.review === false ? ['--no-review'] : []),
    ...(req.strict ? ['--strict'] : []),
    ...(req.sandbox === false ? ['--no-sandbox'] : []),
    ...(req.trust === false ? ['--no-trust'] : []),
    ...(req.onConfirm ? ['--on-confirm', req.onConfirm] : []),
    '--task-file',
    taskFile,
  ];
}

export interface SessionStarterOptions {
  /** The command that runs orchestrate (`[node, bin/orchestrate.js]`). */
  bin: string[];
  /** Options every started session gets (`--target`, `--workspace`, `--config`). */
  baseArgs: string[];
  workspace: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** How long to wait for the new session's directory (default 20 s). */
  waitMs?: number;
}

/** Starts sessions as orchestrate children and remembers them, so the dashboard can stop them when it closes. */
export class SessionStarter {
  private readonly children = new Set<OrchestrateChild>();

  constructor(private readonly opts: SessionStarterOptions) {}

  /**
   * Starts one session and resolves with its id once its directory names this child as its
   * supervisor; rejects with the child's own words if it exits first (a usage error, no agent).
   */
  async start(req: StartRequest): Promise<{ id: string; pid: number }> {
    const logDir = path.join(this.opts.workspace, 'dashboard');
    mkdirSync(logDir, { recursive: true });
    const before = new Set(sessionIds(this.opts.workspace));
    const stamp = `${Date.now()}-${randomBytes(3).toString('hex')}`;
    const logFile = path.join(logDir, `started-${stamp}.log`);
    // kept beside the log: the session's blockers name a re-run command that reads it again
    const taskFile = path.join(logDir, `task-${stamp}.txt`);
    writeFileSync(taskFile, req.task, { mode: 0o600 });
    const child = spawnOrchestrate(this.opts.bin, startArgs(req, this.opts.baseArgs, taskFile), {
      cwd: this.opts.cwd,
      env: this.opts.env,
      logFile,
    });
    this.children.add(child);
    let exitCode: number | null | undefined;
    void child.exited.then((code) => {
      exitCode = code;
      this.children.delete(child);
    });
    const deadline = Date.now() + (this.opts.waitMs ?? 20_000);
    for (;;) {
      for (const id of sessionIds(this.opts.workspace)) {
        if (before.has(id)) continue;
        if (readSessionRecord(path.join(sessionsDir(this.opts.workspace), id)).supervisorPid === child.pid) return { id, pid: child.pid };
      }
      if (exitCode !== undefined)
        throw new StartError(`orchestrate exited ${exitCode} before starting a session; its output is in ${logFile}`, logFile);
      if (Date.now() > deadline)
        throw new StartError(`no session appeared within ${this.opts.waitMs ?? 20_000} ms; its output is in ${logFile}`, logFile);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Stops every session this dashboard started and waits (bounded) for them to end. */
  async close(waitMs = 15_000): Promise<void> {
    const running = [...this.children];
    for (const c of running) c.stop();
    await Promise.race([Promise.all(running.map((c) => c.exited)), new Promise((r) => setTimeout(r, waitMs).unref())]);
  }
}

/** A session could not be started; `log` holds what orchestrate said. */
export class StartError extends Error {
  constructor(
    message: string,
    readonly log: string,
  ) {
    super(message);
  }
}
