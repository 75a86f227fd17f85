import path from 'node:path';
import type { LaunchSpec } from '../agents/adapter.js';
import type { Handling } from './catalogue.js';
import type { Diagnosis } from './diagnose.js';
import { flagDiff } from './flag-diff.js';
import { resolveClockTime } from './clock-time.js';
import { isWithin } from '../paths.js';
import { FS_PROBE, realLocation, scopeWrite, type WriteScope } from './path-scope.js';
import { freshSessionPrompt, interruptedPrompt, resumePrompt } from './prompts.js';
import type { RecoveryInput, RecoveryPlan, RelaunchChange } from './recovery-plan.js';
import { rerunCommand, type RerunEdit } from './rerun-command.js';

/**
 * Which diagnosis to act on when a run shows several: what ends a run first. A startup refusal
 * or a CLI that cannot work ends it before anything else; then the API errors that made the CLI
 * give up; denials last (after a relaunch for the API error, a denial shows again if it matters).
 */
/** Handlings that make a "successful" run a failure: it was refused what it needed, or could not work. */
export const SUCCESS_SUSPECT: ReadonlySet<Handling> = new Set<Handling>(['recovered', 'escalated', 'fallback']);

const RANK: Record<Exclude<Handling, 'expected'>, number> = { prepared: 0, fallback: 0, parked: 1, retried: 2, escalated: 3, recovered: 4 };

/** Entries fixed by granting the refused path's directory. */
const PATH_GRANTS = new Set([
  'claude.path-outside-workdirs',
  'gemini.path-outside-workspace',
  'claude.hook-write-outside',
  'gemini.hook-write-outside',
]);

/** Entries fixed by relaunching in the adapter's own permission mode. */
const PERMISSION_MODES = new Set(['claude.shell-write-needs-approval', 'claude.dont-ask-mode', 'claude.auto-mode-unavailable']);

/** Relaunches after a crash or a stall before handing the work on: one, a second rarely helps. */
const UNCATALOGUED_RELAUNCHES = 1;

/**
 * Decides what to do after a run, from plain data: relaunch (with what change), escalate to a
 * person, park on a rate limit, fall back to another agent, or give up. Pure and deterministic:
 * the same input (and file system, for path checks) gives the same plan. docs/recovery.md has the
 * table this implements.
 */
export function planRecovery(input: RecoveryInput): RecoveryPlan {
  const { run } = input;
  if (run.status === 'interrupted') return { kind: 'give_up', reason: 'the session was interrupted' };
  if (run.status === 'stopped_by_safety')
    return { kind: 'give_up', reason: 'the safety policy stopped it; recovery does not overrule safety' };
  if (run.status === 'timed_out')
    return { kind: 'give_up', cause: 'run.timed-out', reason: 'it ran past its time budget, so a relaunch would have none left' };
  const found = primaryDiagnosis(run.diagnoses, run.status === 'succeeded');
  if (found) return planForDiagnosis(input, found);
  if (run.status === 'succeeded') return { kind: 'give_up', reason: 'the run succeeded' };
  return planUncatalogued(input);
}

/** The diagnosis to act on; on a succeeded run only a refused write counts (the run went on without it). */
function primaryDiagnosis(diagnoses: readonly Diagnosis[], succeeded: boolean): Diagnosis | undefined {
  const actionable = diagnoses.filter((d) => d.entry.handling !== 'expected' && (!succeeded || SUCCESS_SUSPECT.has(d.entry.handling)));
  const rank = (d: Diagnosis): number => RANK[d.entry.handling as Exclude<Handling, 'expected'>];
  return [...actionable].sort((a, b) => rank(a) - rank(b))[0];
}

function planForDiagnosis(input: RecoveryInput, d: Diagnosis): RecoveryPlan {
  const id = d.entry.id;
  switch (d.entry.handling) {
    case 'recovered':
      if (PATH_GRANTS.has(id)) return planPathGrant(input, d);
      if (PERMISSION_MODES.has(id)) return planPermissionMode(input, d);
      return planFreshSession(input, d);
    case 'escalated':
      return escalateWriteDenied(input, d);
    case 'retried':
      return planRetry(input, d);
    case 'parked':
      return planPark(input, d);
    case 'fallback':
      return fallbackOr(input, id, `${input.agent} cannot work: ${d.entry.cause}`, () => escalateCannotWork(input, d));
    case 'prepared':
      return planPreparedSeen(input, d);
    default:
      return { kind: 'give_up', cause: id, reason: `${d.entry.cause}: nothing to fix` };
  }
}

