import type { z } from 'zod';
import { jsonPathOffset } from './json-path-offset.js';
import { lineColumn } from './parse-json.js';

/** The file an issue is in, and its text (comments blanked, offsets kept), to name the issue's line. */
export interface IssueSource {
  file: string;
  text: string;
}

/**
 * Turns zod issues into at most `max` lines of `path: message`, naming each field; given the
 * `source`, each line starts with `file:line:column` of the field (an unknown key: the key's value).
 */
export function formatIssues(error: z.ZodError, max = 5, source?: IssueSource): string {
  const lines = error.issues.slice(0, max).map((issue) => {
    const path = issue.path.length ? issue.path.map(String).join('.') : '(top level)';
    return `  ${source ? `${where(source, issue)}: ` : ''}${path}: ${issue.message}`;
  });
  const more = error.issues.length - max;
  if (more > 0) lines.push(`  … and ${more} more`);
  return lines.join('\n');
}

/** `file:line:column` of what an issue is about. */
export function where(source: IssueSource, issue: { path: readonly PropertyKey[]; code?: string; keys?: readonly string[] }): string {
  const path = issue.code === 'unrecognized_keys' && issue.keys?.[0] !== undefined ? [...issue.path, issue.keys[0]] : issue.path;
  const at = lineColumn(source.text, jsonPathOffset(source.text, path));
  return `${source.file}:${at.line}:${at.column}`;
}
