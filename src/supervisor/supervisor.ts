import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { AgentId } from '../agents/agent-id.js';
import { getAdapter } from '../agents/registry.js';
import { EXIT, OrchestrateError, type ExitCode } from '../errors.js';
import { decompose } from '../plan/decompose.js';
import { loadPlanFile } from '../plan/plan-file.js';
import type { Plan } from '../plan/types.js';
import { probeExecutable } from '../process/probe-executable.js';
import { resolveExecutable } from '../process/resolve-executable.js';
import { writeJsonAtomic } from '../session/atomic-write.js';
import { Journal } from '../session/journal.js';
import { sessionPaths, sessionsDir, type SessionPaths } from '../session/paths.js';
import { newSessionId } from '../session/session-id.js';
import type { SessionState } from '../session/session-state.js';
import type { Summary } from '../session/summary.js';
import { isFactEntry } from '../session/session-facts.js';
import { onForcedExit } from '../session/forced-exit.js';
import type { JournalEntry } from '../session/journal-entry.js';
import { NO_CHANGES, type AssignmentState } from './assignment-state.js';
import { agentEnvFor } from './launch-context.js';
import { requireSandboxWorks } from './sandbox-self-test.js';
import { ReviewCoordinator } from './review-coordinator.js';
import { watchControl } from './control-actions.js';
import { reportOutsideChanges, watchOutside } from './outside-changes.js';
import { startConfirmBroker } from '../safety/confirm/broker.js';
import { processStartTime } from '../process/process-tree.js';
import { runAssignment } from './run-assignment.js';
import { startSessionHooks } from './session-hooks.js';
import { startSessionSpawnService } from './session-spawn-service.js';
import { warmEventPath } from './warm-event-path.js';
import { schedule } from './scheduler.js';
import { resumeStates } from './resume-plan.js';
import { integrateCopy } from './integrate-copy.js';
import { SessionStop } from './session-stop.js';
import type { SessionOptions } from './session-options.js';
import type { SessionRuntime } from './session-runtime.js';
import { setUpCopy } from './session-copy.js';
import { endSession, type SessionEnding } from './session-ending.js';
import { keepStdinTask } from './stdin-task.js';
import { WorkCopies } from './work-copies.js';
import { linkBudget } from './budget-link.js';
import type { SessionBudget } from '../budget/session-budget.js';

export type { SessionOptions } from './session-options.js';

/** What the CLI gets back. */
export interface SessionResult {
  sessionId: string;
  dir: string;
  exitCode: ExitCode;
  summary: Summary;
}

/**
 * Runs one session end to end: probe, plan, launch by dependency order, journal everything,
 * summarise. The only module that knows every part.
 */