// ---- helpers -------------------------------------------------------------------------------

function spent(input: RecoveryInput, cause: string): number {
  return input.attempts[cause] ?? 0;
}

function exhausted(input: RecoveryInput, cause: string, limit = input.maxAttempts): boolean {
  return spent(input, cause) >= limit;
}

/** A launch spec like the failed one, for the flag diff. */
function specOf(input: RecoveryInput, over: Partial<LaunchSpec> = {}): LaunchSpec {
  const spec: LaunchSpec = {
    executable: input.agent,
    prompt: '',
    cwd: input.launch.cwd,
    addDirs: input.currentAddDirs,
    extraArgs: input.launch.extraArgs ?? [],
    mode: 'work',
    context: input.launch.context,
    ...over,
  };
  if (input.launch.model !== undefined) spec.model = input.launch.model;
  return spec;
}

function carriedWork(input: RecoveryInput, reason: string): Parameters<typeof freshSessionPrompt>[1] {
  return { failedAgent: input.agent, reason, filesChanged: input.work.filesChanged, lastMessages: input.run.lastMessages ?? [] };
}

/** A relaunch that resumes the CLI session when one is known, else starts fresh with the work so far. */
function relaunch(
  input: RecoveryInput,
  cause: string,
  opts: { change: RelaunchChange; diff: string[]; why: string; delayMs: number; interrupted?: boolean },
): RecoveryPlan {
  const sessionId = opts.change.freshSession ? undefined : input.run.cliSessionId;
  const prompt =
    sessionId === undefined
      ? freshSessionPrompt(input.work.originalPrompt, carriedWork(input, opts.why))
      : opts.interrupted
        ? interruptedPrompt()
        : resumePrompt({ why: opts.why, flagDiff: opts.diff });
  const plan: RecoveryPlan = {
    kind: 'relaunch',
    cause,
    attempt: spent(input, cause) + 1,
    change: opts.change,
    flagDiff: opts.diff,
    prompt,
    delayMs: opts.delayMs,
    reason: opts.why,
  };
  if (sessionId !== undefined) plan.resumeSessionId = sessionId;
  return plan;
}

/** backoffMs * 2^(relaunches already spent on this cause). */
function backoff(input: RecoveryInput, cause: string): number {
  return input.backoffMs * 2 ** spent(input, cause);
}

function fallbackOr(input: RecoveryInput, cause: string, reason: string, otherwise: () => RecoveryPlan): RecoveryPlan {
  const to = input.availableFallbacks[0];
  return to !== undefined ? { kind: 'fallback', cause, to, reason } : otherwise();
}

function giveUp(cause: string, reason: string): RecoveryPlan {
  return { kind: 'give_up', cause, reason };
}

function rerun(input: RecoveryInput, edit: RerunEdit = {}): string {
  const { configPath, ...invocation } = input.invocation;
  const set = configPath !== undefined ? { '--config': configPath, ...edit.set } : edit.set;
  return rerunCommand(invocation, { ...edit, ...(set ? { set } : {}) });
}

function configName(input: RecoveryInput): string {
  return input.invocation.configPath ?? path.join(input.launch.cwd, 'orchestrate.config.json');
}

// ---- recovered -----------------------------------------------------------------------------

