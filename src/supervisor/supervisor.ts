import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { AgentId } from '../agents/agent-id.js';
import { getAdapter } from '../agents/registry.js';
import type { LaunchSpec } from '../agents/adapter.js';
import type { Clock } from '../clock.js';
import type { OrchestrateConfig } from '../config/schema.js';
import { EXIT, EXIT_NAMES, OrchestrateError, type ExitCode } from '../errors.js';
import { decompose } from '../plan/decompose.js';
import { loadPlanFile } from '../plan/plan-file.js';
import { buildPrompt } from '../plan/prompts.js';
import type { Assignment, Plan } from '../plan/types.js';
import { probeExecutable } from '../process/probe-executable.js';
import { resolveExecutable } from '../process/resolve-executable.js';
import { writeJsonAtomic } from '../session/atomic-write.js';
import { diffSnapshots, type FileChanges } from '../session/file-snapshot.js';
import { Journal } from '../session/journal.js';
import { runPaths, sessionPaths, sessionsDir, type SessionPaths } from '../session/paths.js';
import { newSessionId } from '../session/session-id.js';
import type { SessionState } from '../session/session-state.js';
import { writeSummary, type AssignmentSummary, type Summary } from '../session/summary.js';
import { runAgent, type AgentRunResult } from './agent-run.js';
import type { EventPolicy } from './event-policy.js';
import { buildAgentEnv, isGitWorkTree, runningAsRoot } from './launch-context.js';
import type { SandboxPlan } from './sandbox-plan.js';
import { TargetTree } from './target-tree.js';

/** The options plus what the probe found, as the scheduler needs them. */
type RunOptions = SessionOptions & { executables: Map<AgentId, string>; tree: TargetTree };

/** Everything a session needs, resolved by the CLI. */
export interface SessionOptions {
  task: string;
  target: string;
  workspace: string;
  /** Agents to consider, in preference order. */
  agents: AgentId[];
  planFile?: string;
  config: OrchestrateConfig;
  configFile?: string;
  timeoutMs: number;
  probeTimeoutMs: number;
  killGraceMs: number;
  stallMs: number;
  trustTarget: boolean;
  sandbox: SandboxPlan;
  env: NodeJS.ProcessEnv;
  clock: Clock;
  signal: AbortSignal;
  policies?: EventPolicy[];
  /** Told about the journal as soon as it exists (the dashboard subscribes here). */
  onJournal?: (journal: Journal, paths: SessionPaths) => void;
  version: string;
}

/** What the CLI gets back. */
export interface SessionResult {
  sessionId: string;
  dir: string;
  exitCode: ExitCode;
  summary: Summary;
}

type AssignmentState = { assignment: Assignment; status: string; reason: string; result?: AgentRunResult; runDir?: string; changes: FileChanges };

const NO_CHANGES: FileChanges = { added: [], modified: [], deleted: [] };

/**
 * Runs one session end to end: probe, plan, launch by dependency order, journal everything,
 * summarise. The only module that knows every part.
 */
