import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { processStartTime } from '../process/process-tree.js';
import { describePreparations } from '../recovery/prepare.js';
import { writeEnforcement } from '../safety/layer1/write-enforcement.js';
import type { LaunchSpec } from '../agents/adapter.js';
import { getAdapter } from '../agents/registry.js';
import { diffSnapshots, type FileChanges } from '../session/file-snapshot.js';
import { runPaths } from '../session/paths.js';
import { runAgent, type AgentRunResult } from './agent-run.js';
import { addUsage } from './build-summary.js';
import { agentEnvFor, buildAgentEnv, filterContextFor, isGitWorkTree, runningAsRoot } from './launch-context.js';
import { registerHooks } from './register-hooks.js';
import { pricedAdapter } from '../budget/priced-parser.js';
import type { RunRequest } from './run-request.js';
import type { SessionRuntime } from './session-runtime.js';

export type { RunRequest } from './run-request.js';

/** What a finished run left: the outcome, the target files it changed, where its files are. */
export interface RunRecord {
  result: AgentRunResult;
  changes: FileChanges;
  /** `agents/<agent>/<run>` relative to the session directory. */
  runDir: string;
  /** The agent's argv before sandbox wrapping. */
  argv: string[];
}

/** Commits what a work run changed in its copy (author: the agent), journaled with what will not cross. */
async function commitRun(rt: SessionRuntime, req: RunRequest, result: AgentRunResult): Promise<FileChanges> {
  const a = req.assignment;
  const summary = (result.finalText ?? result.reason).trim().slice(0, 4000);
  const message = `${a.id} (${a.role}) by ${req.agent}, run ${req.run}: ${result.status}\n\n${a.title}\n\n${summary}\n`;
  const c = await rt.copies.commitRun(a.id, req.agent, message);
  const tag = { agent: req.agent, assignment: a.id, run: req.run };
  if (c.commit)
    rt.journal.append({
      type: 'copy.committed',
      ...tag,
      commit: c.commit,
      added: c.changes.added.length,
      modified: c.changes.modified.length,
      deleted: c.changes.deleted.length,
    });
  if (c.notCarried.length) rt.journal.append({ type: 'copy.not_carried', ...tag, files: c.notCarried });
  return c.changes;
}

/** Journals the foreseeable failures this launch avoids (and creates the folders it needs). */
function prepare(rt: SessionRuntime, req: RunRequest, spec: LaunchSpec): void {
  const preparations = describePreparations(req.agent, spec.context, {
    mode: spec.mode,
    addDirs: spec.addDirs,
    resuming: spec.resumeSessionId !== undefined,
    dirExists: (d) => existsSync(d),
  });
  for (const p of preparations) {
    for (const dir of p.ensureDirs ?? []) mkdirSync(dir, { recursive: true });
    rt.journal.append({
      type: 'recovery.prepared',
      agent: req.agent,
      assignment: req.assignment.id,
      run: req.run,
      id: p.id,
      choice: p.choice,
      reason: p.reason,
    });
  }
}

