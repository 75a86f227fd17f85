import type { AgentEvent, ReportKind } from './agent-event.js';

const PREFIXES: ReadonlyArray<[string, ReportKind]> = [
  ['MILESTONE:', 'milestone'],
  ['BLOCKER:', 'blocker'],
  ['REVIEW_REQUEST:', 'review_request'],
  ['DONE:', 'done'],
];

/** Leading whitespace and markdown emphasis, quote or list markers allowed before a prefix. */
const MARKUP = /^[\s>*_`-]+/;

/** The report kind a line starts with, if it is a report line. */
function reportKind(rawLine: string): { kind: ReportKind; rest: string } | undefined {
  const line = rawLine.replace(MARKUP, '');
  for (const [prefix, kind] of PREFIXES) if (line.startsWith(prefix)) return { kind, rest: line.slice(prefix.length) };
  return undefined;
}

/** True for a line of the report protocol (`MILESTONE: …`, `**DONE:** …`). */
export function isReportLine(line: string): boolean {
  return reportKind(line) !== undefined;
}

/**
 * Finds the prompt protocol's report lines in an assistant message. A line counts when,
 * after leading whitespace and markdown emphasis or list markers, it starts with the prefix.
 */
export function extractReports(text: string): AgentEvent[] {
  const reports: AgentEvent[] = [];
  for (const rawLine of text.split(/\r?\n/)) {
    const found = reportKind(rawLine);
    // `**BLOCKER:** text`: drop the emphasis that closes after the prefix.
    if (found) reports.push({ type: 'agent.report', kind: found.kind, text: found.rest.replace(/^[*_`]+/, '').trim() });
  }
  return reports;
}
