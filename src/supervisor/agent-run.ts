import { mkdirSync, writeFileSync } from 'node:fs';
import type { AgentAdapter, CommandSpec } from '../agents/adapter.js';
import type { AgentId } from '../agents/agent-id.js';
import type { Clock } from '../clock.js';
import type { AgentEvent } from '../events/agent-event.js';
import { LineSplitter } from '../events/line-splitter.js';
import { AgentProcess, type ExitInfo } from '../process/spawn-agent.js';
import type { Journal } from '../session/journal.js';
import type { RunPaths } from '../session/paths.js';
import { writeJsonAtomic } from '../session/atomic-write.js';
import type { EventPolicy, PolicyAction, RunContext } from '../safety/event-policy.js';
import { decideOutcome, type RunObservation, type RunOutcome } from './run-outcome.js';
import { diagnose, type Diagnosis } from '../recovery/diagnose.js';
import { meaningfulStderrLine } from '../events/stderr-reason.js';
import { SUCCESS_SUSPECT } from '../recovery/plan-recovery.js';
import { ResourceMonitor } from '../safety/limits/resource-monitor.js';
import type { ResolvedLimits } from '../safety/limits/resolve-limits.js';
import type { PreExecutionLedger } from '../safety/hook/pre-execution-ledger.js';
import type { LimitHit, RunLimits } from '../safety/limits/kernel-limits.js';

const EVIDENCE_TYPES = new Set(['agent.permission_denied', 'agent.result', 'agent.error', 'agent.api_retry', 'agent.rate_limit']);

/** Everything one run needs. The command is already built (and wrapped by the sandbox). */
export interface AgentRunInput {
  agent: AgentId;
  assignmentId: string;
  /** Run name within the agent's folder (assignment id, `.N` for later attempts). */
  run: string;
  adapter: AgentAdapter;
  command: CommandSpec;
  /** The argv before sandbox wrapping, recorded for people and for resume. */
  agentArgv: string[];
  /** The full environment of the child. Only the names are written to the session. */
  env: Record<string, string>;
  cwd: string;
  prompt: string;
  /** The CLI reads the prompt from stdin: the run's `prompt.md` becomes its stdin. */
  promptOnStdin?: boolean;
  paths: RunPaths;
  journal: Journal;
  clock: Clock;
  policies: readonly EventPolicy[];
  /** Run budget; the group is stopped when it runs out. */
  timeoutMs: number;
  /** Stop when no event arrived for this long (0 = off). */
  stallMs: number;
  killGraceMs: number;
  /** Aborting stops the run as interrupted. */
  signal: AbortSignal;
  /** Told about every event, for the dashboard. */
  onEvent?: (event: AgentEvent) => void;
  /** Told once the process started, with a handle to stop this run from outside (control, reviews, limits). */
  onStart?: (pid: number, handle: RunHandle) => void;
  /** Extra fields on every journal entry of this run (a review run carries `review: n`). */
  tags?: Record<string, unknown>;
  /** Memory and CPU limits of the whole process tree; over them for several samples, the run is stopped. */
  limits?: ResolvedLimits;
  /** Limits the kernel enforces for this run (cgroup, private tmpfs): polled, a hit stops the run. */
  kernelLimits?: RunLimits;
  /** True while a person has paused the run (`ctl pause`): a pause is not a stall. */
  isPaused?: () => boolean;
  /** Shared with the run's pre-execution hook: which block-class commands it already prevented. */
  ledger?: PreExecutionLedger;
}

/** Stops one run from outside: the run ends with the status `by` gives it. */
export interface RunHandle {
  stop(by: 'safety' | 'interrupt' | 'escalation', reason: string): void;
}

