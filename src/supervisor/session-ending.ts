import { EXIT, type ExitCode } from '../errors.js';
import type { Plan } from '../plan/types.js';
import type { Journal } from '../session/journal.js';
import type { JournalEntry } from '../session/journal-entry.js';
import type { SessionPaths } from '../session/paths.js';
import { collectFacts } from '../session/session-facts.js';
import type { SessionState } from '../session/session-state.js';
import { writeSummary, type Summary } from '../session/summary.js';
import { NO_CHANGES, type AssignmentState } from './assignment-state.js';
import { buildSummary } from './build-summary.js';
import type { SessionOptions } from './session-options.js';
import { copyNotes } from './session-copy.js';
import type { WorkCopies } from './work-copies.js';
import type { SessionBudget } from '../budget/session-budget.js';

/** What a session has when it ends: read at the moment it ends (a forced stop can come at any time). */
export interface SessionEnding {
  id: string;
  opts: SessionOptions;
  paths: SessionPaths;
  journal: Journal;
  state: SessionState;
  saveState: () => void;
  plan: Plan | undefined;
  states: Map<string, AssignmentState>;
  copies: WorkCopies | undefined;
  startedAt: number;
  notes: string[];
  failure: string | undefined;
  usage: Summary['agents'];
  factEntries: JournalEntry[];
  /** The session's time and spend budget, once the plan is known. */
  budget: SessionBudget | undefined;
  /** What a forced stop records the assignments still running as (timed out when it was the --timeout backstop's). */
  stoppedAs?: 'interrupted' | 'timed_out';
}

/**
 * Writes how the session ended, synchronously: summary.json/md, session.json, and the journal's
 * `session.completed`, then closes the journal. `forced` is set when orchestrate is about to exit
 * without waiting for the stop to finish (the StopGuard): the assignments still running are
 * recorded as interrupted by it (timed out, when the stop was the --timeout backstop's), and the
 * summary says the stop was forced.
 */
export function endSession(e: SessionEnding, code: ExitCode, forced?: string): Summary {
  const notes = [...e.notes];
  let exitCode = code;
  if (forced) {
    for (const s of e.states.values()) {
      if (s.status !== 'running') continue;
      s.status = e.stoppedAs ?? 'interrupted';
      s.reason = `${forced} while it ran`;
      e.state.assignments[s.assignment.id] = { ...e.state.assignments[s.assignment.id], agent: s.agent, status: s.status };
    }
    notes.push(
      `${forced[0]?.toUpperCase()}${forced.slice(1)}: every agent was killed without waiting for its stop; work not yet committed to the session copy is not counted.`,
    );
  }
  const facts = collectFacts(e.factEntries);
  if (exitCode === EXIT.OK && e.opts.review.strict && facts.reviews.some((r) => r.degraded)) {
    exitCode = EXIT.REVIEW_REJECTED;
    notes.push('A review was degraded (no independent reviewer gave the verdict) and --strict is on.');
  }
  const endedAt = e.opts.clock.now();
  let filesChanged = NO_CHANGES;
  if (e.copies) {
    try {
      filesChanged = e.copies.sessionChanges();
      notes.push(...copyNotes(e.copies, e.id, e.opts.target, e.opts.workspace));
    } catch (error) {
      // only a forced ending gets here with a copy in an unknown state: say so rather than fail to write
      if (!forced) throw error;
      notes.push(`The files changed could not be read from the session copy: ${(error as Error).message.split('\n')[0]}.`);
    }
  }
  const spend = e.budget?.report();
  if (exitCode === EXIT.CEILING)
    notes.push(
      `Stopped at a spend ceiling${spend?.reason ? `: ${spend.reason}` : ''}. Continue with: orchestrate resume ${e.id} --max-cost <usd> (or --max-tokens <n>).`,
    );
  const summary = buildSummary({
    ...e,
    states: e.states.values(),
    exitCode,
    endedAt,
    filesChanged,
    notes,
    facts,
    ...(spend ? { spend } : {}),
  });
  writeSummary(e.paths.summaryJson, e.paths.summaryMd, summary);
  e.state.state = exitCode === EXIT.OK ? 'completed' : exitCode === EXIT.INTERRUPTED ? 'interrupted' : 'failed';
  e.state.endedAt = new Date(endedAt).toISOString();
  e.state.outcome = summary.outcome;
  e.state.exitCode = exitCode;
  e.saveState();
  e.journal.append({
    type: 'session.completed',
    sessionId: e.id,
    exitCode,
    outcome: summary.outcome,
    ...(spend ? { spend } : {}),
    ...(summary.nothingChanged ? { nothingChanged: true } : {}),
    ...(forced ? { forced } : {}),
    dir: e.paths.root,
    ...(e.failure ? { error: { code: exitCode, message: e.failure } } : {}),
  });
  e.journal.close();
  return summary;
}
