import type { JournalEntry } from './journal-entry.js';

/** `--agent` and `--type` of `orchestrate logs`; each a comma-separated list, any match passes. */
export interface JournalFilter {
  agent?: string;
  type?: string;
}

/**
 * A predicate for journal entries. A type pattern is exact (`agent.report`) or a prefix when it
 * ends with `.` or `*` (`agent.`, `safety.*`, `*`).
 */
export function journalFilter(filter: JournalFilter): (e: JournalEntry) => boolean {
  const agents = list(filter.agent);
  const types = list(filter.type).map((t) =>
    t.endsWith('*') ? { prefix: t.slice(0, -1) } : t.endsWith('.') ? { prefix: t } : { exact: t },
  );
  return (e) =>
    (agents.length === 0 || (e.agent !== undefined && agents.includes(e.agent))) &&
    (types.length === 0 || types.some((t) => ('exact' in t ? e.type === t.exact : e.type.startsWith(t.prefix))));
}

function list(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}
