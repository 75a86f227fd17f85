import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { AgentId } from '../agents/agent-id.js';
import { runBounded } from '../process/run-bounded.js';
import { decideReview } from '../review/decide.js';
import { reviewerChain, type ReviewerStep } from '../review/matrix.js';
import { detectTestCommand, mechanicalVerdict } from '../review/mechanical.js';
import { buildReviewDiff, type ReviewDiff } from '../review/review-diff.js';
import { buildReviewPrompt } from '../review/review-prompt.js';
import { reviewRecordPath, writeReviewRecord, type FailedAttempt } from '../review/review-record.js';
import type { ReviewSettings } from '../review/review-settings.js';
import type { ReviewTrigger } from '../review/triggers.js';
import { parseVerdict, repairPrompt, VERDICT_JSON_SCHEMA, type Verdict } from '../review/verdict.js';
import { diffSnapshots, type FileSnapshot } from '../session/file-snapshot.js';
import type { AssignmentState } from './assignment-state.js';
import { agentEnvFor } from './launch-context.js';
import type { SessionRuntime } from './session-runtime.js';
import { startRun } from './start-run.js';
import type { GitResult } from '../process/safe-git.js';

/** A safe-git result in the review diff's runner shape. */
function gitText(r: GitResult): { ok: boolean; stdout: string } {
  return { ok: r.ok, stdout: r.stdout.toString('utf8') };
}

/** One review to carry out. */
export interface ReviewJob {
  review: number;
  trigger: ReviewTrigger;
  author: AgentId;
  state: AssignmentState;
  roundsUsed: number;
  settings: ReviewSettings;
  /** The target as each assignment's last review saw it (the coordinator's): the diff starts there. */
  lastSeen: Map<string, FileSnapshot>;
}

/** A reviewer's run gets the validation share of the budget, at least a minute. */
const MIN_REVIEW_MS = 60_000;
const MECHANICAL_TEST_MS = 5 * 60_000;
/** The default validation share (plan/defaults.ts): a review is validation work. */
const REVIEW_SHARE = 0.15;

/**
 * Carries out one review: tries the reviewer chain (preferred, other agent, the author's own CLI
 * fresh, orchestrate's mechanical review) until one gives a verdict that validates, journals each
 * step, writes `reviews/<nnn>-<reviewer>-reviews-<author>.json`, and journals the decision.
 */
export async function runReview(rt: SessionRuntime, job: ReviewJob): Promise<void> {
  const { review, author, state } = job;
  const assignment = state.assignment.id;
  const tag = { review, assignment };
  // the tree's own picture: a walk only when an agent may have changed it since the last one
  const copy = rt.copies.forAssignment(assignment);
  const now = copy.tree.current();
  const changes = diffSnapshots(job.lastSeen.get(assignment) ?? copy.tree.initial, now);
  job.lastSeen.set(assignment, now);
  // git on orchestrate's own repository, against the commit the assignment started from
  const diff = buildReviewDiff({
    target: copy.dir,
    changes,
    isGitRepo: true,
    base: copy.base,
    git: (args, cwd) => gitText(rt.copies.repo.run(args, { dir: cwd, index: copy.index })),
  });
  const prompt = buildReviewPrompt({
    task: rt.opts.task,
    assignment: { id: assignment, role: state.assignment.role, agent: author, description: state.assignment.title },
    ...authorSummary(state),
    diff,
    trigger: job.trigger,
  });
  const schemaFile = writeSchemaFile(rt);
  const attempts: FailedAttempt[] = [];
  const chain = reviewerChain(author, rt.available, rt.opts.config.review.matrix);
  for (const [index, step] of chain.entries()) {
    if (rt.stop.stopped) return;
    rt.journal.append({
      type: 'review.reviewer',
      ...tag,
      tier: step.tier,
      reviewer: step.reviewer,
      degraded: step.degraded,
      reason: step.reason,
    });
    const outcome =
      step.reviewer === 'orchestrate'
        ? await mechanicalReview(rt, author, assignment, diff)
        : await agentReview(rt, job, step.reviewer, `review-${review}-${index + 1}`, prompt, schemaFile);
    if (!outcome.ok) {
      if (rt.stop.stopped) return;
      attempts.push({
        tier: step.tier,
        reviewer: step.reviewer,
        reason: outcome.reason,
        ...(outcome.rawOutput ? { rawOutput: outcome.rawOutput } : {}),
      });
      rt.journal.append({ type: 'review.failed', ...tag, tier: step.tier, reviewer: step.reviewer, reason: outcome.reason });
      continue;
    }
    conclude(rt, job, step, outcome.verdict, { prompt, diff, attempts, ...(outcome.rawOutput ? { rawOutput: outcome.rawOutput } : {}) });
    return;
  }
}

type ReviewOutcome = { ok: true; verdict: Verdict; rawOutput?: string } | { ok: false; reason: string; rawOutput?: string };