/** A write refused outside the working dirs: grant its directory when it lies in the allowed roots. */
function planPathGrant(input: RecoveryInput, d: Diagnosis): RecoveryPlan {
  const cause = d.entry.id;
  const probe = input.probe ?? FS_PROBE;
  const scope = scopeWrite(d.captures['path'] ?? '', { cwd: input.launch.cwd, allowedRoots: input.allowedRoots, probe });
  if (scope.root === undefined) return escalateOutside(input, cause, scope);
  const granted = [input.launch.cwd, ...input.currentAddDirs].map((dir) => realLocation(path.resolve(input.launch.cwd, dir), probe).real);
  if (granted.some((dir) => isWithin(scope.dir, dir))) {
    return escalateNoFix(
      input,
      cause,
      `${input.agent} was refused a write to ${scope.path} although ${scope.dir} is already one of its working directories`,
    );
  }
  if (exhausted(input, cause)) {
    return escalateNoFix(
      input,
      cause,
      `${input.agent} was still refused a write to ${scope.path} after ${spent(input, cause)} relaunch(es) granting ${scope.dir}`,
    );
  }
  const addDirs = [...input.currentAddDirs, scope.dir];
  const change: RelaunchChange = { addDirs };
  if (!scope.dirExists) change.ensureDirs = [scope.dir];
  const diff = flagDiff(input.agent, specOf(input), specOf(input, { addDirs }));
  const why = `${input.agent} was refused a write to ${scope.path}, outside its working directories; ${scope.dir} lies in the allowed root ${scope.root}`;
  return relaunch(input, cause, { change, diff, why, delayMs: 0 });
}

/** A permission mode from the config's args refused the edit: relaunch in the adapter's own mode. */
function planPermissionMode(input: RecoveryInput, d: Diagnosis): RecoveryPlan {
  const cause = d.entry.id;
  const extra = input.launch.extraArgs ?? [];
  const dropArgs: string[] = [];
  for (let i = 0; i < extra.length; i++) {
    const word = extra[i] as string;
    if (word === '--permission-mode') dropArgs.push(word, ...(extra[i + 1] !== undefined ? [extra[++i] as string] : []));
    else if (word.startsWith('--permission-mode=')) dropArgs.push(word);
  }
  if (dropArgs.length === 0) {
    return escalateNoFix(input, cause, `${input.agent} ran in orchestrate's own permission mode and was still refused: ${d.matched}`);
  }
  if (exhausted(input, cause)) {
    return fallbackOr(
      input,
      cause,
      `${input.agent} was still refused after ${spent(input, cause)} relaunch(es) without ${dropArgs.join(' ')}`,
      () => escalateNoFix(input, cause, `${input.agent} was still refused after relaunching without ${dropArgs.join(' ')}: ${d.matched}`),
    );
  }
  const remaining = removeWords(extra, dropArgs);
  const diff = flagDiff(input.agent, specOf(input), specOf(input, { extraArgs: remaining }));
  const why = `${d.entry.cause} (the config's ${dropArgs.join(' ')}), so it relaunches in the mode orchestrate chooses`;
  return relaunch(input, cause, { change: { dropArgs }, diff, why, delayMs: 0 });
}

/** `words` minus one occurrence of each run of `drop`, in order. */
function removeWords(words: readonly string[], drop: readonly string[]): string[] {
  const out = [...words];
  for (const word of drop) {
    const i = out.indexOf(word);
    if (i >= 0) out.splice(i, 1);
  }
  return out;
}

/** The session to resume does not exist: start a new one that carries the work so far. */
function planFreshSession(input: RecoveryInput, d: Diagnosis): RecoveryPlan {
  const cause = d.entry.id;
  if (exhausted(input, cause)) {
    return fallbackOr(input, cause, `${input.agent} could not start a usable session`, () =>
      giveUp(cause, `${d.entry.cause}, and ${spent(input, cause)} fresh session(s) did not help`),
    );
  }
  const badId = d.captures['id'];
  const diff = badId !== undefined ? flagDiff(input.agent, specOf(input, { resumeSessionId: badId }), specOf(input)) : [];
  return relaunch(input, cause, {
    change: { freshSession: true },
    diff,
    why: `${d.entry.cause}; a new session starts with the work so far`,
    delayMs: 0,
  });
}

// ---- retried / parked ----------------------------------------------------------------------

/** A transient API failure: the same launch again after a growing pause, resuming the session. */
function planRetry(input: RecoveryInput, d: Diagnosis): RecoveryPlan {
  const cause = d.entry.id;
  if (exhausted(input, cause)) {
    return fallbackOr(input, cause, `the ${input.agent} model API kept failing (${spent(input, cause)} retries)`, () =>
      giveUp(cause, `the ${input.agent} model API kept failing after ${spent(input, cause)} retries and no other agent is available`),
    );
  }
  const status = d.captures['status'] ?? (input.run.exit?.code === 244 ? '500' : '5xx');
  return relaunch(input, cause, {
    change: {},
    diff: [],
    why: `the model API failed (HTTP ${status}) after the CLI's own retries`,
    delayMs: backoff(input, cause),
  });
}