/** What a finished run reports to the scheduler. */
export interface AgentRunResult extends RunOutcome {
  exit: ExitInfo | null;
  /** The CLI's own session id (for resume), if its stream gave one. */
  cliSessionId?: string;
  finalText?: string;
  structured?: unknown;
  durationMs: number;
  usage: { inputTokens: number; outputTokens: number; costUsd: number };
  /** The last assistant messages, carried into a fallback agent's prompt. */
  lastMessages: string[];
  /** Known failures from the error catalogue that this run showed. */
  diagnoses: Diagnosis[];
}

/**
 * Runs one agent CLI to the end: writes its prompt and command record, starts it in its own
 * process group, turns its stdout into journal entries as lines arrive, applies the policies,
 * enforces the time budget, and decides the outcome from what it saw.
 */
export async function runAgent(input: AgentRunInput): Promise<AgentRunResult> {
  const { journal, agent, assignmentId } = input;
  const tag = { agent, assignment: assignmentId, ...input.tags };
  mkdirSync(input.paths.dir, { recursive: true });
  writeFileSync(input.paths.prompt, input.prompt);
  writeJsonAtomic(input.paths.command, {
    file: input.command.file,
    argv: input.command.args,
    agentArgv: input.agentArgv,
    cwd: input.cwd,
    // Names only: values may hold API keys.
    envNames: Object.keys(input.env).sort(),
  });

  const started = input.clock.now();
  const parser = input.adapter.createParser();
  const stdoutLines = new LineSplitter();
  const stderrLines = new LineSplitter();
  const ctx: RunContext = { agent, assignmentId, cwd: input.cwd, ...(input.ledger ? { ledger: input.ledger } : {}) };
  const obs: Partial<RunObservation> = {};
  let cliSessionId: string | undefined;
  let finalText: string | undefined;
  let structured: unknown;
  const usage = { inputTokens: 0, outputTokens: 0, costUsd: 0 };
  const lastMessages: string[] = [];
  /** The events the error catalogue looks at (bounded: only failure-shaped kinds). */
  const evidence: AgentEvent[] = [];
  let proc: AgentProcess | undefined;
  let lastEventAt = started;

  const stopWith = (stoppedBy: NonNullable<RunObservation['stoppedBy']>, reason: string, now = false): void => {
    if (obs.stoppedBy) return;
    obs.stoppedBy = stoppedBy;
    obs.stopReason = reason;
    journal.append({ type: 'agent.stopping', ...tag, by: stoppedBy, reason });
    if (!proc) return;
    if (now) proc.kill();
    else void proc.stop(input.killGraceMs);
  };

  const applyActions = (actions: PolicyAction[]): void => {
    for (const action of actions) {
      if (action.type === 'journal') journal.append({ type: action.entryType, ...tag, ...action.data });
      else stopWith('safety', action.reason, true); // a block stops at once, no grace
    }
  };

  // A stop the ledger decides later (the hook never asked, or let it run) goes the same way.
  input.ledger?.attach(applyActions);

  const handleEvent = (event: AgentEvent): void => {
    lastEventAt = input.clock.now();
    journal.append({ ...event, ...tag });
    if (evidence.length < 200 && (EVIDENCE_TYPES.has(event.type) || isDeniedShell(event))) evidence.push(event);
    switch (event.type) {
      case 'agent.session':
        cliSessionId = event.sessionId;
        break;
      case 'agent.message':
        lastMessages.push(event.text);
        if (lastMessages.length > 5) lastMessages.shift();
        break;
      case 'agent.usage':
        usage.inputTokens += event.inputTokens;
        usage.outputTokens += event.outputTokens;
        usage.costUsd += event.costUsd ?? 0;
        break;
      case 'agent.result': {
        const final: NonNullable<RunObservation['final']> = { ok: event.ok };
        if (event.error !== undefined) final.error = event.error;
        if (event.denials !== undefined) final.denials = event.denials;
        obs.final = final;
        finalText = event.text;
        structured = event.structured;
        break;
      }
      default:
        break;
    }
    input.onEvent?.(event);
    for (const policy of input.policies) applyActions(policy.onEvent(ctx, event));
  };

  // One journal write per chunk, not per line.
  const onStdout = (chunk: Buffer): void =>
    journal.batch(() => {
      for (const line of stdoutLines.push(chunk)) for (const e of parser.parseLine(line.text)) handleEvent(e);
    });
  const onStderr = (chunk: Buffer): void =>
    journal.batch(() => {
      for (const line of stderrLines.push(chunk)) {
        for (const policy of input.policies) applyActions(policy.onStderrLine?.(ctx, line.text) ?? []);
      }
    });

  if (input.signal.aborted) {
    return notStarted(started, input, 'interrupted', 'the session was interrupted before this run started');
  }
  try {
    proc = await AgentProcess.start({
      file: input.command.file,
      args: input.command.args,
      env: input.env,
      cwd: input.cwd,
      stdoutFile: input.paths.stdout,
      stderrFile: input.paths.stderr,
      onStdout,
      onStderr,
      ...(input.promptOnStdin ? { stdinFile: input.paths.prompt } : {}),
      label: `${agent}:${assignmentId}`,
    });
  } catch (error) {
    const reason = `could not start ${input.command.file}: ${(error as Error).message}`;
    journal.append({ type: 'agent.start_failed', ...tag, reason });
    return notStarted(started, input, 'failed', reason);
  }
  journal.append({ type: 'agent.launched', ...tag, pid: proc.pid, pgid: proc.pid, run: input.run, argv: input.agentArgv });
  input.onStart?.(proc.pid, { stop: (by, reason) => stopWith(by, reason, by === 'safety') });

  const cancelTimeout = input.clock.setTimeout(
    () => stopWith('timeout', `ran past its budget of ${Math.round(input.timeoutMs / 1000)} s`),
    input.timeoutMs,
  );
  let cancelStall = (): void => undefined;
  const armStall = (): void => {
    if (input.stallMs <= 0) return;
    cancelStall = input.clock.setTimeout(() => {
      if (input.isPaused?.()) lastEventAt = input.clock.now();
      const idle = input.clock.now() - lastEventAt;
      if (idle >= input.stallMs) stopWith('stall', `no event for ${Math.round(idle / 1000)} s`);
      else armStall();
    }, Math.max(1, input.stallMs - (input.clock.now() - lastEventAt)));
  };
  armStall();
  const monitor = input.limits
    ? new ResourceMonitor({
        rootPid: proc.pid,
        limits: input.limits,
        clock: input.clock,
        onWarn: (e) => journal.append({ type: 'safety.limit_warning', ...tag, ...e }),
        onExceeded: (e) => {
          journal.append({ type: 'safety.limit_exceeded', ...tag, ...e });
          stopWith('safety', `${e.limit} ${formatLimit(e.limit, e.value)} over the limit of ${formatLimit(e.limit, e.max)} for ${e.samples} samples`);
        },
        onError: (err) => journal.append({ type: 'safety.limit_sampling_failed', ...tag, message: err.message }),
      }).start()
    : undefined;
  const stopKernelWatch = input.kernelLimits ? watchKernelLimits(input, proc.pid, (hit) => {
    journal.append({ type: 'safety.limit_exceeded', ...tag, ...hit, mechanism: input.kernelLimits?.mechanism });
    stopWith('safety', `${hit.limit} limit: ${hit.detail} (max ${hit.limit === 'processes' ? hit.max : formatLimit('memory', hit.max)})`, true);
  }) : undefined;
  const onAbort = (): void => stopWith('interrupt', typeof input.signal.reason === 'string' ? input.signal.reason : 'the session was interrupted');
  input.signal.addEventListener('abort', onAbort, { once: true });

  let exit: ExitInfo;
  try {
    exit = await proc.exited;
  } finally {
    cancelTimeout();
    cancelStall();
    monitor?.stop();
    input.ledger?.close();
    stopKernelWatch?.();
    input.signal.removeEventListener('abort', onAbort);
  }
  for (const line of stdoutLines.end()) for (const e of parser.parseLine(line.text)) handleEvent(e);
  for (const e of parser.flush()) handleEvent(e);

  obs.exit = exit;
  // the line that says what went wrong, not a runtime's footer (`Node.js v20.20.2`)
  const reasonLine = meaningfulStderrLine(proc.stderrTail());
  if (reasonLine) obs.stderrLastLine = reasonLine;
  let outcome = decideOutcome(obs as RunObservation);
  const durationMs = input.clock.now() - started;
  // a run that "succeeded" after being denied what it needed is diagnosed too (truthful outcomes)
  const suspect = outcome.status !== 'succeeded' || (obs.final?.denials ?? 0) > 0 || evidence.some((e) => e.type === 'agent.permission_denied' || isDeniedShell(e));
  const diagnoses = suspect ? diagnose(agent, { events: evidence, stderr: proc.stderrTail(), exitCode: exit.code }) : [];
  const needed = diagnoses.find((d) => SUCCESS_SUSPECT.has(d.entry.handling));
  if (outcome.status === 'succeeded' && needed) outcome = { status: 'failed', reason: `it was denied what it needed: ${needed.entry.cause} (${needed.matched.slice(0, 200)})` };
  for (const d of diagnoses) {
    journal.append({ type: 'recovery.diagnosis', ...tag, id: d.entry.id, handling: d.entry.handling, cause: d.entry.cause, fix: d.entry.fix, captures: d.captures, matched: d.matched.slice(0, 300) });
  }
  journal.append({
    type: 'agent.exited',
    ...tag,
    code: exit.code,
    signal: exit.signal,
    killedBy: obs.stoppedBy ?? null,
    finalEvent: obs.final !== undefined,
    status: outcome.status,
    reason: outcome.reason,
    durationMs,
  });
  const result: AgentRunResult = { ...outcome, exit, durationMs, usage, lastMessages, diagnoses };
  if (cliSessionId !== undefined) result.cliSessionId = cliSessionId;
  if (finalText !== undefined) result.finalText = finalText;
  if (structured !== undefined) result.structured = structured;
  return result;
}

