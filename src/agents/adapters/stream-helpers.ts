import { z } from 'zod';
import type { AgentEvent } from '../../events/agent-event.js';
import { extractReports } from '../../events/report-lines.js';

/** Outcome of reading one stdout line as JSON. */
export type JsonLine = { kind: 'empty' } | { kind: 'invalid'; event: AgentEvent } | { kind: 'json'; value: unknown };

/** Parses one line; blank lines are `empty`, non-JSON lines become `agent.parse_error`. */
export function readJsonLine(line: string): JsonLine {
  if (line.trim() === '') return { kind: 'empty' };
  try {
    return { kind: 'json', value: JSON.parse(line) as unknown };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { kind: 'invalid', event: { type: 'agent.parse_error', raw: line, error: message } };
  }
}

/** The discriminating fields every CLI's events share. Extra fields are ignored. */
export const TypedEventSchema = z.object({
  type: z.string(),
  subtype: z.string().optional(),
});

/**
 * One line read up to its `type`: either the events to return at once (blank: none; not JSON:
 * `agent.parse_error`; no `type`: `agent.unknown`), or the type, subtype and parsed value.
 */
export type TypedLine = { kind: 'done'; events: AgentEvent[] } | { kind: 'typed'; type: string; subtype?: string; value: unknown };

export function readTypedLine(line: string): TypedLine {
  const read = readJsonLine(line);
  if (read.kind === 'empty') return { kind: 'done', events: [] };
  if (read.kind === 'invalid') return { kind: 'done', events: [read.event] };
  const head = typedHead(read.value);
  if (head === undefined) return { kind: 'done', events: unknownEvent(line) };
  return head.subtype !== undefined
    ? { kind: 'typed', type: head.type, subtype: head.subtype, value: read.value }
    : { kind: 'typed', type: head.type, value: read.value };
}

/** What TypedEventSchema accepts, checked by hand (it runs for every line of every agent); undefined when it would reject. */
export function typedHead(value: unknown): { type: string; subtype?: string } | undefined {
  if (!isRecord(value)) return undefined;
  const { type, subtype } = value;
  if (typeof type !== 'string' || !optionalString(subtype)) return undefined;
  return subtype !== undefined ? { type, subtype: subtype as string } : { type };
}

/** A well-formed line the adapter does not understand, kept raw. */
export function unknownEvent(raw: string): AgentEvent[] {
  return [{ type: 'agent.unknown', raw }];
}

/**
 * Validates `value` with `schema` and maps it; a known kind with an unexpected shape is
 * reported as `agent.unknown` (raw kept) rather than throwing, so the stream goes on.
 *
 * `check`, for the kinds that come on most lines: a hand-written test that gives the value typed
 * when it plainly has the shape the schema accepts, and the same fields zod would hand `map`,
 * without zod's copy of it. Whatever it does not vouch for, every malformed line included, goes
 * through the schema, which decides (test/unit/agents/hand-checks.test.ts holds both to the same
 * events on every recorded line and on broken ones).
 */
export function mapWith<T>(
  schema: z.ZodType<T>,
  value: unknown,
  raw: string,
  map: (parsed: T) => AgentEvent[],
  check?: (value: unknown) => T | undefined,
): AgentEvent[] {
  const checked = check?.(value);
  if (checked !== undefined) return map(checked);
  const parsed = schema.safeParse(value);
  return parsed.success ? map(parsed.data) : unknownEvent(raw);
}

/** How a parser validates the lines: `handChecks: false` sends every line through the zod schemas (the reference, for tests). */
export interface ParserOptions {
  handChecks?: boolean;
}

/** A JSON object (not null, not an array): what a zod object schema takes. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** What `z.string().optional()` accepts. */
export function optionalString(value: unknown): boolean {
  return value === undefined || typeof value === 'string';
}

/** What `z.boolean().optional()` accepts. */
export function optionalBoolean(value: unknown): boolean {
  return value === undefined || typeof value === 'boolean';
}

/**
 * An assistant message followed by the report lines (`MILESTONE: …`) found in it, from
 * `reportsFrom` on (text before it was already reported while streaming).
 */
export function messageEvents(text: string, reportsFrom = 0): AgentEvent[] {
  return [{ type: 'agent.message', text }, ...extractReports(text.slice(reportsFrom))];
}

/** `JSON.parse(text)` when that gives a plain object (structured output), else undefined. */
export function parseJsonObject(text: string | undefined): Record<string, unknown> | undefined {
  if (text === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      return value as Record<string, unknown>;
    }
  } catch {
    // not JSON: plain prose answer, no structured output
  }
  return undefined;
}

/** Optional number that also accepts JSON `null` (the CLIs write `null` for "not set"). */
export const nullableNumber = z
  .number()
  .nullish()
  .transform((value) => value ?? undefined);

/** Optional string that also accepts JSON `null`. */
export const nullableString = z
  .string()
  .nullish()
  .transform((value) => value ?? undefined);

/** `input[key]` when `input` is an object and that field is a string (tool arguments). */
export function stringField(input: unknown, key: string): string | undefined {
  if (typeof input !== 'object' || input === null) return undefined;
  const value = (input as Record<string, unknown>)[key];
  return typeof value === 'string' ? value : undefined;
}

/**
 * The `agent.usage` event from one CLI's counts (each adapter maps its own field names; a count
 * the CLI does not report stays absent rather than 0).
 */
export function usageEvent(counts: {
  input: number;
  output: number;
  cached: number | undefined;
  costUsd?: number | undefined;
}): Extract<AgentEvent, { type: 'agent.usage' }> {
  return {
    type: 'agent.usage',
    inputTokens: counts.input,
    outputTokens: counts.output,
    ...(counts.cached !== undefined ? { cachedTokens: counts.cached } : {}),
    ...(counts.costUsd !== undefined ? { costUsd: counts.costUsd } : {}),
  };
}