/** A rate limit: wait for its reset (or back off) without spending an attempt; others may take over. */
function planPark(input: RecoveryInput, d: Diagnosis): RecoveryPlan {
  const cause = d.entry.id;
  const parks = input.parks ?? 0;
  const after = d.captures['retryAfterMs'];
  const resetAt = d.captures['resetAt'];
  const clock = d.captures['resetClock'] !== undefined ? resolveClockTime(d.captures['resetClock'], input.now) : undefined;
  const hinted =
    resetAt !== undefined ? Date.parse(resetAt) : clock !== undefined ? clock : after !== undefined ? input.now + Number(after) : undefined;
  const untilMs = hinted !== undefined && Number.isFinite(hinted) ? Math.max(hinted, input.now) : input.now + input.backoffMs * 2 ** parks;
  const source =
    hinted !== undefined
      ? `until its reset (${d.captures['resetSource'] ?? 'stated'})`
      : `backing off ${Math.round((untilMs - input.now) / 1000)} s (no reset time given)`;
  const reason = `${input.agent} is rate-limited (HTTP 429); parked ${source}`;
  if (input.deadlineMs !== undefined && untilMs >= input.deadlineMs) {
    return fallbackOr(input, cause, `${input.agent} is rate-limited past the session's deadline`, () =>
      giveUp(cause, `${input.agent} is rate-limited past the session's deadline and no other agent is available`),
    );
  }
  const plan: RecoveryPlan = {
    kind: 'park',
    cause,
    untilMs,
    reason,
    handOff: [...input.availableFallbacks],
    prompt:
      input.run.cliSessionId !== undefined
        ? resumePrompt({ why: 'the model API rate-limited you and the limit has reset', flagDiff: [] })
        : freshSessionPrompt(input.work.originalPrompt, carriedWork(input, 'the model API rate-limited it')),
  };
  if (input.run.cliSessionId !== undefined) plan.resumeSessionId = input.run.cliSessionId;
  return plan;
}

// ---- prepared, yet seen --------------------------------------------------------------------

/** A failure the flags should have avoided: fix the preparation once, or it is a bug (fall back). */
function planPreparedSeen(input: RecoveryInput, d: Diagnosis): RecoveryPlan {
  const cause = d.entry.id;
  const ctx = input.launch.context;
  if (cause === 'codex.outside-git-repo' && ctx.targetIsGitRepo && !exhausted(input, cause)) {
    // The git check said "work tree" but codex disagreed (e.g. a .git file of another tree).
    const diff = flagDiff(input.agent, specOf(input), specOf(input, { context: { ...ctx, targetIsGitRepo: false } }));
    return relaunch(input, cause, {
      change: { skipGitRepoCheck: true },
      diff,
      why: 'codex found no git repository where orchestrate saw one',
      delayMs: 0,
    });
  }
  if (cause === 'gemini.untrusted-folder' && !ctx.trustTarget) {
    return {
      kind: 'escalate',
      cause,
      question: `trust ${input.launch.cwd} for gemini (pass --skip-trust)? [y/N]`,
      offer: { trust: true },
      blocker: `gemini refused the target ${input.launch.cwd} because it does not trust the folder (exit 55), and the session was started with --no-trust. Re-run without --no-trust so orchestrate passes --skip-trust, or trust the folder in gemini's own settings and re-run as before.`,
      rerun: rerun(input, { drop: ['--no-trust'] }),
    };
  }
  return fallbackOr(input, cause, `${d.entry.cause}, although orchestrate prepared for it: a bug in its flags`, () =>
    escalateCannotWork(input, d),
  );
}

// ---- escalations ---------------------------------------------------------------------------

function escalateOutside(input: RecoveryInput, cause: string, scope: WriteScope): RecoveryPlan {
  const roots = input.allowedRoots.join(', ');
  return {
    kind: 'escalate',
    cause,
    question: `allow writing ${scope.dir} for ${input.agent}? [y/N]`,
    offer: { addDir: scope.dir },
    blocker: `${input.agent} was refused a write to ${scope.path}: it lies outside the target and sandbox.allowWrite (${roots}), and orchestrate does not widen the sandbox on its own. To allow it, add "${scope.dir}" to sandbox.allowWrite in ${configName(input)} and re-run.`,
    rerun: rerun(input),
  };
}