/** Polls the run's kernel limits every 200 ms until the first hit (then reports it once) or until stopped. */
function watchKernelLimits(input: AgentRunInput, pid: number, onHit: (hit: LimitHit) => void): () => void {
  let cancel = (): void => undefined;
  let done = false;
  const tick = (): void => {
    if (done) return;
    const hit = input.kernelLimits!.poll(pid);
    if (hit) {
      done = true;
      onHit(hit);
      return;
    }
    cancel = input.clock.setTimeout(tick, KERNEL_POLL_MS);
  };
  tick();
  return () => {
    done = true;
    cancel();
  };
}

const KERNEL_POLL_MS = 200;

/**
 * A tool's output that says the environment refused it: the OS refused a write (bash's and Node's
 * texts), or a sandbox or executable could not start. Such a run is diagnosed even if it "succeeded".
 */
function isDeniedShell(event: AgentEvent): boolean {
  return (
    event.type === 'agent.tool_result' &&
    typeof event.output === 'string' &&
    /Permission denied|Read-only file system|read-only file system|EACCES|EPERM|bwrap: |execvp /.test(event.output)
  );
}

function formatLimit(kind: 'memory' | 'cpu', value: number): string {
  return kind === 'memory' ? `${Math.round(value / 1024 / 1024)} MiB` : `${Math.round(value)}% CPU`;
}

function notStarted(started: number, input: AgentRunInput, status: 'failed' | 'interrupted', reason: string): AgentRunResult {
  return {
    status,
    reason,
    exit: null,
    durationMs: input.clock.now() - started,
    usage: { inputTokens: 0, outputTokens: 0, costUsd: 0 },
    lastMessages: [],
    diagnoses: [],
  };
}
