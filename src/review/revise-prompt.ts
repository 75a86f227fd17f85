import type { Verdict } from './verdict.js';

/**
 * The author's prompt for a revision round: the reviewer's issues, most severe first. When the
 * author's own CLI session is resumed it already has the task, so only the issues are sent;
 * a fresh session also gets the original assignment.
 */
export function revisePrompt(input: { verdict: Verdict; round: number; original: string; resumed: boolean }): string {
  const order = ['critical', 'high', 'medium', 'low'];
  const issues = [...input.verdict.issues].sort((a, b) => order.indexOf(a.severity) - order.indexOf(b.severity));
  const lines = [
    `A peer reviewed your work and asked for changes (revision round ${input.round}).`,
    `Reviewer's summary: ${input.verdict.summary}`,
    '',
    issues.length ? 'Issues to fix:' : 'The reviewer listed no specific issue; address the summary.',
    ...issues.map((i) => `  - [${i.severity}] ${i.file ? `${i.file}${i.line ? `:${i.line}` : ''}: ` : ''}${i.message}`),
    '',
    'Fix these in the project, keep what already works, and end with a DONE: line saying what you changed.',
  ];
  if (!input.resumed) lines.push('', 'Your original assignment, for context:', '', input.original);
  return `${lines.join('\n')}\n`;
}
