import { ConfigError } from '../errors.js';
import { jsonErrorOffset } from './json-error-offset.js';

/** `line:column` (1-based) of a character offset in `text`. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const lines = before.split('\n');
  return { line: lines.length, column: (lines.at(-1)?.length ?? 0) + 1 };
}

/** JSON.parse with an error a person can act on: `file:line:column: not valid JSON (…)`. */
export function parseJsonFile(text: string, file: string, hint: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const where = lineColumn(text, jsonErrorOffset(text) ?? text.length);
    // V8's message quotes a snippet of the file across lines: keep only its first line's gist
    const what = ((error as Error).message.split('\n')[0] ?? '')
      .replace(/,? ?(in JSON )?at position \d+.*$/, '')
      .replace(/, (\.\.\.)?".*$/, '');
    throw new ConfigError(`${file}:${where.line}:${where.column}: not valid JSON (${what})`, hint);
  }
}
