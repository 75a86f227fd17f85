import { writeFileSync } from 'node:fs';
import { formatDuration } from '../config/duration.js';
import { EXIT_NAMES, type ExitCode } from '../errors.js';
import { writeJsonAtomic } from './atomic-write.js';
import type { FileChanges } from './file-snapshot.js';
import type { SessionFacts } from './session-facts.js';
import type { SpendReport } from '../budget/session-budget.js';
import { formatSpendLines } from '../budget/format-spend.js';

/** One assignment's line in the summary. */
export interface AssignmentSummary {
  id: string;
  agent: string;
  role: string;
  status: string;
  reason: string;
  durationMs: number;
  exitCode: number | null;
  signal: string | null;
  cliSessionId?: string;
  runDir?: string;
  /** Agents that failed this assignment for good before `agent` took it over (runtime fallback). */
  fallbackFrom?: string[];
  /** Every run of the assignment when there was more than one (relaunches, revisions). */
  runs?: string[];
  filesChanged: FileChanges;
  finalText?: string;
}

/** `summary.json`: what happened, per assignment and per agent, and how the session ended. */
export interface Summary {
  version: 1;
  sessionId: string;
  task: string;
  target: string;
  tier: string;
  outcome: string;
  exitCode: ExitCode;
  startedAt: string;
  endedAt: string;
  durationMs: number;
  sandbox: { active: boolean; reason: string };
  assignments: AssignmentSummary[];
  agents: Record<string, { inputTokens: number; outputTokens: number; costUsd: number; durationMs: number; runs: number }>;
  filesChanged: FileChanges;
  /** Safety decisions: violations, confirmations asked and answered, limits. */
  safety: Pick<SessionFacts, 'violations' | 'confirmations' | 'limits'>;
  /** Foreseeable failures avoided before launch, and each recovery action taken. */
  recovery: Pick<SessionFacts, 'preparations' | 'recoveries'>;
  reviews: SessionFacts['reviews'];
  /** What a person must decide or fix, with the command line to run afterwards. */
  blockers: SessionFacts['blockers'];
  /** The tier the session ended on when a runtime fallback lowered it. */
  finalTier?: string;
  /** True when the session had implementation work and no file of the target changed. */
  nothingChanged?: boolean;
  /** Tokens and cost per agent and in total against the ceilings; a cost of null is unknown (no price), never 0. */
  spend?: SpendReport;
  notes: string[];
}

/** Writes `summary.json` (atomically) and `summary.md`. */
export function writeSummary(jsonFile: string, mdFile: string, summary: Summary): void {
  writeJsonAtomic(jsonFile, summary);
  writeFileSync(mdFile, renderSummaryMarkdown(summary));
}

/** The human-readable summary. */
export function renderSummaryMarkdown(s: Summary): string {
  const lines = [
    `# orchestrate session ${s.sessionId}`,
    '',
    `- Task: ${s.task}`,
    `- Target: ${s.target}`,
    `- Outcome: **${s.outcome}** (exit code ${s.exitCode}, ${EXIT_NAMES[s.exitCode]})`,
    `- Tier: ${s.tier}`,
    `- Duration: ${formatDuration(s.durationMs)} (${s.startedAt} to ${s.endedAt})`,
    `- Sandbox: ${s.sandbox.active ? 'bubblewrap' : 'OFF'} (${s.sandbox.reason})`,
    '',
    '## Assignments',
    '',
    '| assignment | agent | status | duration | exit | files changed | why it ended |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...s.assignments.map(
      (a) =>
        `| ${a.id} | ${a.agent} | ${a.status} | ${formatDuration(a.durationMs)} | ${a.signal ?? a.exitCode ?? '-'} | ${countChanges(a.filesChanged)} | ${a.reason.replace(/\|/g, '\\|')} |`,
    ),
    '',
    '## Agents',
    '',
    '| agent | runs | input tokens | output tokens | cost (USD) | time |',
    '| --- | --- | --- | --- | --- | --- |',
    ...Object.entries(s.agents).map(
      ([name, a]) =>
        `| ${name} | ${a.runs} | ${a.inputTokens} | ${a.outputTokens} | ${costCell(s, name, a.costUsd)} | ${formatDuration(a.durationMs)} |`,
    ),
    '',
    ...(s.spend ? ['## Spend', '', ...formatSpendLines(s.spend).map((l) => `- ${l}`), ''] : []),
    '## Files changed',
    '',
    ...fileLines(s.filesChanged),
    '',
  ];
  lines.push(...factSections(s));
  if (s.notes.length) lines.push('## Notes', '', ...s.notes.map((n) => `- ${n}`), '');
  return lines.join('\n');
}

