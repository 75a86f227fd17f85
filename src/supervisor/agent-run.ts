import { mkdirSync, writeFileSync } from 'node:fs';
import type { AgentAdapter, CommandSpec } from '../agents/adapter.js';
import type { AgentId } from '../agents/agent-id.js';
import type { Clock } from '../clock.js';
import type { AgentEvent } from '../events/agent-event.js';
import { LineSplitter } from '../events/line-splitter.js';
import { AgentProcess, type ExitInfo, type SpawnAgentOptions } from '../process/spawn-agent.js';
import type { Journal } from '../session/journal.js';
import type { RunPaths } from '../session/paths.js';
import { writeJsonAtomic } from '../session/atomic-write.js';
import type { EventPolicy, PolicyAction, RunContext } from '../safety/event-policy.js';
import { decideOutcome, type RunObservation, type RunOutcome } from './run-outcome.js';
import { emptyRunFacts, foldRunEvent, sawDenial } from './run-fold.js';
import { RunStopWatch, type StopCause, type StopDecision } from './run-stop-watch.js';
import { diagnose, type Diagnosis } from '../recovery/diagnose.js';
import { meaningfulStderrLine } from '../events/stderr-reason.js';
import { SUCCESS_SUSPECT } from '../recovery/plan-recovery.js';
import { ResourceMonitor } from '../safety/limits/resource-monitor.js';
import { pollBeat } from '../safety/limits/poll-beat.js';
import type { ResolvedLimits } from '../safety/limits/resolve-limits.js';
import type { PreExecutionLedger } from '../safety/hook/pre-execution-ledger.js';
import type { LimitHit, RunLimits } from '../safety/limits/kernel-limits.js';
import { sessionAbortOf } from './session-stop.js';

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
  /** The command is the bubblewrap sandbox: a stop signals the agent inside it (process/spawn-agent.ts). */
  sandboxed?: boolean;
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
  stop(by: 'safety' | 'interrupt' | 'escalation' | 'ceiling', reason: string): void;
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

/** The running CLI as the driver uses it (`AgentProcess`, or a fake in unit tests). */
export type RunningAgent = Pick<AgentProcess, 'pid' | 'exited' | 'stderrTail' | 'stop' | 'kill'>;

/** Starts the CLI; injected so the driver can be tested without spawning anything. */
export type AgentSpawner = (options: SpawnAgentOptions) => Promise<RunningAgent>;

/**
 * Runs one agent CLI to the end: writes its prompt and command record, starts it in its own
 * process group, turns its stdout into journal entries as lines arrive (folded into the run's
 * facts, `run-fold.ts`), applies the policies, stops it when the watcher decides
 * (`run-stop-watch.ts`), and decides the outcome from what it saw.
 */