export async function runSession(opts: SessionOptions): Promise<SessionResult> {
  const { clock } = opts;
  const startedAt = clock.now();
  const id = newSessionId(startedAt);
  const paths = sessionPaths(path.join(sessionsDir(opts.workspace), id));
  mkdirSync(paths.agentsDir, { recursive: true });
  const journal = new Journal(paths.events, clock);
  const state: SessionState = {
    version: 1,
    id,
    task: opts.task,
    target: opts.target,
    workspace: opts.workspace,
    state: 'running',
    startedAt: new Date(startedAt).toISOString(),
    supervisorPid: process.pid,
    agents: [],
    processes: [],
    assignments: {},
    sandbox: { active: opts.sandbox.active, reason: opts.sandbox.reason },
    options: {
      agents: opts.agents,
      planFile: opts.planFile ?? null,
      configFile: opts.configFile ?? null,
      timeoutMs: opts.timeoutMs,
      trustTarget: opts.trustTarget,
    },
  };
  const saveState = (): void => writeJsonAtomic(paths.session, state);
  saveState();
  opts.onJournal?.(journal, paths);
  journal.append({
    type: 'session.started',
    sessionId: id,
    task: opts.task,
    target: opts.target,
    workspace: opts.workspace,
    dir: paths.root,
    version: opts.version,
    pid: process.pid,
    sandbox: { active: opts.sandbox.active, reason: opts.sandbox.reason },
  });
  if (!opts.sandbox.active) journal.append({ type: 'safety.sandbox_off', reason: opts.sandbox.reason });

  const notes: string[] = [];
  /** Each available agent's executable, resolved to its real path by the probe. */
  const executables = new Map<AgentId, string>();
  const states = new Map<string, AssignmentState>();
  let plan: Plan | undefined;
  let exitCode: ExitCode = EXIT.OK;
  let failure: string | undefined;
  const tree = TargetTree.of(opts.target, [opts.workspace]);

  try {
    const available = await probeAgents(opts, journal, executables);
    state.agents = available;
    saveState();
    if (available.length === 0) {
      exitCode = EXIT.NO_AGENT;
      failure = 'no agent CLI is available (none resolved and answered --version)';
      notes.push(`${failure}. Install claude, gemini or codex, or put fixtures/agents first on PATH to use the simulated agents.`);
    } else {
      plan = opts.planFile
        ? loadPlanFile(opts.planFile, opts.task, available, opts.timeoutMs)
        : decompose({
            task: opts.task,
            available,
            timeoutMs: opts.timeoutMs,
            weights: opts.config.weights,
            rolePreferences: opts.config.roles,
          });
      writeFileSync(paths.plan, `${JSON.stringify(plan, null, 2)}\n`);
      state.tier = plan.tier.name;
      journal.append({
        type: 'plan.created',
        tier: plan.tier.name,
        tierReason: plan.tier.reason,
        weights: plan.weights,
        source: plan.source,
        assignments: plan.assignments.map((a) => ({ id: a.id, agent: a.agent, role: a.role, weight: a.weight, dependsOn: a.dependsOn, reason: a.reason })),
      });
      for (const a of plan.assignments) {
        states.set(a.id, { assignment: a, status: 'pending', reason: 'not started', changes: NO_CHANGES });
        state.assignments[a.id] = { agent: a.agent, status: 'pending' };
      }
      saveState();
      await schedule(plan, states, { ...opts, executables, tree }, paths, journal, state, saveState);
      exitCode = exitCodeFor([...states.values()].map((s) => s.status), opts.signal.aborted);
    }
  } catch (error) {
    exitCode = error instanceof OrchestrateError ? error.exitCode : EXIT.INTERNAL;
    failure = (error as Error).message;
    journal.append({ type: 'session.error', message: failure, exitCode, ...(error instanceof OrchestrateError && error.hint ? { hint: error.hint } : {}) });
  }

  const endedAt = clock.now();
  const summary = buildSummary(id, opts, plan, states, exitCode, startedAt, endedAt, diffSnapshots(tree.initial, tree.current()), notes, failure);
  writeSummary(paths.summaryJson, paths.summaryMd, summary);
  state.state = exitCode === EXIT.OK ? 'completed' : exitCode === EXIT.INTERRUPTED ? 'interrupted' : 'failed';
  state.endedAt = new Date(endedAt).toISOString();
  state.outcome = summary.outcome;
  state.exitCode = exitCode;
  saveState();
  journal.append({ type: 'session.completed', sessionId: id, exitCode, outcome: summary.outcome, dir: paths.root, ...(failure ? { error: { code: exitCode, message: failure } } : {}) });
  journal.close();
  return { sessionId: id, dir: paths.root, exitCode, summary };
}

