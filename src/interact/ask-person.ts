/** One yes/no question to the person at the terminal. */
export interface AskPersonOptions {
  /** One line, e.g. `allow /data for gemini?`; ` [y/N] ` is appended. */
  question: string;
  /** Lines shown before the question (what is asked about, and why). */
  detail?: string;
  /** The answer an empty line gives; only `no` exists: a person must type y to allow. */
  defaultAnswer: 'no';
  /** How long the person has, from the moment the question is shown. */
  timeoutMs: number;
  /** The terminal (a TTY in real use; any readable stream in tests). */
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  /** Withdraws the question (whoever needed the answer stopped waiting). */
  signal?: AbortSignal;
  /** What the terminal shows when the question is withdrawn (default: `(withdrawn: no)`). */
  withdrawnNote?: string;
}

export type PersonAnswer = 'yes' | 'no' | 'timeout';

/** Questions on one input wait for each other: two prompts at once would share the answer. */
const queues = new WeakMap<object, Promise<unknown>>();

/**
 * Asks `question [y/N]` and reads one line: `y`/`yes` (any case) is yes, anything else no.
 * `timeout` when no line came in time, the input ended, or the question was withdrawn. Questions
 * on the same input are asked one at a time; nothing stays attached to the input afterwards.
 */
export function askPerson(options: AskPersonOptions): Promise<PersonAnswer> {
  const previous = queues.get(options.input) ?? Promise.resolve();
  const turn = previous.then(() => askNow(options));
  queues.set(
    options.input,
    turn.catch(() => undefined),
  );
  return turn;
}

function askNow(options: AskPersonOptions): Promise<PersonAnswer> {
  const { input, output, signal } = options;
  if (signal?.aborted) return Promise.resolve('timeout');
  return new Promise((resolve) => {
    // Not flowing before (a fresh or paused stdin): pause again after, or it keeps the process alive.
    const wasFlowing = (input as { readableFlowing?: boolean | null }).readableFlowing === true;
    let line = '';
    const finish = (answer: PersonAnswer, note?: string): void => {
      clearTimeout(timer);
      input.off('data', onData);
      input.off('end', onEnd);
      signal?.removeEventListener('abort', onAbort);
      if (!wasFlowing) input.pause();
      if (note) output.write(note);
      resolve(answer);
    };
    const onData = (chunk: Buffer | string): void => {
      line += chunk.toString();
      const nl = line.indexOf('\n');
      if (nl === -1) return;
      const text = line.slice(0, nl).trim().toLowerCase();
      finish(text === 'y' || text === 'yes' ? 'yes' : 'no');
    };
    const onEnd = (): void => finish('timeout', '\n(no terminal input: no)\n');
    const onAbort = (): void => finish('timeout', options.withdrawnNote ?? '\n(withdrawn: no)\n');
    const timer = setTimeout(
      () => finish('timeout', `\n(no answer within ${Math.round(options.timeoutMs / 1000)} s: no)\n`),
      options.timeoutMs,
    );
    input.on('data', onData);
    input.on('end', onEnd);
    signal?.addEventListener('abort', onAbort, { once: true });
    if (options.detail) output.write(`${options.detail}\n`);
    output.write(`${options.question} [y/N] `);
    input.resume();
  });
}
