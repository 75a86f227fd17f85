import { z } from 'zod';
import { formatIssues } from '../config/format-issues.js';

/** How bad one issue is. `critical` escalates, `high` asks for a revision (docs/reviews.md). */
export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** What the reviewer concludes. */
export const VERDICTS = ['approve', 'request_changes', 'block'] as const;
export type VerdictKind = (typeof VERDICTS)[number];

/** The longest summary a reviewer may give, in words (the prompt asks for a brief review). */
export const MAX_SUMMARY_WORDS = 200;

const wordCount = (text: string): number => text.split(/\s+/).filter(Boolean).length;

const oneOf = (values: readonly string[]) => (issue: { input?: unknown }) =>
  issue.input === undefined
    ? 'is required'
    : `expected one of ${values.map((v) => `"${v}"`).join(' | ')}, got ${JSON.stringify(issue.input)}`;

const expected = (what: string) => (issue: { input?: unknown }) =>
  issue.input === undefined ? 'is required' : `expected ${what}, got ${JSON.stringify(issue.input)}`;

/**
 * codex `--output-schema` is strict (every property required), so optional fields come back as
 * `null`. Dropping them here keeps the parsed `Verdict` free of nulls.
 */
function dropNulls(keys: readonly string[]) {
  return (value: unknown): unknown => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
    const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
    for (const key of keys) if (copy[key] === null) delete copy[key];
    return copy;
  };
}

/** One problem the reviewer found. */
export const IssueSchema = z.preprocess(
  dropNulls(['file', 'line']),
  z.strictObject({
    /** How bad it is. */
    severity: z.enum(SEVERITIES, { error: oneOf(SEVERITIES) }),
    /** The file it is in, relative to the project. */
    file: z
      .string({ error: expected('a string or null') })
      .min(1, 'must not be empty')
      .optional(),
    /** The line in that file (1-based). */
    line: z
      .number({ error: expected('a line number or null') })
      .int('must be a whole number')
      .positive('must be 1 or more')
      .optional(),
    /** What is wrong and what to do about it. */
    message: z.string({ error: expected('a string') }).min(1, 'must not be empty'),
  }),
);
export type Issue = z.infer<typeof IssueSchema>;

/** A reviewer's answer. Strict: unknown keys are errors, so a misspelt field never passes silently. */
export const VerdictSchema = z.strictObject({
  /** approve, request_changes or block. */
  verdict: z.enum(VERDICTS, { error: oneOf(VERDICTS) }),
  /** The review in at most 200 words. */
  summary: z
    .string({ error: expected('a string') })
    .refine((s) => s.trim() !== '', 'must not be empty')
    .refine((s) => wordCount(s) <= MAX_SUMMARY_WORDS, {
      error: (issue) => `must be at most ${MAX_SUMMARY_WORDS} words, got ${wordCount(String(issue.input))}`,
    }),
  /** Problems found; empty when there are none. */
  issues: z.array(IssueSchema, { error: expected('an array (empty when there are none)') }),
});
export type Verdict = z.infer<typeof VerdictSchema>;

const severity = { type: 'string', enum: [...SEVERITIES] } as const;

/**
 * `VerdictSchema` as plain JSON Schema, for claude `--json-schema` and codex `--output-schema`.
 * codex sends it as a strict OpenAI `json_schema` format (REFERENCE.md §2), which needs
 * `additionalProperties: false` and every property in `required`; so `file` and `line` are
 * required but nullable, and `VerdictSchema` accepts the nulls.
 */
export const VERDICT_JSON_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['verdict', 'summary', 'issues'],
  properties: {
    verdict: {
      type: 'string',
      enum: [...VERDICTS],
      description: 'approve: good as is; request_changes: fix the issues first; block: must not go on',
    },
    summary: { type: 'string', description: `the review in at most ${MAX_SUMMARY_WORDS} words` },
    issues: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['severity', 'file', 'line', 'message'],
        properties: {
          severity,
          file: { type: ['string', 'null'], description: 'path relative to the project, or null' },
          line: { type: ['integer', 'null'], minimum: 1, description: '1-based line, or null' },
          message: { type: 'string', description: 'what is wrong and what to do' },
        },
      },
    },
  },
} as const;

