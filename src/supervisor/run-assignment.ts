import { EXIT } from '../errors.js';
import { buildPrompt } from '../plan/prompts.js';
import { resumeTree, suspendTree } from '../process/suspend-tree.js';
import { revisePrompt } from '../review/revise-prompt.js';
import type { Verdict } from '../review/verdict.js';
import type { AssignmentState } from './assignment-state.js';
import { mergeChanges, NO_CHANGES } from './assignment-state.js';
import { interruptedPrompt } from '../recovery/prompts.js';
import type { DecisionEntry, ReviewCoordinator } from './review-coordinator.js';
import type { SessionRuntime } from './session-runtime.js';
import { startRun, type RunRecord } from './start-run.js';
import { recover } from './recover-run.js';
import { launchBudget } from './budget-link.js';

/** What the next piece of work on an assignment is. */
interface WorkStep {
  prompt: string;
  resumeSessionId?: string;
  /** Set for a revision: its round number. */
  revision?: number;
}

/**
 * Runs one assignment to its end: its work, then the peer reviews' decisions on it. A `revise`
 * resumes the author's own CLI session with the reviewer's issues; `escalate` asks a person (in a
 * terminal) or stops the session with the escalation code (headless); `complete` ends it.
 */
export async function runAssignment(rt: SessionRuntime, s: AssignmentState, reviews?: ReviewCoordinator): Promise<void> {
  let step: WorkStep = { prompt: buildPrompt(rt.plan, s.assignment) };
  if (s.resume?.awaitReview && reviews?.settings.enabled) {
    // resumed session: the work was done, its review was not; the re-journaled finish re-triggers it
    s.status = 'succeeded';
    s.reason = 'finished before the interruption';
    const next = await afterFinalReview(
      rt,
      s,
      reviews.nextDecision(s.assignment.id, isFinal, () => finishResumed(rt, s)),
    );
    if (!next) return;
    step = next;
  } else if (s.resume?.sessionId) {
    step = { prompt: interruptedPrompt(), resumeSessionId: s.resume.sessionId };
  }
  for (;;) {
    let pending: DecisionEntry | undefined;
    const offMidRun = reviews?.onDecision(s.assignment.id, (d) => {
      if (d.decision === 'revise') pending = d;
      else if (d.decision === 'escalate') void escalate(rt, s, d, true);
    });
    const record = await work(rt, s, step);
    offMidRun?.();
    if (s.status !== 'succeeded' || !reviews?.settings.enabled || rt.stop.stopped) {
      finish(rt, s, record);
      return;
    }
    // a review of the unfinished work asked for changes: make them before the final review
    if (pending) {
      finish(rt, s, record, 'revision_pending');
      step = revision(rt, s, pending);
      continue;
    }
    const next = await afterFinalReview(
      rt,
      s,
      reviews.nextDecision(s.assignment.id, isFinal, () => finish(rt, s, record)),
    );
    if (!next) return;
    step = next;
  }
}

/** A decision that ends the wait for a finished assignment's review (`continue` releases a deferred one). */
function isFinal(d: DecisionEntry): boolean {
  return d.decision !== 'continue';
}

/**
 * Acts on the decision about finished work: `complete` ends the assignment, `escalate` asks a
 * person or stops the session, `revise` returns the revision to run next.
 */
async function afterFinalReview(
  rt: SessionRuntime,
  s: AssignmentState,
  waiting: Promise<DecisionEntry | undefined>,
): Promise<WorkStep | undefined> {
  const decision = await waiting;
  if (!decision) {
    markStopped(rt, s);
    return undefined;
  }
  if (decision.decision === 'complete') return undefined;
  if (decision.decision === 'escalate') {
    await escalate(rt, s, decision, false);
    return undefined;
  }
  return revision(rt, s, decision);
}

/** The next step after a `revise`: resume the author's CLI session with the reviewer's issues. */
function revision(rt: SessionRuntime, s: AssignmentState, d: DecisionEntry): WorkStep {
  const round = (s.revisions = (s.revisions ?? 0) + 1);
  const verdict = (d['inputs'] as { verdict: Verdict }).verdict;
  rt.journal.append({
    type: 'review.revise_started',
    review: d.review,
    agent: s.agent,
    assignment: s.assignment.id,
    round,
    resumeSessionId: s.cliSessionId ?? null,
  });
  const prompt = revisePrompt({ verdict, round, original: buildPrompt(rt.plan, s.assignment), resumed: s.cliSessionId !== undefined });
  return { prompt, revision: round, ...(s.cliSessionId ? { resumeSessionId: s.cliSessionId } : {}) };
}

/**
 * A review escalated (rule 1 or 3). In a terminal a person decides, with the author paused;
 * headless the assignment ends as escalated and the session stops with the escalation code.
 * Returns true when the person let the work stand.
 */