/** A review by an agent CLI, read-only, with one repair retry when its answer does not validate. */
async function agentReview(
  rt: SessionRuntime,
  job: ReviewJob,
  reviewer: AgentId,
  run: string,
  prompt: string,
  schemaFile: string,
): Promise<ReviewOutcome> {
  const budget = Math.max(MIN_REVIEW_MS, Math.round(rt.opts.timeoutMs * REVIEW_SHARE));
  const request = {
    assignment: job.state.assignment,
    agent: reviewer,
    mode: 'review' as const,
    timeoutMs: budget,
    outputSchema: { json: JSON.stringify(VERDICT_JSON_SCHEMA), file: schemaFile },
    tags: { review: job.review, role: 'review' },
  };
  const first = await startRun(rt, { ...request, run, prompt });
  const rawOutput = path.join(first.runDir, 'stdout.jsonl');
  let parsed = parseVerdict(answerOf(first.result));
  if (parsed.ok) return { ok: true, verdict: parsed.verdict, rawOutput };
  if (rt.stop.stopped) return { ok: false, reason: 'the session was stopped', rawOutput };
  const firstError = first.result.status === 'succeeded' ? parsed.error : `${first.result.reason}; ${parsed.error}`;
  // one repair retry, in the same CLI session when it gave one (its context is kept)
  if (first.result.status !== 'timed_out' && first.result.status !== 'stopped_by_safety') {
    const repair = await startRun(rt, {
      ...request,
      run: `${run}.repair`,
      prompt: first.result.cliSessionId ? repairPrompt(parsed.error) : `${prompt}\n\n${repairPrompt(parsed.error)}`,
      ...(first.result.cliSessionId ? { resumeSessionId: first.result.cliSessionId } : {}),
    });
    parsed = parseVerdict(answerOf(repair.result));
    const repairOutput = path.join(repair.runDir, 'stdout.jsonl');
    if (parsed.ok) return { ok: true, verdict: parsed.verdict, rawOutput: repairOutput };
    return {
      ok: false,
      reason: `no valid verdict after a repair retry: ${firstError}; then ${repair.result.status === 'succeeded' ? parsed.error : repair.result.reason}`,
      rawOutput: repairOutput,
    };
  }
  return { ok: false, reason: `no valid verdict: ${firstError}`, rawOutput };
}

function answerOf(result: { structured?: unknown; finalText?: string }): { structured?: unknown; text?: string } {
  return {
    ...(result.structured !== undefined ? { structured: result.structured } : {}),
    ...(result.finalText !== undefined ? { text: result.finalText } : {}),
  };
}

/** orchestrate's own review: the target's tests, run in the author's sandbox, and the diff's statistics. */
async function mechanicalReview(rt: SessionRuntime, author: AgentId, assignment: string, diff: ReviewDiff): Promise<ReviewOutcome> {
  const work = rt.copies.forAssignment(assignment).dir;
  const command = detectTestCommand(work);
  if (!command) return { ok: true, verdict: mechanicalVerdict({ diffStats: diff.stats }) };
  const [file, ...args] = command as [string, ...string[]];
  const env = agentEnvFor(author, rt.opts.env, rt.opts.config);
  const wrapped = rt.opts.sandbox.wrap({ file, args, env: {} }, { agent: author, env, sessionDir: rt.paths.root, workDir: work });
  const result = await runBounded(wrapped.file, wrapped.args, {
    cwd: work,
    env: { ...env, ...wrapped.env },
    timeoutMs: MECHANICAL_TEST_MS,
    signal: rt.stop.signal,
  });
  wrapped.afterRun?.();
  const exitCode = result.timedOut ? 124 : (result.exitCode ?? 1);
  return { ok: true, verdict: mechanicalVerdict({ test: { command, exitCode, outputTail: result.outputTail }, diffStats: diff.stats }) };
}

/** Journals the verdict, writes the record, decides by the four rules and journals the decision. */
function conclude(
  rt: SessionRuntime,
  job: ReviewJob,
  step: ReviewerStep,
  verdict: Verdict,
  context: { prompt: string; diff: ReviewDiff; attempts: FailedAttempt[]; rawOutput?: string },
): void {
  const assignment = job.state.assignment.id;
  const file = reviewRecordPath(rt.paths.reviewsDir, job.review, step.reviewer, job.author);
  const record = path.relative(rt.paths.root, file);
  rt.journal.append({
    type: 'review.verdict',
    review: job.review,
    assignment,
    tier: step.tier,
    reviewer: step.reviewer,
    degraded: step.degraded,
    verdict,
    record,
  });
  const decision = decideReview({
    verdict,
    roundsUsed: job.roundsUsed,
    maxRounds: job.settings.maxRounds,
    finished: job.trigger.kind === 'finished',
  });
  const promptFile = path.join(path.dirname(file), `${path.basename(file, '.json')}.prompt.md`);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(promptFile, context.prompt);
  writeReviewRecord(file, {
    review: job.review,
    assignment,
    author: job.author,
    reviewer: step.reviewer,
    tier: step.tier,
    degraded: step.degraded,
    trigger: job.trigger,
    request: { promptFile: path.relative(rt.paths.root, promptFile), diffStats: context.diff.stats, cut: context.diff.cut },
    ...(context.rawOutput ? { rawOutput: context.rawOutput } : {}),
    attempts: context.attempts,
    verdict,
    decision,
  });
  rt.journal.append({
    type: 'review.decision',
    review: job.review,
    assignment,
    author: job.author,
    rule: decision.rule,
    decision: decision.decision,
    inputs: decision.inputs,
  });
}

/** The author's own account: its last DONE/MILESTONE line, else its last message. */
function authorSummary(state: AssignmentState): { authorSummary?: string } {
  const messages = state.result?.lastMessages ?? [];
  const text = state.result?.finalText ?? messages.at(-1);
  return text ? { authorSummary: text.slice(0, 2000) } : {};
}

/** codex takes the verdict schema as a file; written once per session into its directory (readable in the sandbox). */
function writeSchemaFile(rt: SessionRuntime): string {
  const file = path.join(rt.paths.reviewsDir, 'verdict.schema.json');
  if (existsSync(file)) return file;
  mkdirSync(rt.paths.reviewsDir, { recursive: true });
  writeFileSync(file, `${JSON.stringify(VERDICT_JSON_SCHEMA, null, 2)}\n`);
  return file;
}
