import type { z } from 'zod';

/** Turns zod issues into at most `max` lines of `path: message`, naming each field. */
export function formatIssues(error: z.ZodError, max = 5): string {
  const lines = error.issues.slice(0, max).map((issue) => {
    const path = issue.path.length ? issue.path.map(String).join('.') : '(top level)';
    return `  ${path}: ${issue.message}`;
  });
  const more = error.issues.length - max;
  if (more > 0) lines.push(`  … and ${more} more`);
  return lines.join('\n');
}
