import type { AgentId } from '../agents/agent-id.js';
import { isAgentId } from '../agents/agent-id.js';
import type { Plan } from '../plan/types.js';
import type { JournalEntry } from '../session/journal-entry.js';
import type { SessionState } from '../session/session-state.js';
import { NO_CHANGES, type AssignmentState } from './assignment-state.js';

/** A session to continue (`orchestrate resume`): its directory, state, plan and journal so far. */
export interface ResumeInput {
  dir: string;
  state: SessionState;
  plan: Plan;
  entries: JournalEntry[];
  lastSeq: number;
}

/**
 * Where each assignment stands after an interruption, from the journal alone: finished and
 * reviewed ones stay finished; one finished but not yet reviewed gets its review again; the
 * others restart, resuming the agent's own CLI session when its stream gave an id.
 */
export function resumeStates(plan: Plan, entries: readonly JournalEntry[], reviewsOn: boolean): Map<string, AssignmentState> {
  const states = new Map<string, AssignmentState>();
  for (const a of plan.assignments) {
    const own = entries.filter((e) => e.assignment === a.id && e['review'] === undefined && e['role'] !== 'review');
    const finished = own.filter((e) => e.type === 'assignment.finished').at(-1);
    // who has the work now: the agent of its last start, or the one a later fallback handed it to
    // (a fallback within a run journals recovery.fallback, not a new assignment.started)
    const handedTo = own
      .map((e) => (e.type === 'assignment.started' ? e.agent : e.type === 'recovery.fallback' ? e['to'] : undefined))
      .filter((x): x is AgentId => typeof x === 'string' && isAgentId(x))
      .at(-1);
    const agent = handedTo ?? a.agent;
    const runs = own.filter((e) => e.type === 'agent.launched' && typeof e['run'] === 'string').map((e) => String(e['run']));
    const sessionId = own.filter((e) => e.type === 'agent.session' && e.agent === agent && typeof e['sessionId'] === 'string').at(-1)?.[
      'sessionId'
    ] as string | undefined;
    const s: AssignmentState = {
      assignment: a,
      agent: agent as AgentId,
      status: 'pending',
      reason: 'resumed',
      changes: NO_CHANGES,
      runs: [...new Set(runs)],
      durationMs: 0,
    };
    if (sessionId) s.cliSessionId = sessionId;
    // the agents it was taken from stay lost (the summary and later fallbacks read this)
    const from = own
      .filter((e) => e.type === 'recovery.fallback')
      .map((e) => e['from'])
      .filter((x): x is AgentId => typeof x === 'string' && isAgentId(x));
    if (from.length) s.fallbackFrom = [...new Set(from)];
    const done = finished?.['status'] === 'succeeded';
    const decided = entries.some(
      (e) =>
        e.type === 'review.decision' &&
        e.assignment === a.id &&
        e['decision'] === 'complete' &&
        finished !== undefined &&
        e.seq > finished.seq,
    );
    if (done && (!reviewsOn || decided)) {
      s.status = 'succeeded';
      s.reason = 'finished before the interruption';
    } else if (done) {
      s.resume = { awaitReview: true };
    } else if (sessionId) {
      s.resume = { sessionId };
    }
    states.set(a.id, s);
  }
  return states;
}
