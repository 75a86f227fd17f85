import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { SessionOptions } from './session-options.js';

/** Where a session keeps a task it read from stdin. */
export const STDIN_TASK_FILE = 'task.md';

/**
 * A task read from stdin (`-`, `--task-file -`) cannot be read again, so a re-run command that
 * repeats `-` would wait for a task that never comes. The session keeps such a task in
 * `<session>/task.md`, and its invocation (what re-run commands are built from) reads that file.
 */
export function keepStdinTask(opts: SessionOptions, sessionDir: string): SessionOptions {
  if (!opts.invocation) return opts;
  const file = path.join(sessionDir, STDIN_TASK_FILE);
  const argv = readingFile(opts.invocation.argv, file);
  if (!argv) return opts;
  writeFileSync(file, `${opts.task}\n`, { mode: 0o600 });
  return { ...opts, invocation: { ...opts.invocation, argv } };
}

/** The arguments with each way of reading the task from stdin replaced by `--task-file <file>`; undefined when none reads stdin. */
export function readingFile(argv: readonly string[], file: string): string[] | undefined {
  const out: string[] = [];
  let changed = false;
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i] as string;
    if (word === '--') {
      // after `--` every word is the task: a `-` there becomes the option, put before `--`
      const rest = argv.slice(i + 1);
      if (rest.includes('-')) {
        out.push('--task-file', file, '--', ...rest.filter((w) => w !== '-'));
        changed = true;
      } else out.push(...argv.slice(i));
      break;
    }
    if (word === '--task-file' && argv[i + 1] === '-') {
      out.push(word, file);
      i++;
    } else if (word === '--task-file=-') out.push(`--task-file=${file}`);
    else if (word === '-') out.push('--task-file', file);
    else {
      out.push(word);
      continue;
    }
    changed = true;
  }
  return changed ? out : undefined;
}
