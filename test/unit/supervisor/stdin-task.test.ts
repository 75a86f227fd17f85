import { describe, expect, it } from 'vitest';
import { readingFile } from '../../../src/supervisor/stdin-task.js';

// A task read from stdin cannot be read again: re-run commands read the session's copy of it.
describe('readingFile', () => {
  const file = '/w/.orchestrate/sessions/s1/task.md';

  it.each([
    [
      ['--agents', 'claude', '-'],
      ['--agents', 'claude', '--task-file', file],
    ],
    [
      ['--task-file', '-', '--no-review'],
      ['--task-file', file, '--no-review'],
    ],
    [['--task-file=-'], [`--task-file=${file}`]],
    [
      ['--no-review', '--', '-'],
      ['--no-review', '--task-file', file, '--'],
    ],
  ])('%j reads the file instead', (argv, expected) => {
    expect(readingFile(argv, file)).toEqual(expected);
  });

  it.each([[['a task']], [['--task-file', 'task.md']], [['--', '-x is the task']], [[]]])(
    '%j reads no stdin: unchanged (undefined)',
    (argv) => {
      expect(readingFile(argv, file)).toBeUndefined();
    },
  );
});