export async function runSession(opts: SessionOptions): Promise<SessionResult> {
  const { clock } = opts;
  const resume = opts.resume;
  const startedAt = clock.now();
  const id = resume ? resume.state.id : newSessionId(startedAt);
  const paths = sessionPaths(resume ? resume.dir : path.join(sessionsDir(opts.workspace), id));
  mkdirSync(paths.agentsDir, { recursive: true });
  // a task read from stdin is kept in the session, so a re-run command can read it again
  opts = keepStdinTask(opts, paths.root);
  const journal = new Journal(paths.events, clock, resume?.lastSeq ?? 0);
  const fresh: SessionState = {
    version: 1,
    id,
    task: opts.task,
    target: opts.target,
    workspace: opts.workspace,
    state: 'running',
    startedAt: new Date(startedAt).toISOString(),
    supervisorPid: process.pid,
    ...startTimeOf(process.pid),
    agents: [],
    processes: [],
    assignments: {},
    sandbox: { active: opts.sandbox.active, reason: opts.sandbox.reason },
    options: {
      agents: opts.agents,
      planFile: opts.planFile ?? null,
      configFile: opts.configFile ?? null,
      timeoutMs: opts.timeoutMs,
      ...(opts.ceilings ? { ceilings: opts.ceilings } : {}),
      trustTarget: opts.trustTarget,
    },
  };
  const state: SessionState = resume ? resumedState(resume.state, startedAt) : fresh;
  // a resume may raise the ceilings; `resume` without them keeps these
  if (resume && opts.ceilings) state.options = { ...state.options, ceilings: opts.ceilings };
  const saveState = (options: { durable?: boolean } = {}): void => writeJsonAtomic(paths.session, state, options);
  saveState();
  opts.onJournal?.(journal, paths);
  // subscribed before the first entry: the review triggers are computed from the whole journal
  const reviews = new ReviewCoordinator(journal, opts.review);
  // The summary's safety, recovery and review sections come from the journal alone.
  const factEntries: JournalEntry[] = [];
  journal.subscribe((entry) => {
    if (isFactEntry(entry.type)) factEntries.push(entry);
  });
  const reviewHistory = resume ? reviews.replayHistory(resume.entries) : [];
  if (resume) {
    journal.append({
      type: 'session.resumed',
      sessionId: id,
      pid: process.pid,
      previousState: resume.state.state,
      afterSeq: resume.lastSeq,
      dir: paths.root,
      sandbox: { active: opts.sandbox.active, reason: opts.sandbox.reason },
      ...(opts.ceilings ? { ceilings: opts.ceilings } : {}),
    });
    for (const open of reviewHistory)
      journal.append({
        type: 'review.abandoned',
        review: open.review,
        assignment: open.assignment,
        reason: 'the session was interrupted before this review decided',
      });
  } else
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
      review: opts.review,
      ...(opts.ceilings ? { ceilings: opts.ceilings } : {}),
      ...(opts.configSha256 ? { config: { file: opts.configFile ?? null, sha256: opts.configSha256 } } : {}),
    });
  if (!opts.sandbox.active) journal.append({ type: 'safety.sandbox_off', reason: opts.sandbox.reason });
  else journal.append({ type: 'safety.sandbox', reason: opts.sandbox.reason });

  const notes: string[] = [];
  const executables = new Map<AgentId, string>();
  const states = new Map<string, AssignmentState>();
  const usage: Summary['agents'] = {};
  let plan: Plan | undefined;
  let exitCode: ExitCode;
  let failure: string | undefined;
  let copies: WorkCopies | undefined;
  let budget: SessionBudget | undefined;
  const stop = new SessionStop(opts.signal);
  const ending = (): SessionEnding => ({
    id,
    opts,
    paths,
    journal,
    state,
    saveState,
    plan,
    states,
    copies,
    startedAt,
    notes,
    failure,
    usage,
    factEntries,
    budget,
    stoppedAs: stop.status,
  });
  // a stop that is forced (src/supervisor/stop-guard.ts) still writes a true outcome before orchestrate exits
  const offForced = onForcedExit((code, why) => void endSession(ending(), code, why));

  try {
    // before any agent: the copy they will work in (the checkout itself is never theirs)
    state.copy = setUpCopy(opts, id, state, journal);
    saveState();
    const available = await probeAgents(opts, journal, executables);
    state.agents = available;
    saveState();
    if (opts.sandbox.active && available.length > 0) await requireSandboxWorks(opts, available, executables, paths.root, journal);
    if (available.length === 0) {
      exitCode = EXIT.NO_AGENT;
      failure = 'no agent CLI is available (none resolved and answered --version)';
      notes.push(`${failure}. Install claude, gemini or codex, or put fixtures/agents first on PATH to use the simulated agents.`);
    } else {
      plan = resume ? resume.plan : createPlan(opts, available, paths, journal);
      state.tier = plan.tier.name;
      const initial = resume ? resumeStates(plan, resume.entries, opts.review.enabled) : undefined;
      for (const a of plan.assignments) {
        const s = initial?.get(a.id) ?? {
          assignment: a,
          agent: a.agent,
          status: 'pending',
          reason: 'not started',
          changes: NO_CHANGES,
          runs: [],
          durationMs: 0,
        };
        states.set(a.id, s);
        state.assignments[a.id] = { agent: s.agent, status: s.status };
        if (s.resume)
          journal.append({
            type: 'assignment.resuming',
            agent: s.agent,
            assignment: a.id,
            ...(s.resume.sessionId ? { resumeSessionId: s.resume.sessionId } : {}),
            awaitReview: s.resume.awaitReview === true,
          });
      }
      saveState();
      copies = new WorkCopies(state.copy, plan);
      const rt: SessionRuntime = {
        opts,
        paths,
        journal,
        state,
        saveState,
        plan,
        available,
        executables,
        copies,
        live: new Map(),
        usage,
        stop,
      };
      rt.budget = linkBudget(rt, states);
      budget = rt.budget;
      if (opts.confirm) rt.confirm = await startConfirmBroker({ decide: opts.confirm.decide, journal, timeoutMs: 120_000 });
      // the parsers, the filter and the guards compiled before the first line arrives
      warmEventPath();
      // CLI sessions only, like the hooks (in-process test sessions skip the compile); built beside the hook client
      const spawnService = opts.orchestrateBin ? startSessionSpawnService(rt) : undefined;
      if (opts.orchestrateBin) rt.hooks = await startSessionHooks(rt);
      const closeSpawnService = await spawnService;
      reviews.start(rt, states);
      const control = await watchControl(rt);
      const outside = watchOutside(opts);
      try {
        await schedule(rt, states, async (r, s) => {
          copies?.started(s.assignment.id);
          try {
            await runAssignment(r, s, reviews);
          } finally {
            await integrateCopy(r, s);
          }
          reportOutsideChanges(r, s.agent, s.assignment.id, outside);
        });
        await reviews.idle();
      } finally {
        reviews.close();
        await control.close();
        await rt.hooks?.close();
        await closeSpawnService?.();
        await rt.confirm?.close();
      }
      exitCode =
        stop.code ??
        exitCodeFor(
          [...states.values()].map((s) => s.status),
          false,
        );
      if (!opts.review.enabled) notes.push('Peer reviews were off (--no-review or review.enabled false).');
      if (stop.code !== undefined && stop.reason) notes.push(`The session was stopped: ${stop.reason}.`);
    }
  } catch (error) {
    exitCode = error instanceof OrchestrateError ? error.exitCode : EXIT.INTERNAL;
    failure = (error as Error).message;
    journal.append({
      type: 'session.error',
      message: failure,
      exitCode,
      ...(error instanceof OrchestrateError && error.hint ? { hint: error.hint } : {}),
    });
  }

  offForced();
  const summary = endSession(ending(), exitCode);
  return { sessionId: id, dir: paths.root, exitCode: summary.exitCode, summary };
}

