import type { ExitInfo } from '../process/spawn-agent.js';
import type { RunStatus } from '../run-status.js';

export type { RunStatus } from '../run-status.js';

/** What the supervisor saw of a run, the input of `decideOutcome`. */
export interface RunObservation {
  exit: ExitInfo;
  /** The CLI's final event, if one arrived. */
  final?: { ok: boolean; error?: string; denials?: number; ceiling?: 'cost' };
  /** Why orchestrate itself stopped the run, if it did. */
  stoppedBy?: 'timeout' | 'stall' | 'interrupt' | 'safety' | 'escalation' | 'ceiling';
  stopReason?: string;
  /** Last stderr line, to explain a startup refusal. */
  stderrLastLine?: string;
}

/** The verdict on a run: status plus a one-line reason a person can act on. */
export interface RunOutcome {
  status: RunStatus;
  reason: string;
}

/**
 * Decides whether a run succeeded. Truthful outcomes: a run without its CLI's final event fails
 * whatever the exit code, and one that exits 0 with an error result fails too.
 */
export function decideOutcome(o: RunObservation): RunOutcome {
  const how = o.exit.signal ? `killed by ${o.exit.signal}` : `exit code ${o.exit.code}`;
  switch (o.stoppedBy) {
    case 'timeout':
      return { status: 'timed_out', reason: o.stopReason ?? 'ran past its time budget' };
    case 'stall':
      return { status: 'stalled', reason: o.stopReason ?? 'no event for too long' };
    case 'interrupt':
      return { status: 'interrupted', reason: o.stopReason ?? 'the session was interrupted' };
    case 'safety':
      return { status: 'stopped_by_safety', reason: o.stopReason ?? 'stopped by the safety policy' };
    case 'escalation':
      return { status: 'escalated', reason: o.stopReason ?? 'a person must decide' };
    case 'ceiling':
      return { status: 'ceiling_reached', reason: `stopped at its spend ceiling: ${o.stopReason ?? 'past its share'}` };
    case undefined:
      break;
  }
  if (!o.final) {
    const detail = o.stderrLastLine ? `: ${o.stderrLastLine}` : '';
    return { status: 'failed', reason: `ended without its final event (${how})${detail}` };
  }
  // the CLI's own ceiling ended it (claude --max-budget-usd): a ceiling, not a failure of the agent
  if (!o.final.ok && o.final.ceiling)
    return { status: 'ceiling_reached', reason: `the CLI stopped at its spend ceiling: ${o.final.error ?? 'budget reached'}` };
  if (!o.final.ok) return { status: 'failed', reason: `its result is an error (${how}): ${o.final.error ?? 'no message'}` };
  if (o.exit.code !== 0) return { status: 'failed', reason: `${how} after a successful result` };
  return { status: 'succeeded', reason: 'completed' };
}