/** Probes the agents the session may use, concurrently; returns the available ones in preference order. */
async function probeAgents(opts: SessionOptions, journal: Journal, executables: Map<AgentId, string>): Promise<AgentId[]> {
  const results = await Promise.all(
    opts.agents.map(async (agent) => {
      const cfg = opts.config.agents[agent];
      if (cfg && !cfg.enabled) return { agent, available: false, reason: 'disabled in config' } as const;
      const adapter = getAdapter(agent);
      const executable = cfg?.executable ?? adapter.defaultExecutable;
      const env = buildAgentEnv(opts.env, cfg?.env ?? {});
      const resolved = resolveExecutable(executable, env['PATH'], opts.target);
      if (!resolved) return { agent, executable, available: false, reason: `${executable}: not found on PATH` } as const;
      const probe = await probeExecutable(resolved, adapter.versionArgs, { timeoutMs: opts.probeTimeoutMs, env, cwd: opts.target });
      return { agent, executable, resolved, ...probe };
    }),
  );
  for (const r of results) {
    journal.append({ type: 'agent.probe', ...r });
    if (r.available && 'resolved' in r) executables.set(r.agent, r.resolved);
  }
  return results.filter((r) => r.available).map((r) => r.agent);
}

/** Runs assignments as their dependencies finish; independent ones run at the same time. */
async function schedule(
  plan: Plan,
  states: Map<string, AssignmentState>,
  opts: RunOptions,
  paths: SessionPaths,
  journal: Journal,
  session: SessionState,
  saveState: () => void,
): Promise<void> {
  const running = new Map<string, Promise<void>>();
  const setStatus = (s: AssignmentState, status: string, reason: string): void => {
    s.status = status;
    s.reason = reason;
    const record: SessionState['assignments'][string] = { agent: s.assignment.agent, status };
    if (s.result?.cliSessionId) record.cliSessionId = s.result.cliSessionId;
    session.assignments[s.assignment.id] = record;
    saveState();
  };
  for (;;) {
    for (const s of states.values()) {
      if (s.status !== 'pending') continue;
      const deps = s.assignment.dependsOn.map((d) => states.get(d));
      const blocked = deps.find((d) => d && d.status !== 'pending' && d.status !== 'running' && d.status !== 'succeeded');
      if (blocked || opts.signal.aborted) {
        const reason = opts.signal.aborted ? 'the session was interrupted before it started' : `skipped: ${blocked?.assignment.id} ${blocked?.status}`;
        setStatus(s, opts.signal.aborted ? 'interrupted' : 'skipped', reason);
        journal.append({ type: 'assignment.skipped', agent: s.assignment.agent, assignment: s.assignment.id, reason });
        continue;
      }
      if (deps.every((d) => d?.status === 'succeeded')) {
        setStatus(s, 'running', 'running');
        running.set(s.assignment.id, launch(plan, s, opts, paths, journal, session, saveState).then((result) => {
          s.result = result;
          const known = result.diagnoses[0];
          setStatus(s, result.status, known ? `${result.reason} [${known.entry.id}: ${known.entry.cause}; fix: ${known.entry.fix}]` : result.reason);
          running.delete(s.assignment.id);
        }));
      }
    }
    if (running.size === 0) break;
    await Promise.race(running.values());
  }
}

/** Launches one assignment's agent and waits for it. */
async function launch(
  plan: Plan,
  s: AssignmentState,
  opts: RunOptions,
  paths: SessionPaths,
  journal: Journal,
  session: SessionState,
  saveState: () => void,
): Promise<AgentRunResult> {
  const a = s.assignment;
  const adapter = getAdapter(a.agent);
  const cfg = opts.config.agents[a.agent];
  const prompt = buildPrompt(plan, a);
  const run = a.id;
  const rp = runPaths(paths, a.agent, run);
  s.runDir = path.relative(paths.root, rp.dir);
  const spec: LaunchSpec = {
    executable: opts.executables.get(a.agent) ?? cfg?.executable ?? adapter.defaultExecutable,
    prompt,
    cwd: opts.target,
    addDirs: [],
    extraArgs: cfg?.args ?? [],
    mode: 'work',
    context: {
      isRoot: runningAsRoot(),
      sandboxed: opts.sandbox.active,
      targetIsGitRepo: isGitWorkTree(opts.target),
      trustTarget: opts.trustTarget,
    },
  };
  if (cfg?.model) spec.model = cfg.model;
  const command = adapter.buildCommand(spec);
  const env = buildAgentEnv(opts.env, cfg?.env ?? {}, command.env);
  const wrapped = opts.sandbox.wrap(command, { agent: a.agent, env, sessionDir: paths.root });
  const beforeRun = opts.tree.beforeRun();
  let started = false;
  journal.append({ type: 'assignment.started', agent: a.agent, assignment: a.id, role: a.role, weight: a.weight, budgetMs: a.budgetMs, run });
  const result = await runAgent({
    agent: a.agent,
    assignmentId: a.id,
    run,
    adapter,
    command: wrapped,
    agentArgv: [command.file, ...command.args],
    env: { ...env, ...wrapped.env },
    cwd: opts.target,
    prompt,
    paths: rp,
    journal,
    clock: opts.clock,
    policies: opts.policies ?? [],
    timeoutMs: Math.max(a.budgetMs, 1000),
    stallMs: opts.stallMs,
    killGraceMs: opts.killGraceMs,
    signal: opts.signal,
    onStart: (pid) => {
      started = true;
      opts.tree.runStarted();
      session.processes.push({ agent: a.agent, assignment: a.id, run, pid, pgid: pid, alive: true });
      saveState();
    },
  });
  for (const p of session.processes) if (p.run === run) p.alive = false;
  s.changes = diffSnapshots(beforeRun, opts.tree.afterRun(started));
  journal.append({
    type: 'assignment.finished',
    agent: a.agent,
    assignment: a.id,
    status: result.status,
    reason: result.reason,
    filesChanged: s.changes,
    ...(result.cliSessionId ? { cliSessionId: result.cliSessionId } : {}),
  });
  return result;
}