async function escalate(rt: SessionRuntime, s: AssignmentState, d: DecisionEntry, running: boolean): Promise<boolean> {
  const verdict = (d['inputs'] as { verdict?: Verdict } | undefined)?.verdict;
  const what = `review ${d.review} (rule ${d.rule}) ${verdict ? `${verdict.verdict}: ${verdict.summary}` : 'could not be completed'}`;
  rt.journal.append({ type: 'review.escalated', review: d.review, agent: s.agent, assignment: s.assignment.id, rule: d.rule, running });
  const live = [...rt.live.values()].find((r) => r.assignment === s.assignment.id && r.review === undefined);
  if (rt.opts.ask) {
    if (live) await suspendTree(live.pid);
    const answer = await rt.opts.ask(`${what}\nLet ${s.agent}'s work on ${s.assignment.id} stand and go on?`);
    rt.journal.append({
      type: 'review.escalation_answered',
      review: d.review,
      agent: s.agent,
      assignment: s.assignment.id,
      answer,
      by: 'person',
    });
    if (live) resumeTree(live.pid);
    if (answer === 'yes') return true;
  }
  const reason = `${what}; a person must decide`;
  rt.journal.append({
    type: 'session.blocker',
    agent: s.agent,
    assignment: s.assignment.id,
    blocker: `${s.assignment.id}: ${reason}`,
    review: d.review,
  });
  live?.handle.stop('escalation', reason);
  s.status = 'escalated';
  s.reason = reason;
  if (!rt.opts.ask) rt.stop.stop(EXIT.ESCALATION, `review ${d.review} escalated (headless): ${s.assignment.id}`);
  return false;
}

/** Journals a resumed assignment's finish again, so its interrupted review is triggered anew. */
function finishResumed(rt: SessionRuntime, s: AssignmentState): void {
  rt.journal.append({
    type: 'assignment.finished',
    agent: s.agent,
    assignment: s.assignment.id,
    status: 'succeeded',
    reason: 'finished before the interruption; its review is run again',
    resumed: true,
    filesChanged: NO_CHANGES,
  });
}

/** The session stopped while the assignment waited for its review. */
function markStopped(rt: SessionRuntime, s: AssignmentState): void {
  if (s.status === 'escalated') return;
  s.status = rt.stop.status;
  s.reason = `stopped before its review decided: ${rt.stop.reason ?? 'the session was stopped'}`;
}

/** One piece of work (first run, revision) and the recoveries it needs, journaled as the assignment starting. */
async function work(rt: SessionRuntime, s: AssignmentState, step: WorkStep): Promise<RunRecord> {
  const a = s.assignment;
  rt.journal.append({
    type: 'assignment.started',
    agent: s.agent,
    assignment: a.id,
    role: a.role,
    weight: a.weight,
    budgetMs: a.budgetMs,
    run: s.runs.length === 0 ? a.id : `${a.id}.${s.runs.length + 1}`,
    ...(step.revision !== undefined ? { revision: step.revision } : {}),
  });
  return recover(rt, s, step, (launch) => {
    const run = nextRunName(s);
    return startRun(rt, {
      assignment: { ...a, agent: s.agent },
      agent: s.agent,
      run,
      mode: 'work',
      // the window along the plan and the ceiling shares, re-balanced on what is left now
      ...launchBudget(rt, s, run),
      ...launch,
    })
      .then((record) => {
        absorb(s, record);
        return record;
      })
      .finally(() => rt.budget?.ended(a.id));
  });
}

/** `<id>` for the first run, `<id>.2`, `<id>.3`… after it. */
export function nextRunName(s: AssignmentState): string {
  const n = s.runs.length + 1;
  const name = n === 1 ? s.assignment.id : `${s.assignment.id}.${n}`;
  s.runs.push(name);
  return name;
}

/** Folds one run into the assignment's state. */
export function absorb(s: AssignmentState, record: RunRecord): void {
  s.result = record.result;
  s.runDir = record.runDir;
  s.changes = mergeChanges(s.changes, record.changes);
  s.durationMs += record.result.durationMs;
  if (record.result.cliSessionId) s.cliSessionId = record.result.cliSessionId;
  if (s.status === 'escalated') return;
  const known = record.result.diagnoses[0];
  s.status = record.result.status;
  s.reason = known ? `${record.result.reason} [${known.entry.id}: ${known.entry.cause}; fix: ${known.entry.fix}]` : record.result.reason;
}

/** Journals the end of a piece of work on the assignment (its status, and what the run changed). */
export function finish(rt: SessionRuntime, s: AssignmentState, record: RunRecord, status = s.status): void {
  rt.journal.append({
    type: 'assignment.finished',
    agent: s.agent,
    assignment: s.assignment.id,
    status,
    reason: s.reason,
    run: record.runDir.split('/').at(-1),
    filesChanged: record.changes,
    ...(s.cliSessionId ? { cliSessionId: s.cliSessionId } : {}),
  });
}