export async function runAgent(input: AgentRunInput, spawn: AgentSpawner = (o) => AgentProcess.start(o)): Promise<AgentRunResult> {
  const { journal, agent, assignmentId } = input;
  const tag = { agent, assignment: assignmentId, ...input.tags };
  writeRunRecord(input);

  const started = input.clock.now();
  const parser = input.adapter.createParser();
  const stdoutLines = new LineSplitter();
  const stderrLines = new LineSplitter();
  const ctx: RunContext = { agent, assignmentId, cwd: input.cwd, ...(input.ledger ? { ledger: input.ledger } : {}) };
  const facts = emptyRunFacts();
  let proc: RunningAgent | undefined;
  const kill = ({ now }: StopDecision): void => {
    if (now) proc?.kill();
    else void proc?.stop(input.killGraceMs);
  };
  // a stop decided while the process is still starting (a policy on its first output) is carried
  // out as soon as it has a pid
  const watch = new RunStopWatch({
    clock: input.clock,
    timeoutMs: input.timeoutMs,
    stallMs: input.stallMs,
    ...(input.isPaused ? { isPaused: input.isPaused } : {}),
    signal: input.signal,
    onStop: (decision) => {
      journal.append({ type: 'agent.stopping', ...tag, by: decision.by, reason: decision.reason });
      kill(decision);
    },
  });
  const stopWith = (by: StopCause, reason: string, now = false): void => watch.stop(by, reason, now);

  const applyActions = (actions: PolicyAction[]): void => {
    for (const action of actions) {
      if (action.type === 'journal') journal.append({ type: action.entryType, ...tag, ...action.data });
      else stopWith('safety', action.reason, true); // a block stops at once, no grace
    }
  };

  // A stop the ledger decides later (the hook never asked, or let it run) goes the same way.
  input.ledger?.attach(applyActions);

  const handleEvent = (event: AgentEvent): void => {
    journal.append(event, tag);
    foldRunEvent(facts, event);
    input.onEvent?.(event);
    for (const policy of input.policies) applyActions(policy.onEvent(ctx, event));
  };

  // One journal write per chunk, not per line; the stall watch is told once per chunk that brought events.
  const onStdout = (chunk: Buffer): void =>
    journal.batch(() => {
      let events = 0;
      for (const line of stdoutLines.push(chunk))
        for (const e of parser.parseLine(line.text)) {
          events++;
          handleEvent(e);
        }
      if (events > 0) watch.eventArrived();
    });
  const onStderr = (chunk: Buffer): void =>
    journal.batch(() => {
      for (const line of stderrLines.push(chunk)) {
        for (const policy of input.policies) applyActions(policy.onStderrLine?.(ctx, line.text) ?? []);
      }
    });

  if (input.signal.aborted) {
    const { by, reason } = sessionAbortOf(input.signal);
    return notStarted(started, input, by === 'timeout' ? 'timed_out' : 'interrupted', `${reason} before this run started`);
  }
  try {
    proc = await spawn({
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
      ...(input.sandboxed ? { sandboxed: true } : {}),
    });
  } catch (error) {
    const reason = `could not start ${input.command.file}: ${(error as Error).message}`;
    journal.append({ type: 'agent.start_failed', ...tag, reason });
    return notStarted(started, input, 'failed', reason);
  }
  journal.append({ type: 'agent.launched', ...tag, pid: proc.pid, pgid: proc.pid, run: input.run, argv: input.agentArgv });
  input.onStart?.(proc.pid, { stop: (by, reason) => stopWith(by, reason, by === 'safety') });

  if (watch.decision) kill(watch.decision);
  else watch.arm();
  const stopLimits = watchLimits(input, proc.pid, tag, stopWith);

  let exit: ExitInfo;
  try {
    exit = await proc.exited;
  } finally {
    watch.close();
    stopLimits();
    input.ledger?.close();
  }
  for (const line of stdoutLines.end()) for (const e of parser.parseLine(line.text)) handleEvent(e);
  for (const e of parser.flush()) handleEvent(e);

  const decided = watch.decision;
  const obs: RunObservation = {
    exit,
    ...(facts.final ? { final: facts.final } : {}),
    ...(decided ? { stoppedBy: decided.by, stopReason: decided.reason } : {}),
  };
  // the line that says what went wrong, not a runtime's footer (`Node.js v20.20.2`)
  const reasonLine = meaningfulStderrLine(proc.stderrTail());
  if (reasonLine) obs.stderrLastLine = reasonLine;
  let outcome = decideOutcome(obs);
  const durationMs = input.clock.now() - started;
  // a run that "succeeded" after being denied what it needed is diagnosed too (truthful outcomes)
  const suspect = outcome.status !== 'succeeded' || sawDenial(facts);
  const diagnoses = suspect ? diagnose(agent, { events: facts.evidence, stderr: proc.stderrTail(), exitCode: exit.code }) : [];
  const needed = diagnoses.find((d) => SUCCESS_SUSPECT.has(d.entry.handling));
  if (outcome.status === 'succeeded' && needed)
    outcome = { status: 'failed', reason: `it was denied what it needed: ${needed.entry.cause} (${needed.matched.slice(0, 200)})` };
  for (const d of diagnoses) {
    journal.append({
      type: 'recovery.diagnosis',
      ...tag,
      id: d.entry.id,
      handling: d.entry.handling,
      cause: d.entry.cause,
      fix: d.entry.fix,
      captures: d.captures,
      matched: d.matched.slice(0, 300),
    });
  }
  journal.append({
    type: 'agent.exited',
    ...tag,
    code: exit.code,
    signal: exit.signal,
    killedBy: decided?.by ?? null,
    finalEvent: facts.final !== undefined,
    status: outcome.status,
    reason: outcome.reason,
    durationMs,
  });
  const result: AgentRunResult = { ...outcome, exit, durationMs, usage: facts.usage, lastMessages: facts.lastMessages, diagnoses };
  if (facts.cliSessionId !== undefined) result.cliSessionId = facts.cliSessionId;
  if (facts.finalText !== undefined) result.finalText = facts.finalText;
  if (facts.structured !== undefined) result.structured = facts.structured;
  return result;
}

