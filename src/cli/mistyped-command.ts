import { UsageError } from '../errors.js';

/** Words that ask for help, not for work. */
const HELP_WORDS = new Set(['help', '-help', 'h', '?', 'usage']);

/** Edit distance (insert, delete, substitute, swap of neighbours) between two short words. */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * Refuses a task that is one word close to a subcommand (`sesions`, `show2`) or a request for help:
 * starting three paid agents on it is never what was meant. `commands` are the registered
 * subcommand names (and aliases), so new subcommands are covered without a list here.
 */
export function refuseMistypedCommand(task: string, commands: readonly string[]): void {
  const word = task.trim();
  if (/\s/.test(word) || word.length === 0) return;
  const lower = word.toLowerCase();
  if (HELP_WORDS.has(lower)) {
    throw new UsageError(
      `"${word}" is not a task; did you mean "orchestrate --help"?`,
      'a task is a sentence in quotes: orchestrate "Fix the flaky date test"',
    );
  }
  const near = commands
    .map((name) => ({ name, distance: editDistance(lower, name) }))
    .filter((c) => c.distance <= (c.name.length <= 4 ? 1 : 2))
    .sort((x, y) => x.distance - y.distance)[0];
  if (near) {
    throw new UsageError(
      `"${word}" looks like the subcommand "${near.name}", not a task; did you mean "orchestrate ${near.name}"?`,
      'a task is a sentence in quotes, e.g. orchestrate "Fix the flaky date test"  (see orchestrate --help)',
    );
  }
}