/** Blockers first (a person must act), then reviews, safety and recovery; empty sections are left out. */
function factSections(s: Summary): string[] {
  const out: string[] = [];
  const section = (title: string, rows: string[]): void => {
    if (rows.length) out.push(`## ${title}`, '', ...rows, '');
  };
  section(
    'Blockers (a person must decide)',
    s.blockers.map(
      (b) =>
        `- ${String(b['agent'] ?? '')} ${String(b['assignment'] ?? '')}: ${String(b['blocker'] ?? b['reason'] ?? '')}${b['rerun'] ? `\n  - re-run: \`${String(b['rerun'])}\`` : ''}`,
    ),
  );
  section(
    'Reviews',
    s.reviews.map(
      (r) =>
        `- review ${r.review}: ${r.reviewer ?? '?'} (${r.tier ?? '?'}${r.degraded ? ', DEGRADED' : ''}) on ${r.author ?? '?'}'s ${r.assignment ?? '?'} [${r.trigger ?? '?'}]: ${r.verdict ?? 'no verdict'}, ${r.issues} issue(s) → ${r.decision ?? 'no decision'}${r.rule ? ` (rule ${r.rule})` : ''}${r.failedTiers.length ? `; failed first: ${r.failedTiers.join(', ')}` : ''}`,
    ),
  );
  section('Safety', [
    ...s.safety.violations.map(
      (v) =>
        `- violation (${String(v['agent'] ?? '')}): ${String(v['command'] ?? v['path'] ?? '')}: ${String(v['reason'] ?? '')} [${String(v['rule'] ?? v['layer'] ?? v['kind'] ?? 'violation')}]`,
    ),
    ...s.safety.confirmations.map(
      (c) =>
        `- confirmation (${String(c['agent'] ?? '')}): ${String(c['command'] ?? '')} → ${String(c['answer'] ?? '')} by ${String(c['by'] ?? '')}`,
    ),
    ...s.safety.limits.map(
      (l) =>
        `- limit ${String(l['kind'])} (${String(l['agent'] ?? '')}): ${String(l['limit'] ?? '')} ${String(l['value'] ?? '')} over ${String(l['max'] ?? l['threshold'] ?? '')}`,
    ),
  ]);
  section('Recovery', [
    ...s.recovery.preparations.map(
      (p) => `- prepared (${String(p['agent'] ?? '')}): ${String(p['choice'] ?? '')}: ${String(p['reason'] ?? '')}`,
    ),
    ...s.recovery.recoveries.map(
      (r) =>
        `- ${String(r['kind'])} (${String(r['agent'] ?? '')} ${String(r['assignment'] ?? '')}): ${String(r['cause'] ?? '')} ${String(r['detail'] ?? r['reason'] ?? '')}`,
    ),
  ]);
  return out;
}

/** An agent's cost: unknown (no price for its model) is said so, never shown as 0. */
function costCell(s: Summary, agent: string, fallback: number): string {
  const spend = s.spend?.agents[agent];
  if (!spend) return fallback.toFixed(4);
  return spend.costUsd === null ? `unknown (at least ${spend.knownCostUsd.toFixed(4)})` : spend.costUsd.toFixed(4);
}

function countChanges(c: FileChanges): string {
  const n = c.added.length + c.modified.length + c.deleted.length;
  return n === 0 ? '0' : `${n} (+${c.added.length} ~${c.modified.length} -${c.deleted.length})`;
}

function fileLines(c: FileChanges): string[] {
  const out = [
    ...c.added.map((f) => `- added ${f}`),
    ...c.modified.map((f) => `- modified ${f}`),
    ...c.deleted.map((f) => `- deleted ${f}`),
  ];
  return out.length ? out : ['(none)'];
}
