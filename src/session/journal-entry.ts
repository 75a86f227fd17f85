import type { AgentEvent } from '../events/agent-event.js';

/**
 * The journal's entries: one discriminated union on `type`, so writers must give each entry's
 * fields and a reader that narrows on `type` reads them typed (a renamed field fails to compile).
 *
 * Each member names its fields and their types; they are optional because a journal read back
 * may come from another version (or a test) and a reader must handle a missing field anyway. A
 * member is open (`[field: string]: unknown`) so a field added on another branch still compiles;
 * a new entry TYPE must be added here (an unknown type does not compile).
 */
interface Base {
  agent?: string;
  assignment?: string;
  [field: string]: unknown;
}

/** What every run's entries carry besides the event: a review run's are tagged with the review. */
interface RunTags {
  type: string;
  agent: string;
  assignment: string;
  /** Review runs: the review number, and `role: "review"`. */
  review?: number;
  role?: string;
}

/** One member: its type exactly, its fields typed but optional, anything else allowed. */
type Member<T extends { type: string }> = Base & { type: T['type'] } & Partial<Omit<T, 'type'>>;

type Sandbox = { active: boolean; reason: string };
type Changes = { added: string[]; modified: string[]; deleted: string[] };

/** The normalised agent events, as journaled with their run's tags. */
export type AgentEventEntry = AgentEvent extends infer E ? (E extends { type: string } ? Member<Omit<RunTags, 'type'> & E> : never) : never;

