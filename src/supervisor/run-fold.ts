import type { AgentEvent } from '../events/agent-event.js';
import type { RunObservation } from './run-outcome.js';

/** The events the error catalogue looks at: only failure-shaped kinds, so the list stays small. */
const EVIDENCE_TYPES = new Set(['agent.permission_denied', 'agent.result', 'agent.error', 'agent.api_retry', 'agent.rate_limit']);
const MAX_EVIDENCE = 200;
const MAX_LAST_MESSAGES = 5;

/** What a run's events add up to. */
export interface RunFacts {
  /** The CLI's own session id (for resume), if its stream gave one. */
  cliSessionId?: string;
  /** The CLI's final event, if one arrived. */
  final?: NonNullable<RunObservation['final']>;
  finalText?: string;
  structured?: unknown;
  usage: { inputTokens: number; outputTokens: number; costUsd: number };
  /** The last assistant messages, carried into a fallback agent's prompt. */
  lastMessages: string[];
  evidence: AgentEvent[];
}

export function emptyRunFacts(): RunFacts {
  return { usage: { inputTokens: 0, outputTokens: 0, costUsd: 0 }, lastMessages: [], evidence: [] };
}

/**
 * Adds one event to a run's facts. Pure apart from updating `facts` in place (a run's stream can
 * be long; copying per event would cost O(n²)): the same events in give the same facts out.
 */
export function foldRunEvent(facts: RunFacts, event: AgentEvent): void {
  if (facts.evidence.length < MAX_EVIDENCE && (EVIDENCE_TYPES.has(event.type) || isDeniedShell(event))) facts.evidence.push(event);
  switch (event.type) {
    case 'agent.session':
      facts.cliSessionId = event.sessionId;
      break;
    case 'agent.message':
      facts.lastMessages.push(event.text);
      if (facts.lastMessages.length > MAX_LAST_MESSAGES) facts.lastMessages.shift();
      break;
    case 'agent.usage':
      facts.usage.inputTokens += event.inputTokens;
      facts.usage.outputTokens += event.outputTokens;
      facts.usage.costUsd += event.costUsd ?? 0;
      break;
    case 'agent.result': {
      const final: NonNullable<RunObservation['final']> = { ok: event.ok };
      if (event.error !== undefined) final.error = event.error;
      if (event.denials !== undefined) final.denials = event.denials;
      facts.final = final;
      if (event.text !== undefined) facts.finalText = event.text;
      else delete facts.finalText;
      if (event.structured !== undefined) facts.structured = event.structured;
      else delete facts.structured;
      break;
    }
    default:
      break;
  }
}

/** The run saw the environment refuse it: a denial event, or a denied shell call. */
export function sawDenial(facts: RunFacts): boolean {
  return (facts.final?.denials ?? 0) > 0 || facts.evidence.some((e) => e.type === 'agent.permission_denied' || isDeniedShell(e));
}

/**
 * A tool's output that says the environment refused it: the OS refused a write (bash's and Node's
 * texts), or a sandbox or executable could not start. Such a run is diagnosed even if it "succeeded".
 */
export function isDeniedShell(event: AgentEvent): boolean {
  return (
    event.type === 'agent.tool_result' &&
    typeof event.output === 'string' &&
    /Permission denied|Read-only file system|read-only file system|EACCES|EPERM|bwrap: |execvp /.test(event.output)
  );
}