function escalateWriteDenied(input: RecoveryInput, d: Diagnosis): RecoveryPlan {
  const target = d.captures['path'] ?? 'a path';
  const scope =
    d.captures['path'] !== undefined
      ? scopeWrite(target, { cwd: input.launch.cwd, allowedRoots: input.allowedRoots, probe: input.probe ?? FS_PROBE })
      : undefined;
  if (scope && scope.root === undefined && /read-only file system/i.test(d.captures['error'] ?? ''))
    return escalateOutside(input, d.entry.id, scope);
  return {
    kind: 'escalate',
    cause: d.entry.id,
    question: `${target} is not writable for ${input.agent} (${d.captures['error'] ?? 'Permission denied'}); retry after you fixed it? [y/N]`,
    blocker: `${input.agent} could not write ${target}: ${d.captures['error'] ?? 'Permission denied'}. The operating system refused it (a root-owned or read-only file), which no flag can change. Fix the file's owner or mode (or choose another path in the task) and re-run.`,
    rerun: rerun(input),
  };
}

function escalateNoFix(input: RecoveryInput, cause: string, what: string): RecoveryPlan {
  return {
    kind: 'escalate',
    cause,
    question: `${what}. Retry ${input.agent} after you looked into it? [y/N]`,
    blocker: `${what}. orchestrate has no further fix within its policy; a person has to look at the run's stdout.jsonl and stderr.log.`,
    rerun: rerun(input),
  };
}

function escalateCannotWork(input: RecoveryInput, d: Diagnosis): RecoveryPlan {
  const how =
    d.entry.id === 'gemini.auth'
      ? 'Log in to gemini (run it once interactively, or set GEMINI_API_KEY) and re-run.'
      : d.entry.id === 'codex.removed-flag'
        ? `Remove ${d.captures['flag'] ?? 'the flag'} from agents.codex.args in ${configName(input)} (or install the codex version orchestrate supports) and re-run.`
        : `Check the CLI's version against the one orchestrate supports and re-run.`;
  return {
    kind: 'escalate',
    cause: d.entry.id,
    question: `${input.agent} cannot work (${d.entry.cause}) and no other agent is available; retry after you fixed it? [y/N]`,
    blocker: `${input.agent} cannot work: ${d.entry.cause} (${d.matched.slice(0, 200)}), and no other agent is available. ${how}`,
    rerun: rerun(input),
  };
}

// ---- not in the catalogue ------------------------------------------------------------------

/**
 * A stall or a crash without the final event: one relaunch resuming the session (or fresh with the
 * work so far), then the next agent. A false success (exit 0 with an error result) or another
 * error result: the agent itself says it could not do it, so the next agent.
 */
function planUncatalogued(input: RecoveryInput): RecoveryPlan {
  const { run } = input;
  const noFinal = run.finalEvent === false || (run.finalEvent === undefined && /^ended without its final event/.test(run.reason ?? ''));
  if (run.status === 'stalled' || noFinal) {
    const cause = run.status === 'stalled' ? 'run.stalled' : 'run.crashed';
    const what =
      run.status === 'stalled' ? 'it stalled (no event for too long)' : `it ended without its final event (${run.reason ?? 'crashed'})`;
    if (!exhausted(input, cause, Math.min(UNCATALOGUED_RELAUNCHES, input.maxAttempts))) {
      return relaunch(input, cause, { change: {}, diff: [], why: what, delayMs: backoff(input, cause), interrupted: true });
    }
    return fallbackOr(input, cause, `${input.agent}: ${what}, also after a relaunch`, () =>
      giveUp(cause, `${what}, also after a relaunch, and no other agent is available`),
    );
  }
  const falseSuccess = run.exit?.code === 0;
  const cause = falseSuccess ? 'run.false-success' : 'run.failed';
  const what = falseSuccess ? `it exited 0 with an error result (${run.reason ?? 'error'})` : `it failed (${run.reason ?? 'error result'})`;
  return fallbackOr(input, cause, `${input.agent}: ${what}`, () => giveUp(cause, `${what} and no other agent is available`));
}