/** The outcome of reading a reviewer's answer. */
export type ParsedVerdict = { ok: true; verdict: Verdict } | { ok: false; error: string };

/** Reviewer output is bounded before the JSON search (the search is quadratic in `{` count). */
const MAX_TEXT = 200_000;
const MAX_STARTS = 1000;

/**
 * Reads a reviewer's verdict. The structured output (claude `structured_output`) wins when there
 * is one; otherwise the JSON is found in the final text: the whole text, else the last ```json
 * fence, else the last balanced `{…}` object. The error names the failing field.
 */
export function parseVerdict(answer: { structured?: unknown; text?: string }): ParsedVerdict {
  const { structured, text } = answer;
  if (structured !== undefined && structured !== null) {
    // some CLIs hand the structured answer over as its JSON text
    if (typeof structured === 'string') return parseVerdict({ text: structured });
    return validate(structured);
  }
  if (text === undefined || text.trim() === '') return { ok: false, error: 'the reviewer gave no answer' };
  const found = findJson(text.length > MAX_TEXT ? text.slice(-MAX_TEXT) : text);
  if (found === undefined) return { ok: false, error: 'no JSON object found in the answer (prose instead of a verdict)' };
  return validate(found);
}

function validate(value: unknown): ParsedVerdict {
  const result = VerdictSchema.safeParse(value);
  if (result.success) return { ok: true, verdict: result.data };
  const fields = formatIssues(result.error, 3)
    .split('\n')
    .map((line) => line.trim())
    .join('; ');
  return { ok: false, error: `the verdict does not match the schema: ${fields}` };
}

/** The JSON value in a reviewer's text, by the order of preference in `parseVerdict`. */
export function findJson(text: string): unknown {
  const whole = tryParse(text.trim());
  if (whole !== undefined) return whole;
  const fences = [...text.matchAll(/```(?:json)?[^\S\n]*\n([\s\S]*?)```/gi)].map((m) => m[1] ?? '');
  for (const body of fences.reverse()) {
    const parsed = tryParse(body.trim());
    if (parsed !== undefined) return parsed;
  }
  return lastObject(text);
}

function tryParse(text: string): unknown {
  if (!text.startsWith('{') && !text.startsWith('[')) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * The outermost of the last balanced `{…}` objects that parse. Every `{` is tried as a start
 * (a stray brace or quote in the prose before it cannot derail the search); the candidate that
 * ends last wins, and of those the one that starts first (the outer object, not an issue inside it).
 */
function lastObject(text: string): unknown {
  let best: { start: number; end: number; value: unknown } | undefined;
  const starts: number[] = [];
  for (let i = text.indexOf('{'); i !== -1; i = text.indexOf('{', i + 1)) starts.push(i);
  // bounded: the answer sits at the end, and each start may scan to the end of the text
  for (const start of starts.slice(-MAX_STARTS)) {
    const end = matchingBrace(text, start);
    if (end === -1 || (best && end < best.end)) continue;
    if (best && end === best.end && start > best.start) continue;
    const value = tryParse(text.slice(start, end + 1));
    if (value !== undefined) best = { start, end, value };
  }
  return best?.value;
}

/** Index of the `}` closing the `{` at `start`, skipping braces inside JSON strings; -1 if none. */
function matchingBrace(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
    } else if (ch === '"') inString = true;
    else if (ch === '{') depth++;
    else if (ch === '}' && --depth === 0) return i;
  }
  return -1;
}

/** The prompt of the one repair retry after an answer that was not a valid verdict. */
export function repairPrompt(error: string): string {
  return [
    'Your role: review',
    '',
    `Your previous answer could not be used: ${error}.`,
    'Answer again with ONLY the JSON verdict: one JSON object, no prose, no Markdown fence.',
    'It must match this JSON Schema exactly (file and line may be null):',
    JSON.stringify(VERDICT_JSON_SCHEMA),
    `"summary" is at most ${MAX_SUMMARY_WORDS} words. Do not change any file.`,
    '',
  ].join('\n');
}
