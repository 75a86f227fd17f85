import { readFileSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors.js';

/** Where the task text comes from: the argument, `-` (stdin) or `--task-file <file>` (`-` = stdin). */
export interface TaskSource {
  task: string | undefined;
  taskFile: string | undefined;
  cwd: string;
  /** Read when the task is `-`; injected for tests. */
  stdin: NodeJS.ReadableStream;
}

/**
 * The task text, of any size: a file or stdin carries what the command line cannot (one argument
 * is limited to 128 KiB). Exactly one source; an empty task is a usage error.
 */
export async function readTask(src: TaskSource): Promise<string> {
  if (src.task !== undefined && src.taskFile !== undefined) {
    throw new UsageError(
      'give the task either as an argument or with --task-file, not both',
      'usage: orchestrate [options] "<task>" | --task-file <file> | -',
    );
  }
  let text: string | undefined = src.task;
  if (src.taskFile !== undefined && src.taskFile !== '-') text = readTaskFile(path.resolve(src.cwd, src.taskFile));
  else if (src.taskFile === '-' || src.task === '-') text = await readAll(src.stdin);
  if (!text || !text.trim()) {
    const from =
      src.taskFile !== undefined
        ? src.taskFile === '-'
          ? 'stdin'
          : `--task-file ${src.taskFile}`
        : src.task === '-'
          ? 'stdin'
          : undefined;
    throw new UsageError(
      from ? `the task from ${from} is empty` : 'missing the task',
      'usage: orchestrate [options] "<task>" | --task-file <file> | -  (see orchestrate --help)',
    );
  }
  return text.trim();
}

function readTaskFile(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EACCES'
          ? 'permission denied'
          : code === 'EISDIR'
            ? 'a directory'
            : (error as Error).message;
    throw new UsageError(`--task-file: cannot read ${file}: ${why}`, 'give a readable text file holding the task');
  }
}

function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer | string) => chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(c)));
    stream.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    stream.once('error', reject);
  });
}