/** The orchestrator's own decisions. */
export type DecisionEntry =
  // session
  | Member<{
      type: 'session.started';
      sessionId: string;
      task: string;
      target: string;
      workspace: string;
      dir: string;
      version: string;
      pid: number;
      sandbox: Sandbox;
      review: unknown;
    }>
  | Member<{
      type: 'session.resumed';
      sessionId: string;
      pid: number;
      previousState: string;
      afterSeq: number;
      dir: string;
      sandbox: Sandbox;
    }>
  | Member<{ type: 'session.stopping'; by: string }>
  | Member<{ type: 'session.blocker'; blocker: string; rerun?: string }>
  | Member<{ type: 'session.error'; message: string; exitCode: number; hint?: string }>
  | Member<{ type: 'session.crashed'; reason?: string }>
  | Member<{
      type: 'session.completed';
      sessionId: string;
      exitCode: number;
      outcome: string;
      dir: string;
      error?: { code: number; message: string };
      forced?: string;
    }>
  | Member<{
      type: 'plan.created';
      tier: string;
      tierReason: string;
      weights: unknown;
      source: string;
      assignments: Array<{ id: string; agent: string; role: string; weight: number; dependsOn: string[]; reason: string }>;
    }>
  // agents and assignments
  | Member<{ type: 'agent.probe'; agent: string; available: boolean; version?: string; reason?: string }>
  | Member<{ type: 'agent.launched'; agent: string; assignment: string; pid: number; pgid: number; run: string; argv: unknown }>
  | Member<{ type: 'agent.start_failed'; agent: string; reason: string }>
  | Member<{ type: 'agent.stopping'; agent: string; by: string; reason: string }>
  | Member<{
      type: 'agent.exited';
      agent: string;
      assignment: string;
      code: number | null;
      signal: string | null;
      killedBy: string | null;
      finalEvent: boolean;
      status: string;
      reason: string;
      durationMs: number;
    }>
  | Member<{ type: 'agent.paused' | 'agent.resumed'; agent: string; assignment: string; run: string; pids: number[] }>
  | Member<{
      type: 'assignment.started';
      agent: string;
      assignment: string;
      role: string;
      weight: number;
      budgetMs: number;
      run: string;
      revision?: number;
    }>
  | Member<{ type: 'assignment.finished'; agent: string; assignment: string; status: string; reason?: string; filesChanged: Changes }>
  | Member<{ type: 'assignment.skipped'; agent: string; assignment: string; reason: string }>
  | Member<{ type: 'assignment.resuming'; agent: string; assignment: string; awaitReview: boolean; resumeSessionId?: string }>
  // safety (command and violation entries come from the event policies as data)
  | Member<{
      type: 'safety.command' | 'safety.violation';
      command?: string;
      decision?: string;
      rule?: string;
      reason?: string;
      kind?: string;
      path?: string;
      /** `hook` (layer 1, before execution), `cli` (the CLI's own rules), `stream` (layer 2). */ layer?: string;
      action?: string;
      preventedBy?: string;
      awaiting?: string;
    }>
  | Member<{ type: 'safety.sandbox_off'; reason: string }>
  | Member<{ type: 'safety.sandbox'; reason: string }>
  | Member<{
      type: 'safety.sandbox_self_test';
      agents: string[];
      ok: boolean;
      failures: Array<{ agent: string; check: string; detail: string; fix: string }>;
    }>
  | Member<{ type: 'safety.sandbox_after_run'; agent: string; assignment: string; run: string; notes: string[] }>
  | Member<{ type: 'safety.layer1'; notes: unknown }>
  /** The decision point every CLI's pre-execution hook asks is listening (issue 12). */
  | Member<{ type: 'safety.hooks_ready'; socket: string; client: string; warmMs: number }>
  /** The session's spawn service runs git's commands (pid), or was not built (reason). */
  | Member<{ type: 'session.spawn_service'; pid: number; reason: string }>
  /** A hook call the decision point could not read: blocked, fail closed. */
  | Member<{ type: 'safety.hook_error'; layer: 'hook'; reason: string }>
  | Member<{ type: 'safety.confirm_requested'; agent: string; command: string; rule: string; reason: string }>
  | Member<{
      type: 'safety.confirm_answered';
      agent: string;
      command: string;
      rule: string;
      reason: string;
      answer: 'allow' | 'deny';
      by: 'person' | 'policy' | 'timeout';
    }>
  | Member<{ type: 'safety.confirm_refused'; reason: string }>
  | Member<{ type: 'safety.limit_warning' | 'safety.limit_exceeded' }>
  | Member<{ type: 'safety.limit_sampling_failed'; message: string }>
  | Member<{ type: 'safety.outside_changes'; added: string[]; modified: string[]; deleted: string[]; truncated: boolean }>
  // recovery
  | Member<{ type: 'recovery.prepared'; id: string; reason: string }>
  | Member<{ type: 'recovery.diagnosis'; id: string; handling: string; cause: string; fix: string; matched: string }>
  | Member<{ type: 'recovery.relaunch'; cause: string; attempt: number; delayMs: number; detail: string }>
  | Member<{ type: 'recovery.parked'; cause: string; until: string; detail: string }>
  /** A parked agent goes on: its limit's reset time passed. */
  | Member<{ type: 'recovery.unparked'; cause: string; until: string; waitedMs: number }>
  | Member<{ type: 'recovery.fallback'; cause: string; from: string; to: string; detail: string }>
  | Member<{ type: 'recovery.escalated'; cause: string; question: string; detail: string; rerun: string }>
  | Member<{ type: 'recovery.answered'; cause: string; answer: string; by: string }>
  | Member<{ type: 'recovery.gave_up'; detail: string }>
  // reviews (docs/reviews.md)
  | Member<{ type: 'review.requested'; review: number; author: string }>
  | Member<{ type: 'review.coalesced' | 'review.deferred'; openReview: number }>
  | Member<{ type: 'review.reviewer'; review: number; tier: string; reviewer: string; degraded: boolean }>
  | Member<{ type: 'review.failed'; review: number; tier: string; reviewer: string; reason: string }>
  | Member<{ type: 'review.verdict'; review: number; tier: string; reviewer: string; degraded: boolean; verdict: unknown; record: unknown }>
  | Member<{ type: 'review.decision'; review: number; rule: number; decision: string }>
  | Member<{ type: 'review.timer'; lastReviewAt: string; timerMs: number }>
  | Member<{ type: 'review.revise_started'; review: number; round: number }>
  | Member<{ type: 'review.escalated'; review: number; rule: number; running: boolean }>
  | Member<{ type: 'review.escalation_answered'; review: number; answer: string; by: string }>
  | Member<{ type: 'review.abandoned'; review: number; reason: string }>
  // time and spend (src/budget/)
  | Member<{ type: 'budget.launch'; run: string; windowMs: number; share: { costUsd?: number; tokens?: number } }>
  | Member<{ type: 'budget.reached'; ceiling: 'cost' | 'tokens'; reason: string; spend: unknown }>
  | Member<{ type: 'budget.price_unknown'; model: string; hint: string }>
  // control and the dashboard
  | Member<{ type: 'control.request'; requestId: string; action: string; requesterPid: number }>
  | Member<{ type: 'control.result'; requestId: string; action: string; result: string; message: string }>
  | Member<{ type: 'control.error'; message: string }>
  | Member<{ type: 'dashboard.answered'; question: string; kind: string; answer: string }>
  // the session copy (issue 11)
  | Member<{
      type: 'copy.created';
      workDir: string;
      gitDir: string;
      branch: string;
      baseline: string;
      files: number;
      bytes: number;
      ms: number;
    }>
  | Member<{ type: 'copy.committed'; run: string; commit: string; added: number; modified: number; deleted: number }>
  | Member<{ type: 'copy.not_carried'; run: string; files: unknown[] }>
  | Member<{ type: 'copy.merged'; commit: string }>
  | Member<{ type: 'copy.merge_conflict'; files: string[] }>;

/** What callers append; the journal adds `seq` and `time`. */
export type JournalInput = AgentEventEntry | DecisionEntry;

/** Every entry type. */
export type JournalType = JournalInput['type'];

/** One line of `events.jsonl`. `seq` starts at 1 and never repeats within a session; `time` is ISO-8601. */
export type JournalEntry = JournalInput & { seq: number; time: string };

/** The entry of one type. */
export type EntryOf<T extends JournalType> = Extract<JournalEntry, { type: T }>;

/** Narrows an entry to its type's member: `if (isEntry(e, 'agent.exited')) e.status`. */
export function isEntry<T extends JournalType>(e: { type: string }, type: T): e is EntryOf<T> {
  return e.type === type;
}
