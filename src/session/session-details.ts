import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Plan } from '../plan/types.js';
import type { FileChanges } from './file-snapshot.js';
import type { JournalEntry } from './journal-entry.js';
import { JournalTail } from './journal-tail.js';
import { collectFacts } from './session-facts.js';
import { sessionPaths } from './paths.js';
import { readSessionRecord, type ObservedState } from './session-record.js';
import type { SessionState } from './session-state.js';
import type { Summary } from './summary.js';
import { spendFromJournal } from '../budget/spend-from-journal.js';
import type { Ceilings, SpendReport } from '../budget/session-budget.js';

/** One assignment as `show` presents it, from the best source available (summary, else journal, else plan). */
export interface AssignmentDetail {
  id: string;
  agent: string;
  role?: string;
  weight?: number;
  title?: string;
  dependsOn: string[];
  status: string;
  reason?: string;
  durationMs?: number;
  /** True when the duration is "so far" (the assignment is still running). */
  inProgress?: boolean;
  filesChanged?: FileChanges;
  /** Its run directories, relative to the session directory (`agents/<agent>/<run>`). */
  runDirs: string[];
}

/** Tokens, cost and time of one agent: final from the summary, or summed from the journal so far. */
export interface AgentTotals {
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  durationMs: number;
  runs: number;
}

/** Counts of the journal entries that matter for a post-mortem; `byType` lists each kind seen. */
export interface JournalCounts {
  entries: number;
  violations: number;
  recoveries: number;
  reviews: number;
  byType: Record<string, number>;
}

/** Everything `orchestrate show` reports about one session. */
export interface SessionDetails {
  id: string;
  dir: string;
  state: ObservedState;
  reason?: string;
  session?: SessionState;
  plan?: Plan;
  summary?: Summary;
  assignments: AssignmentDetail[];
  agents: Record<string, AgentTotals>;
  /** Tokens and cost per agent and in total against the ceilings (a null cost is unknown, never 0). */
  spend: SpendReport;
  counts: JournalCounts;
  /** Damage found while reading (a file that does not parse, a torn journal line). */
  problems: string[];
  /** Every file in the session directory, relative to it, sorted. */
  files: string[];
}

const COUNTED = { violations: 'safety.', recoveries: 'recovery.', reviews: 'review.' } as const;

/**
 * Reads a session directory for `show`: session.json, plan.json, summary.json and the journal.
 * Works on a running session (no summary yet) and on a damaged one (what is missing is in `problems`).
 */
export function loadSessionDetails(dir: string, now: number = Date.now()): SessionDetails {
  const paths = sessionPaths(dir);
  const record = readSessionRecord(dir);
  const problems: string[] = record.reason && record.state === 'unreadable' ? [record.reason] : [];
  const plan = readPlan(paths.plan, problems);
  // A session still being written may have a line in flight; only a stopped one has a torn line.
  const entries = readEntries(paths.events, problems, record.state !== 'running');

  const details: SessionDetails = {
    id: record.id,
    dir,
    state: record.state,
    ...(record.reason ? { reason: record.reason } : {}),
    ...(record.session ? { session: record.session } : {}),
    ...(plan ? { plan } : {}),
    ...(record.summary ? { summary: record.summary } : {}),
    assignments: assignmentDetails(dir, plan, record.session, record.summary, entries, now),
    agents: record.summary?.agents ?? agentTotalsFromJournal(entries),
    spend: record.summary?.spend ?? spendFromJournal(entries, (record.session?.options as { ceilings?: Ceilings } | undefined)?.ceilings),
    counts: countEntries(entries),
    problems,
    files: listFiles(dir),
  };
  return details;
}

function readPlan(file: string, problems: string[]): Plan | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined; // no plan yet (or the session failed before planning): not damage
  }
  try {
    return JSON.parse(text) as Plan;
  } catch (error) {
    problems.push(`plan.json: not valid JSON (${(error as Error).message})`);
    return undefined;
  }
}

function readEntries(file: string, problems: string[], reportPartial: boolean): JournalEntry[] {
  const tail = new JournalTail(file);
  const { lines, bad } = tail.read();
  for (const b of bad) problems.push(`events.jsonl line ${b.line}: not valid JSON (${b.error})`);
  const partial = tail.partial;
  if (partial && reportPartial) problems.push(`events.jsonl line ${partial.line}: torn (no newline; the writer stopped mid-line)`);
  return lines.map((l) => l.entry);
}

