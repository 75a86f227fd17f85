import type { AgentId } from '../agents/agent-id.js';
import type { AgentEvent } from '../events/agent-event.js';
import type { PreExecutionLedger } from './hook/pre-execution-ledger.js';

/** What a policy may ask the supervisor to do about a run. */
export type PolicyAction =
  | { type: 'stop'; status: 'stopped_by_safety'; reason: string }
  | { type: 'journal'; entryType: 'safety.command' | 'safety.violation'; data: Record<string, unknown> };

/** The run a policy is looking at. */
export interface RunContext {
  agent: AgentId;
  assignmentId: string;
  cwd: string;
  /** The run's pre-execution hook is live: what it prevented, for the stream guard. */
  ledger?: PreExecutionLedger;
}

/**
 * A rule applied to events as they arrive (safety, limits, recovery triggers). Pure with respect to
 * the journal: the same events in give the same actions out.
 */
export interface EventPolicy {
  readonly name: string;
  onEvent(run: RunContext, event: AgentEvent): PolicyAction[];
  /** Lines of stderr, for CLIs that report some things only there (codex execpolicy denials). */
  onStderrLine?(run: RunContext, line: string): PolicyAction[];
}
