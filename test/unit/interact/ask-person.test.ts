import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { askPerson } from '../../../src/interact/ask-person.js';
import { until } from '../../helpers/until.js';

function terminal(): { input: PassThrough; output: PassThrough; shown: () => string } {
  const input = new PassThrough();
  const output = new PassThrough();
  let text = '';
  output.on('data', (c: Buffer) => (text += c.toString()));
  return { input, output, shown: () => text };
}

/** Waits, bounded, until the prompt text has been written `times` times. */
async function prompted(shown: () => string, times = 1): Promise<void> {
  await until(() => (shown().match(/\[y\/N\] /g) ?? []).length >= times, { what: `${times} [y/N] prompt(s)` });
}

afterEach(() => vi.useRealTimers());

describe('askPerson', () => {
  it('shows the detail and a [y/N] prompt; y or yes is yes', async () => {
    const t = terminal();
    const answer = askPerson({
      question: 'allow /data for gemini?',
      detail: 'gemini was refused a write to /data',
      defaultAnswer: 'no',
      timeoutMs: 60_000,
      input: t.input,
      output: t.output,
    });
    await prompted(t.shown);
    t.input.write('Yes\n');
    await expect(answer).resolves.toBe('yes');
    expect(t.shown()).toBe('gemini was refused a write to /data\nallow /data for gemini? [y/N] ');
  });

  it('an empty line or anything else is no', async () => {
    for (const line of ['\n', 'n\n', 'sure\n']) {
      const t = terminal();
      const answer = askPerson({ question: 'q?', defaultAnswer: 'no', timeoutMs: 60_000, input: t.input, output: t.output });
      await prompted(t.shown);
      t.input.write(line);
      await expect(answer).resolves.toBe('no');
    }
  });

  it('gives up after timeoutMs and leaves no listener behind', async () => {
    vi.useFakeTimers();
    const t = terminal();
    const answer = askPerson({ question: 'q?', defaultAnswer: 'no', timeoutMs: 30_000, input: t.input, output: t.output });
    await vi.advanceTimersByTimeAsync(30_000);
    await expect(answer).resolves.toBe('timeout');
    expect(t.shown()).toContain('no answer within 30 s: no');
    expect(t.input.listenerCount('data')).toBe(0);
    expect(t.input.listenerCount('end')).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
    expect(t.input.isPaused()).toBe(true);
  });

  it('asks one question at a time on the same terminal', async () => {
    const t = terminal();
    const first = askPerson({ question: 'first?', defaultAnswer: 'no', timeoutMs: 60_000, input: t.input, output: t.output });
    const second = askPerson({ question: 'second?', defaultAnswer: 'no', timeoutMs: 60_000, input: t.input, output: t.output });
    await prompted(t.shown);
    expect(t.shown()).not.toContain('second?');
    t.input.write('y\n');
    await expect(first).resolves.toBe('yes');
    await prompted(t.shown, 2);
    t.input.write('n\n');
    await expect(second).resolves.toBe('no');
    expect(t.input.listenerCount('data')).toBe(0);
  });

  it('a withdrawn question is no longer asked, and a closed input counts as no answer', async () => {
    const t = terminal();
    const withdraw = new AbortController();
    const first = askPerson({
      question: 'first?',
      defaultAnswer: 'no',
      timeoutMs: 60_000,
      input: t.input,
      output: t.output,
      signal: withdraw.signal,
    });
    const second = askPerson({ question: 'second?', defaultAnswer: 'no', timeoutMs: 60_000, input: t.input, output: t.output });
    await prompted(t.shown);
    withdraw.abort();
    await expect(first).resolves.toBe('timeout');
    await prompted(t.shown, 2);
    t.input.end();
    await expect(second).resolves.toBe('timeout');
  });
});