/** Builds the CLI's command for `req`, wraps it in the sandbox, runs it to the end and records its process. */
export async function startRun(rt: SessionRuntime, req: RunRequest): Promise<RunRecord> {
  const { opts } = rt;
  const adapter = getAdapter(req.agent);
  const cfg = opts.config.agents[req.agent];
  const rp = runPaths(rt.paths, req.agent, req.run);
  // the agent's copy of the target: its cwd and the only project folder it may write
  const copy = await rt.copies.prepare(req.assignment.id);
  const spec: LaunchSpec = {
    executable: rt.executables.get(req.agent) ?? cfg?.executable ?? adapter.defaultExecutable,
    prompt: req.prompt,
    cwd: copy.dir,
    addDirs: req.addDirs ?? [],
    extraArgs: (cfg?.args ?? []).filter((a) => !req.dropArgs?.includes(a)),
    mode: req.mode,
    context: {
      isRoot: runningAsRoot(),
      sandboxed: opts.sandbox.active,
      targetIsGitRepo: req.skipGitRepoCheck ? false : isGitWorkTree(copy.dir),
      trustTarget: req.trustTarget ?? opts.trustTarget,
    },
  };
  if (cfg?.model) spec.model = cfg.model;
  if (req.resumeSessionId !== undefined) spec.resumeSessionId = req.resumeSessionId;
  if (req.outputSchema !== undefined) spec.outputSchema = req.outputSchema;
  if (req.maxBudgetUsd !== undefined) spec.maxBudgetUsd = req.maxBudgetUsd;
  const baseEnv = agentEnvFor(req.agent, opts.env, opts.config);
  const filterContext = filterContextFor(copy.dir, opts.config.sandbox.allowWrite, baseEnv);
  const hook = registerHooks(rt, req, filterContext, baseEnv, copy.dir);
  const enforcement = opts.orchestrateBin
    ? writeEnforcement({
        sessionDir: rt.paths.root,
        agent: req.agent,
        assignment: req.run,
        filterContext,
        ...(hook ? { hook: hook.endpoint } : {}),
        policy: opts.config.commands,
        ...(rt.confirm ? { confirm: rt.confirm.endpoint } : {}),
        confirmFallback: opts.confirm?.fallback ?? 'deny',
        orchestrateBin: opts.orchestrateBin,
        sandboxed: opts.sandbox.active,
        agentEnv: baseEnv,
      })
    : undefined;
  if (enforcement) spec.policyFiles = enforcement.policyFiles;
  prepare(rt, req, spec);
  const command = adapter.buildCommand(spec);
  const env = buildAgentEnv(baseEnv, command.env, enforcement?.env ?? {});
  const wrapped = opts.sandbox.wrap(command, {
    agent: req.agent,
    env,
    sessionDir: rt.paths.root,
    workDir: copy.dir,
    extraReadOnlyBinds: enforcement?.extraReadOnlyBinds ?? [],
    extraWritable: req.extraWritable ?? [],
  });
  if (enforcement?.notes.length)
    rt.journal.append({ type: 'safety.layer1', agent: req.agent, assignment: req.assignment.id, run: req.run, notes: enforcement.notes });
  const argv = [command.file, ...command.args];
  // a work run's changes are read from its commit (commitRun), so its copy is walked for neither picture
  const beforeRun = req.mode === 'work' ? undefined : copy.tree.beforeRun();
  let started = false;
  let watched: number | undefined;
  const result = await runAgent({
    agent: req.agent,
    assignmentId: req.assignment.id,
    run: req.run,
    // usage gets its cost (the CLI's, the price table's or unknown) before anything reads it
    adapter: pricedAdapter(adapter, cfg?.model, opts.config.prices),
    command: wrapped,
    agentArgv: argv,
    ...(opts.sandbox.active ? { sandboxed: true } : {}),
    env: { ...env, ...wrapped.env },
    cwd: copy.dir,
    prompt: req.prompt,
    ...(command.promptOnStdin ? { promptOnStdin: true } : {}),
    paths: rp,
    journal: rt.journal,
    clock: opts.clock,
    policies: opts.policies ?? [],
    timeoutMs: Math.max(req.timeoutMs, 1000),
    stallMs: opts.stallMs,
    killGraceMs: opts.killGraceMs,
    signal: rt.stop.signal,
    ...(req.tags ? { tags: req.tags } : {}),
    ...(opts.limits ? { limits: opts.limits } : {}),
    ...(wrapped.limits ? { kernelLimits: wrapped.limits } : {}),
    isPaused: () => rt.live.get(req.run)?.paused === true,
    ...(hook ? { ledger: hook.ledger } : {}),
    onStart: (pid, handle) => {
      started = true;
      copy.tree.runStarted();
      rt.live.set(req.run, {
        agent: req.agent,
        assignment: req.assignment.id,
        run: req.run,
        pid,
        handle,
        ...(typeof req.tags?.['review'] === 'number' ? { review: req.tags['review'] } : {}),
      });
      const startTime = processStartTime(pid);
      rt.state.processes.push({
        agent: req.agent,
        assignment: req.assignment.id,
        run: req.run,
        pid,
        pgid: pid,
        alive: true,
        ...(startTime !== undefined ? { startTime } : {}),
      });
      // Without fsync (one per agent start blocked every stream): the pid matters only while this
      // machine runs (the sweep kills leftovers after orchestrate dies; the rename is visible then),
      // and resume decides from the journal and the statuses, saved durably by the scheduler.
      rt.saveState({ durable: false });
      opts.watchdog?.watch({ pid, pgid: pid, ...(startTime !== undefined ? { startTime } : {}) });
      watched = pid;
    },
  });
  rt.live.delete(req.run);
  hook?.unregister();
  const notes = wrapped.afterRun?.() ?? [];
  if (notes.length)
    rt.journal.append({ type: 'safety.sandbox_after_run', agent: req.agent, assignment: req.assignment.id, run: req.run, notes });
  if (watched !== undefined) opts.watchdog?.unwatch(watched);
  if (started) addUsage(rt.usage, req.agent, result);
  for (const p of rt.state.processes) if (p.run === req.run) p.alive = false;
  // a piece of work becomes a commit on the session branch (a work run that never started changed
  // nothing); a reviewer's run does not
  let changes: FileChanges;
  if (beforeRun) changes = diffSnapshots(beforeRun, copy.tree.afterRun(started));
  else if (!started) changes = { added: [], modified: [], deleted: [] };
  else {
    copy.tree.runEnded();
    changes = await commitRun(rt, req, result);
  }
  return { result, changes, runDir: path.relative(rt.paths.root, rp.dir), argv };
}
