import path from 'node:path';
import type { AgentId } from '../agents/agent-id.js';
import type { LaunchMode, LaunchSpec } from '../agents/adapter.js';
import { getAdapter } from '../agents/registry.js';
import type { Assignment } from '../plan/types.js';
import { diffSnapshots, type FileChanges } from '../session/file-snapshot.js';
import { runPaths } from '../session/paths.js';
import { runAgent, type AgentRunResult } from './agent-run.js';
import { addUsage } from './build-summary.js';
import { buildAgentEnv, isGitWorkTree, runningAsRoot } from './launch-context.js';
import type { SessionRuntime } from './session-runtime.js';

/** One launch of one agent CLI for an assignment: a first attempt, a relaunch, a revision or a review. */
export interface RunRequest {
  assignment: Assignment;
  agent: AgentId;
  /** Folder name under `agents/<agent>/`, unique within the session. */
  run: string;
  prompt: string;
  mode: LaunchMode;
  timeoutMs: number;
  resumeSessionId?: string;
  addDirs?: readonly string[];
  outputSchema?: { json: string; file: string };
  /** Extra fields on every journal entry of this run (a review run carries `review: n`). */
  tags?: Record<string, unknown>;
}

/** What a finished run left: the outcome, the target files it changed, where its files are. */
export interface RunRecord {
  result: AgentRunResult;
  changes: FileChanges;
  /** `agents/<agent>/<run>` relative to the session directory. */
  runDir: string;
  /** The agent's argv before sandbox wrapping. */
  argv: string[];
}

/** Builds the CLI's command for `req`, wraps it in the sandbox, runs it to the end and records its process. */
export async function startRun(rt: SessionRuntime, req: RunRequest): Promise<RunRecord> {
  const { opts } = rt;
  const adapter = getAdapter(req.agent);
  const cfg = opts.config.agents[req.agent];
  const rp = runPaths(rt.paths, req.agent, req.run);
  const spec: LaunchSpec = {
    executable: rt.executables.get(req.agent) ?? cfg?.executable ?? adapter.defaultExecutable,
    prompt: req.prompt,
    cwd: opts.target,
    addDirs: req.addDirs ?? [],
    extraArgs: cfg?.args ?? [],
    mode: req.mode,
    context: {
      isRoot: runningAsRoot(),
      sandboxed: opts.sandbox.active,
      targetIsGitRepo: isGitWorkTree(opts.target),
      trustTarget: opts.trustTarget,
    },
  };
  if (cfg?.model) spec.model = cfg.model;
  if (req.resumeSessionId !== undefined) spec.resumeSessionId = req.resumeSessionId;
  if (req.outputSchema !== undefined) spec.outputSchema = req.outputSchema;
  const command = adapter.buildCommand(spec);
  const env = buildAgentEnv(opts.env, cfg?.env ?? {}, command.env);
  const wrapped = opts.sandbox.wrap(command, { agent: req.agent, env, sessionDir: rt.paths.root });
  const argv = [command.file, ...command.args];
  const beforeRun = rt.tree.beforeRun();
  let started = false;
  const result = await runAgent({
    agent: req.agent,
    assignmentId: req.assignment.id,
    run: req.run,
    adapter,
    command: wrapped,
    agentArgv: argv,
    env: { ...env, ...wrapped.env },
    cwd: opts.target,
    prompt: req.prompt,
    paths: rp,
    journal: rt.journal,
    clock: opts.clock,
    policies: opts.policies ?? [],
    timeoutMs: Math.max(req.timeoutMs, 1000),
    stallMs: opts.stallMs,
    killGraceMs: opts.killGraceMs,
    signal: rt.stop.signal,
    ...(req.tags ? { tags: req.tags } : {}),
    onStart: (pid) => {
      started = true;
      rt.tree.runStarted();
      rt.live.set(req.run, { agent: req.agent, assignment: req.assignment.id, run: req.run, pid, ...(typeof req.tags?.['review'] === 'number' ? { review: req.tags['review'] } : {}) });
      rt.state.processes.push({ agent: req.agent, assignment: req.assignment.id, run: req.run, pid, pgid: pid, alive: true });
      rt.saveState();
    },
  });
  rt.live.delete(req.run);
  if (started) addUsage(rt.usage, req.agent, result);
  for (const p of rt.state.processes) if (p.run === req.run) p.alive = false;
  const changes = diffSnapshots(beforeRun, rt.tree.afterRun(started));
  return { result, changes, runDir: path.relative(rt.paths.root, rp.dir), argv };
}
