// Reading the lab's recordings (fixtures/streams) for comparison with live runs of the real CLIs.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseJsonl } from './real-clis.js';

export const STREAMS_DIR = fileURLToPath(new URL('../../fixtures/streams/', import.meta.url));

/**
 * Kind of one stream event, as in shared/agents/EVENTS.md:
 * type[/subtype][/item.type][/role][/content types], e.g. `system/init`, `assistant/tool_use`,
 * `item.completed/command_execution`, `message/assistant`.
 */
export function eventKind(ev: Record<string, unknown>): string {
  if ('nonJson' in ev) return 'nonJson';
  const parts = [String(ev.type)];
  if (typeof ev.subtype === 'string') parts.push(ev.subtype);
  const item = ev.item as Record<string, unknown> | undefined;
  if (item && typeof item.type === 'string') parts.push(item.type);
  if (typeof ev.role === 'string') parts.push(ev.role);
  const content = (ev.message as Record<string, unknown> | undefined)?.content;
  if (Array.isArray(content)) {
    parts.push(content.map((c) => String((c as Record<string, unknown>).type)).join(','));
  }
  return parts.join('/');
}

export function kinds(events: Record<string, unknown>[]): string[] {
  return events.map(eventKind);
}

/** The events of `fixtures/streams/<name>.jsonl`. */
export function recordedEvents(name: string): Record<string, unknown>[] {
  return parseJsonl(readFileSync(`${STREAMS_DIR}${name}.jsonl`, 'utf8'));
}

export function recordedStderr(name: string): string {
  return readFileSync(`${STREAMS_DIR}${name}.stderr.txt`, 'utf8');
}

/** The exit code `fixtures/streams/INDEX.tsv` gives for a recording. */
export function recordedExit(name: string): number {
  const rows = readFileSync(`${STREAMS_DIR}INDEX.tsv`, 'utf8').split('\n');
  for (const row of rows.slice(1)) {
    const [n, exit] = row.split('\t');
    if (n === name) return Number(exit);
  }
  throw new Error(`no row for ${name} in fixtures/streams/INDEX.tsv`);
}
