import { formatDuration } from '../config/duration.js';
import type { Summary } from '../session/summary.js';
import { formatSpendLines } from '../budget/format-spend.js';

/** The few lines printed when a session ends (not with --json): outcome, each assignment, where to look. */
export function renderSummaryLines(
  s: Summary,
  summaryFile: string,
  colour: (kind: 'ok' | 'bad', text: string) => string = (_k, t) => t,
): string[] {
  const width = Math.max(...s.assignments.map((a) => a.id.length), 10);
  const changed = [...s.filesChanged.added, ...s.filesChanged.modified, ...s.filesChanged.deleted];
  return [
    '',
    `Session ${s.sessionId}: ${colour(s.exitCode === 0 ? 'ok' : 'bad', s.outcome)} (exit ${s.exitCode}) in ${formatDuration(s.durationMs)}${s.sandbox.active ? '' : ', UNSANDBOXED'}`,
    ...s.assignments.map((a) => {
      const status = colour(a.status === 'succeeded' ? 'ok' : 'bad', a.status.padEnd(17));
      const why = a.status === 'succeeded' ? '' : `  ${a.reason}`;
      return `  ${a.id.padEnd(width)}  ${a.agent.padEnd(6)}  ${status} ${formatDuration(a.durationMs).padStart(6)}${why}`;
    }),
    ...(s.reviews ?? []).map(
      (r) =>
        `  review ${r.review}: ${r.reviewer ?? '?'} on ${r.author ?? '?'} → ${r.verdict ?? 'no verdict'}, ${r.decision ?? 'no decision'}${r.degraded ? ' (DEGRADED: no independent reviewer)' : ''}`,
    ),
    ...(s.safety?.violations ?? []).map(
      (v) =>
        `  ${colour('bad', 'violation')}: ${String(v['agent'] ?? '')} ${String(v['command'] ?? v['path'] ?? '')} (${String(v['reason'] ?? v['kind'] ?? '')})`,
    ),
    ...(s.blockers ?? []).map(
      (b) =>
        `  ${colour('bad', 'BLOCKER')}: ${String(b['blocker'] ?? b['reason'] ?? '')}${b['rerun'] ? `\n    then re-run: ${String(b['rerun'])}` : ''}`,
    ),
    // spend against the ceilings, when there is any to tell (unknown prices are said so)
    ...(s.spend && (s.spend.total.tokens > 0 || s.spend.ceiling.costUsd !== null || s.spend.ceiling.tokens !== null)
      ? formatSpendLines(s.spend).map((l) => `  spend ${l}`)
      : []),
    ...s.notes.map((n) => `  note: ${n}`),
    `Files changed: ${changed.length ? `${changed.length} (${changed.slice(0, 6).join(', ')}${changed.length > 6 ? ', …' : ''})` : 'none'}`,
    `Details: ${summaryFile}`,
  ];
}