/** The session's exit code from its assignments' statuses (strictest wins). */
export function exitCodeFor(statuses: string[], interrupted: boolean): ExitCode {
  if (interrupted || statuses.includes('interrupted')) return EXIT.INTERRUPTED;
  if (statuses.includes('stopped_by_safety')) return EXIT.SAFETY;
  if (statuses.some((s) => s === 'failed' || s === 'timed_out' || s === 'stalled' || s === 'skipped')) return EXIT.AGENT_FAILED;
  return EXIT.OK;
}

function buildSummary(
  id: string,
  opts: SessionOptions,
  plan: Plan | undefined,
  states: Map<string, AssignmentState>,
  exitCode: ExitCode,
  startedAt: number,
  endedAt: number,
  filesChanged: FileChanges,
  notes: string[],
  failure: string | undefined,
): Summary {
  const assignments: AssignmentSummary[] = [...states.values()].map((s) => {
    const out: AssignmentSummary = {
      id: s.assignment.id,
      agent: s.assignment.agent,
      role: s.assignment.role,
      status: s.status,
      reason: s.reason,
      durationMs: s.result?.durationMs ?? 0,
      exitCode: s.result?.exit?.code ?? null,
      signal: s.result?.exit?.signal ?? null,
      filesChanged: s.changes,
    };
    if (s.result?.cliSessionId) out.cliSessionId = s.result.cliSessionId;
    if (s.runDir) out.runDir = s.runDir;
    if (s.result?.finalText) out.finalText = s.result.finalText.slice(0, 2000);
    return out;
  });
  const agents: Summary['agents'] = {};
  for (const s of states.values()) {
    if (!s.result) continue;
    const a = (agents[s.assignment.agent] ??= { inputTokens: 0, outputTokens: 0, costUsd: 0, durationMs: 0, runs: 0 });
    a.inputTokens += s.result.usage.inputTokens;
    a.outputTokens += s.result.usage.outputTokens;
    a.costUsd = Math.round((a.costUsd + s.result.usage.costUsd) * 1e6) / 1e6;
    a.durationMs += s.result.durationMs;
    a.runs += 1;
  }
  if (failure) notes.unshift(failure);
  if (!opts.sandbox.active) notes.push(`The agents ran WITHOUT the bubblewrap sandbox: ${opts.sandbox.reason}.`);
  return {
    version: 1,
    sessionId: id,
    task: opts.task,
    target: opts.target,
    tier: plan?.tier.name ?? 'none',
    outcome: EXIT_NAMES[exitCode],
    exitCode,
    startedAt: new Date(startedAt).toISOString(),
    endedAt: new Date(endedAt).toISOString(),
    durationMs: endedAt - startedAt,
    sandbox: { active: opts.sandbox.active, reason: opts.sandbox.reason },
    assignments,
    agents,
    filesChanged,
    notes,
  };
}
