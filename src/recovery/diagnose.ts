import type { AgentId } from '../agents/agent-id.js';
import type { AgentEvent } from '../events/agent-event.js';
import { CATALOGUE, type CatalogueEntry } from './catalogue.js';
import { stripAnsi } from '../events/strip-ansi.js';
import { findRateLimitReset } from './rate-limit-reset.js';

/** What one run showed: its normalised events, its stderr and how it exited. */
export interface RunEvidence {
  events: readonly AgentEvent[];
  stderr: string;
  exitCode: number | null;
}

/** A catalogue entry that matched, with the values its pattern captured (path, status, …). */
export interface Diagnosis {
  entry: CatalogueEntry;
  captures: Record<string, string>;
  /** The text that matched, for the journal. */
  matched: string;
}

/**
 * Matches a run against the catalogue: every entry of that agent whose evidence is present.
 * Pure and deterministic (catalogue order), so replaying a journal gives the same diagnoses.
 */
export function diagnose(agent: AgentId, run: RunEvidence, catalogue: readonly CatalogueEntry[] = CATALOGUE): Diagnosis[] {
  const stderr = stripAnsi(run.stderr);
  const found: Diagnosis[] = [];
  for (const entry of catalogue) {
    if (entry.agent !== agent) continue;
    const ev = entry.evidence;
    if (ev.in === 'exit-code') {
      if (run.exitCode === ev.exitCode) found.push({ entry, captures: {}, matched: `exit code ${ev.exitCode}` });
      continue;
    }
    if (ev.in === 'stderr') {
      if (ev.exitCode !== undefined && run.exitCode !== ev.exitCode) continue;
      const m = ev.pattern.exec(stderr);
      if (m) found.push({ entry, captures: { ...m.groups }, matched: m[0] });
      continue;
    }
    for (const event of run.events) {
      if (event.type !== ev.eventType) continue;
      const raw = (event as unknown as Record<string, unknown>)[ev.field];
      const value = typeof raw === 'number' ? String(raw) : raw;
      if (typeof value !== 'string') continue;
      const m = ev.pattern.exec(value);
      if (m) {
        found.push({ entry, captures: { ...m.groups }, matched: m[0] });
        break;
      }
    }
  }
  // A rate limit also captures its reset, so the parking decision needs nothing but the diagnosis.
  if (found.some((d) => d.entry.handling === 'parked')) {
    const hint = findRateLimitReset({ events: run.events, stderr });
    for (const d of found) {
      if (d.entry.handling !== 'parked' || !hint) continue;
      if (hint.retryAfterMs !== undefined) d.captures['retryAfterMs'] = String(hint.retryAfterMs);
      if (hint.resetAt !== undefined) d.captures['resetAt'] = hint.resetAt;
      if (hint.resetClock !== undefined) d.captures['resetClock'] = hint.resetClock;
      d.captures['resetSource'] = hint.source;
    }
  }
  return found;
}