/** The plan from the plan file or the default decomposition, written to `plan.json` and journaled. */
function createPlan(opts: SessionOptions, available: AgentId[], paths: SessionPaths, journal: Journal): Plan {
  const plan = opts.planFile
    ? loadPlanFile(opts.planFile, opts.task, available, opts.timeoutMs)
    : decompose({
        task: opts.task,
        available,
        timeoutMs: opts.timeoutMs,
        weights: opts.config.weights,
        rolePreferences: opts.config.roles,
      });
  writeFileSync(paths.plan, `${JSON.stringify(plan, null, 2)}\n`);
  journal.append({
    type: 'plan.created',
    tier: plan.tier.name,
    tierReason: plan.tier.reason,
    weights: plan.weights,
    source: plan.source,
    assignments: plan.assignments.map((a) => ({
      id: a.id,
      agent: a.agent,
      role: a.role,
      weight: a.weight,
      dependsOn: a.dependsOn,
      reason: a.reason,
    })),
  });
  return plan;
}

/** Probes the agents the session may use, concurrently; returns the available ones in preference order. */
async function probeAgents(opts: SessionOptions, journal: Journal, executables: Map<AgentId, string>): Promise<AgentId[]> {
  const results = await Promise.all(
    opts.agents.map(async (agent) => {
      const cfg = opts.config.agents[agent];
      if (cfg && !cfg.enabled) return { agent, available: false, reason: 'disabled in config' } as const;
      const adapter = getAdapter(agent);
      const executable = cfg?.executable ?? adapter.defaultExecutable;
      const env = agentEnvFor(agent, opts.env, opts.config);
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

/** session.json of a session being resumed: running again, under this supervisor. */
function resumedState(previous: SessionState, now: number): SessionState {
  const { endedAt: _e, outcome: _o, exitCode: _x, ...rest } = previous;
  return {
    ...rest,
    state: 'running',
    supervisorPid: process.pid,
    ...startTimeOf(process.pid),
    resumedAt: [...(previous.resumedAt ?? []), new Date(now).toISOString()],
    processes: previous.processes.map((p) => ({ ...p, alive: false })),
  };
}

function startTimeOf(pid: number): { supervisorStartTime?: number } {
  const t = processStartTime(pid);
  return t === undefined ? {} : { supervisorStartTime: t };
}

/** The session's exit code from its assignments' statuses (strictest wins). */
export function exitCodeFor(statuses: string[], interrupted: boolean): ExitCode {
  if (interrupted || statuses.includes('interrupted')) return EXIT.INTERRUPTED;
  if (statuses.includes('stopped_by_safety')) return EXIT.SAFETY;
  if (statuses.includes('escalated')) return EXIT.ESCALATION;
  if (statuses.includes('ceiling_reached')) return EXIT.CEILING;
  // anything else short of success (failed, timed out, stalled, skipped, never run) is a failure
  if (statuses.some((s) => s !== 'succeeded')) return EXIT.AGENT_FAILED;
  return EXIT.OK;
}