function assignmentDetails(
  dir: string,
  plan: Plan | undefined,
  session: SessionState | undefined,
  summary: Summary | undefined,
  entries: JournalEntry[],
  now: number,
): AssignmentDetail[] {
  const byId = new Map<string, AssignmentDetail>();
  const get = (id: string, agent: string): AssignmentDetail => {
    let a = byId.get(id);
    if (!a) byId.set(id, (a = { id, agent, dependsOn: [], status: 'pending', runDirs: [] }));
    return a;
  };
  // Later sources win: plan (what was intended) < session.json < journal < summary (final).
  for (const p of plan?.assignments ?? []) {
    Object.assign(get(p.id, p.agent), { role: p.role, weight: p.weight, title: p.title, dependsOn: p.dependsOn });
  }
  for (const [id, s] of Object.entries(session?.assignments ?? {})) get(id, s.agent).status = s.status;
  const started = new Map<string, number>();
  const exitedMs = new Map<string, number>();
  for (const e of entries) {
    if (!e.assignment || !e.agent) continue;
    if (e.type === 'assignment.started') {
      started.set(e.assignment, Date.parse(e.time));
      get(e.assignment, e.agent).status = 'running';
    } else if (e.type === 'agent.exited' && typeof e.durationMs === 'number') {
      exitedMs.set(e.assignment, (exitedMs.get(e.assignment) ?? 0) + e.durationMs);
    } else if (e.type === 'assignment.finished' || e.type === 'assignment.skipped') {
      const a = get(e.assignment, e.agent);
      a.status =
        e.type === 'assignment.finished' && typeof e.status === 'string'
          ? e.status
          : e.type === 'assignment.skipped'
            ? 'skipped'
            : a.status;
      if (typeof e.reason === 'string') a.reason = e.reason;
      if (e.type === 'assignment.finished' && e.filesChanged) a.filesChanged = e.filesChanged;
      started.delete(e.assignment);
    }
  }
  for (const [id, ms] of exitedMs) {
    const a = byId.get(id);
    if (a) a.durationMs = ms;
  }
  for (const [id, at] of started) {
    const a = byId.get(id);
    if (a && a.durationMs === undefined && Number.isFinite(at)) Object.assign(a, { durationMs: Math.max(0, now - at), inProgress: true });
  }
  for (const s of summary?.assignments ?? []) {
    const a = get(s.id, s.agent);
    Object.assign(a, { role: s.role, status: s.status, reason: s.reason, durationMs: s.durationMs, filesChanged: s.filesChanged });
    delete a.inProgress;
    if (s.runDir) a.runDirs.push(s.runDir);
  }
  for (const a of byId.values()) a.runDirs = runDirsOf(dir, a);
  return [...byId.values()];
}

/** The run folders on disk for an assignment: `<id>` and its later attempts `<id>.N`, plus any the summary named. */
function runDirsOf(dir: string, a: AssignmentDetail): string[] {
  const found = new Set(a.runDirs);
  try {
    for (const name of readdirSync(path.join(sessionPaths(dir).agentsDir, a.agent))) {
      if (name === a.id || name.startsWith(`${a.id}.`)) found.add(path.join('agents', a.agent, name));
    }
  } catch {
    // no run yet
  }
  return [...found].sort();
}

function agentTotalsFromJournal(entries: JournalEntry[]): Record<string, AgentTotals> {
  const totals: Record<string, AgentTotals> = {};
  const of = (agent: string): AgentTotals => (totals[agent] ??= { inputTokens: 0, outputTokens: 0, costUsd: 0, durationMs: 0, runs: 0 });
  const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
  for (const e of entries) {
    if (!e.agent) continue;
    if (e.type === 'agent.launched') of(e.agent).runs += 1;
    else if (e.type === 'agent.usage') {
      const t = of(e.agent);
      t.inputTokens += num(e.inputTokens);
      t.outputTokens += num(e.outputTokens);
      t.costUsd = Math.round((t.costUsd + num(e.costUsd)) * 1e6) / 1e6;
    } else if (e.type === 'agent.exited') of(e.agent).durationMs += num(e['durationMs']);
  }
  return totals;
}

/**
 * Violations, recovery actions and reviews as a person counts them (collectFacts: a classified
 * command or a diagnosis is not a violation or a recovery); `byType` counts every entry of those areas.
 */
function countEntries(entries: JournalEntry[]): JournalCounts {
  const facts = collectFacts(entries);
  const counts: JournalCounts = {
    entries: entries.length,
    violations: facts.violations.length,
    recoveries: facts.recoveries.length,
    reviews: facts.reviews.length,
    byType: {},
  };
  for (const e of entries) {
    for (const prefix of Object.values(COUNTED)) {
      if (typeof e.type === 'string' && e.type.startsWith(prefix)) {
        counts.byType[e.type] = (counts.byType[e.type] ?? 0) + 1;
      }
    }
  }
  return counts;
}

function listFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (rel: string): void => {
    let names;
    try {
      names = readdirSync(path.join(root, rel), { withFileTypes: true });
    } catch {
      return;
    }
    for (const d of names) {
      const child = rel ? path.join(rel, d.name) : d.name;
      if (d.isDirectory()) walk(child);
      else out.push(child);
    }
  };
  walk('');
  return out.sort();
}
