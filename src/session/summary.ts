import { writeFileSync } from 'node:fs';
import { formatDuration } from '../config/duration.js';
import { EXIT_NAMES, type ExitCode } from '../errors.js';
import { writeJsonAtomic } from './atomic-write.js';
import type { FileChanges } from './file-snapshot.js';

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
      ([name, a]) => `| ${name} | ${a.runs} | ${a.inputTokens} | ${a.outputTokens} | ${a.costUsd.toFixed(4)} | ${formatDuration(a.durationMs)} |`,
    ),
    '',
    '## Files changed',
    '',
    ...fileLines(s.filesChanged),
    '',
  ];
  if (s.notes.length) lines.push('## Notes', '', ...s.notes.map((n) => `- ${n}`), '');
  return lines.join('\n');
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
