import type { AgentEvent, ReportKind } from './agent-event.js';

const PREFIXES: ReadonlyArray<[string, ReportKind]> = [
  ['MILESTONE:', 'milestone'],
  ['BLOCKER:', 'blocker'],
  ['REVIEW_REQUEST:', 'review_request'],
  ['DONE:', 'done'],
];

/**
 * Finds the prompt protocol's report lines in an assistant message. A line counts when,
 * after leading whitespace and markdown emphasis or list markers, it starts with the prefix.
 */
export function extractReports(text: string): AgentEvent[] {
  const reports: AgentEvent[] = [];
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.replace(/^[\s>*_`-]+/, '');
    for (const [prefix, kind] of PREFIXES) {
      if (line.startsWith(prefix)) {
        // `**BLOCKER:** text`: drop the emphasis that closes after the prefix.
        reports.push({ type: 'agent.report', kind, text: line.slice(prefix.length).replace(/^[*_`]+/, '').trim() });
        break;
      }
    }
  }
  return reports;
}