/** The run's folder: its prompt, and the command as run (environment names only: values may hold API keys). */
function writeRunRecord(input: AgentRunInput): void {
  mkdirSync(input.paths.dir, { recursive: true });
  writeFileSync(input.paths.prompt, input.prompt);
  writeJsonAtomic(
    input.paths.command,
    {
      file: input.command.file,
      argv: input.command.args,
      agentArgv: input.agentArgv,
      cwd: input.cwd,
      envNames: Object.keys(input.env).sort(),
    },
    { durable: false },
  );
}

/** Starts the run's resource watchers (sampled tree limits, kernel limits); returns their stop. */
function watchLimits(
  input: AgentRunInput,
  pid: number,
  tag: Record<string, unknown> & { agent: AgentId; assignment: string },
  stopWith: (by: StopCause, reason: string, now?: boolean) => void,
): () => void {
  const { journal } = input;
  const monitor = input.limits
    ? new ResourceMonitor({
        rootPid: pid,
        ...(input.kernelLimits?.members ? { members: input.kernelLimits.members } : {}),
        limits: input.limits,
        clock: input.clock,
        onWarn: (e) => journal.append({ type: 'safety.limit_warning', ...tag, ...e }),
        onExceeded: (e) => {
          journal.append({ type: 'safety.limit_exceeded', ...tag, ...e });
          stopWith(
            'safety',
            `${e.limit} ${formatLimit(e.limit, e.value)} over the limit of ${formatLimit(e.limit, e.max)} for ${e.samples} samples`,
          );
        },
        onError: (err) => journal.append({ type: 'safety.limit_sampling_failed', ...tag, message: err.message }),
      }).start()
    : undefined;
  const stopKernelWatch = input.kernelLimits
    ? watchKernelLimits(input, pid, (hit) => {
        journal.append({ type: 'safety.limit_exceeded', ...tag, ...hit, mechanism: input.kernelLimits?.mechanism });
        stopWith(
          'safety',
          `${hit.limit} limit: ${hit.detail} (max ${hit.limit === 'processes' ? hit.max : formatLimit('memory', hit.max)})`,
          true,
        );
      })
    : undefined;
  return () => {
    monitor?.stop();
    stopKernelWatch?.();
  };
}

/** Polls the run's kernel limits every 200 ms (on the beat all runs share) until the first hit (then reports it once) or until stopped. */
function watchKernelLimits(input: AgentRunInput, pid: number, onHit: (hit: LimitHit) => void): () => void {
  let done = false;
  let remove = (): void => undefined;
  const poll = (): void => {
    if (done) return;
    const hit = input.kernelLimits!.poll(pid);
    if (!hit) return;
    done = true;
    remove();
    onHit(hit);
  };
  remove = pollBeat(input.clock, KERNEL_POLL_MS).add(poll);
  if (done) remove(); // hit on the first poll, before `remove` was known
  return () => {
    done = true;
    remove();
  };
}

const KERNEL_POLL_MS = 200;

function formatLimit(kind: 'memory' | 'cpu', value: number): string {
  return kind === 'memory' ? `${Math.round(value / 1024 / 1024)} MiB` : `${Math.round(value)}% CPU`;
}

function notStarted(started: number, input: AgentRunInput, status: 'failed' | 'interrupted' | 'timed_out', reason: string): AgentRunResult {
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
