import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Journal } from '../../../src/session/journal.js';
import { parseJournal, readJournal } from '../../../src/session/read-journal.js';
import { until } from '../../helpers/until.js';

const fixedClock = { now: () => Date.UTC(2026, 10, 21, 12), setTimeout: () => () => undefined };

function writeSample(): string {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'journal-')), 'events.jsonl');
  const j = new Journal(file, fixedClock);
  j.append({ type: 'session.started', task: 'a "quoted" task ✓' });
  j.append({ type: 'agent.message', agent: 'claude', text: 'line one\nline two' });
  j.append({ type: 'session.completed', exitCode: 0 });
  j.close();
  return file;
}

describe('Journal', () => {
  it('appends one whole JSON line per entry with seq and time', () => {
    const file = writeSample();
    const lines = readFileSync(file, 'utf8').split('\n');
    expect(lines.at(-1)).toBe('');
    const entries = lines.slice(0, -1).map((l) => JSON.parse(l));
    expect(entries.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(entries[0]).toMatchObject({ time: '2026-11-21T12:00:00.000Z', type: 'session.started' });
  });

  it('stamps the entries of one batch (a chunk of lines) with the time of its first, each other entry with its own', () => {
    let now = Date.UTC(2026, 10, 21, 12);
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'journal-')), 'events.jsonl');
    const j = new Journal(file, { now: () => now++, setTimeout: () => () => undefined });
    j.append({ type: 'session.started', task: 't' });
    j.batch(() => {
      j.append({ type: 'agent.message', agent: 'claude', text: 'a' });
      j.append({ type: 'agent.message', agent: 'claude', text: 'b' });
    });
    j.append({ type: 'session.completed', exitCode: 0 });
    j.close();
    const times = readFileSync(file, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => (JSON.parse(l) as { time: string }).time.slice(17));
    expect(times).toEqual(['00.000Z', '00.001Z', '00.001Z', '00.002Z']);
  });

  it('continues the sequence after lastSeq (resume)', () => {
    const file = writeSample();
    const j = new Journal(file, fixedClock, 3);
    expect(j.append({ type: 'session.resumed' }).seq).toBe(4);
    j.close();
    expect(readJournal(file).entries.map((e) => e.seq)).toEqual([1, 2, 3, 4]);
  });

  it('loads a journal cut at every byte offset of its last line, reporting the torn line', () => {
    const bytes = readFileSync(writeSample());
    const lastStart = bytes.subarray(0, bytes.length - 1).lastIndexOf(0x0a) + 1;
    for (let cut = lastStart; cut <= bytes.length; cut++) {
      const { entries, torn } = parseJournal(bytes.subarray(0, cut));
      expect(entries.map((e) => e.seq)).toEqual(cut === bytes.length ? [1, 2, 3] : [1, 2]);
      if (cut === lastStart || cut === bytes.length) expect(torn).toBeUndefined();
      else expect(torn).toMatchObject({ line: 3, byteOffset: lastStart });
    }
  });

  it('holds the lines of stream batches for 10 ms, then writes them in order', async () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'journal-')), 'events.jsonl');
    const j = new Journal(file, fixedClock);
    const heard: number[] = [];
    j.subscribe((e) => heard.push(e.seq));
    j.batch(() => j.append({ type: 'agent.message', agent: 'claude', text: 'one' }));
    j.batch(() => j.append({ type: 'agent.message', agent: 'codex', text: 'two' }));
    expect(heard).toEqual([1, 2]); // listeners at once
    expect(readFileSync(file, 'utf8')).toBe(''); // the file when the window ends
    await until(() => readFileSync(file, 'utf8') !== '', { what: 'the held lines written' });
    expect(readJournal(file).entries.map((e) => e.seq)).toEqual([1, 2]);
    j.batch(() => j.append({ type: 'agent.message', agent: 'claude', text: 'three' }));
    // an entry outside a batch is written at once, after what is held
    j.append({ type: 'agent.exited', agent: 'claude', code: 0 });
    expect(readJournal(file).entries.map((e) => e.seq)).toEqual([1, 2, 3, 4]);
    j.batch(() => j.append({ type: 'agent.message', agent: 'claude', text: 'five' }));
    j.close();
    expect(readJournal(file).entries.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
  });

  it('writes held lines byte for byte: wide characters, a line past the held buffer, many flushes', () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'journal-')), 'events.jsonl');
    const j = new Journal(file, fixedClock);
    const texts = ['ascii', 'wide ✓ 日本語 🚀', 'é', 'x'.repeat(3 * 1024 * 1024), 'после', '', '\u2028 and \ud83d\ude80'];
    const written: string[] = [];
    j.subscribe((_, line) => written.push(line));
    for (let round = 0; round < 3; round++) {
      for (const text of texts) j.batch(() => j.append({ type: 'agent.message', agent: 'claude', text }));
      j.flush();
    }
    j.close();
    // the file is exactly the lines the listeners were told, in order, each whole
    expect(readFileSync(file, 'utf8')).toBe(`${written.join('\n')}\n`);
    expect(readJournal(file).entries.map((e) => e['text'])).toEqual([...texts, ...texts, ...texts]);
  });

  it('writes held lines when the process exits before the turn ends', () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'journal-')), 'events.jsonl');
    const script = `
      import { Journal } from ${JSON.stringify(new URL('../../../dist/session/journal.js', import.meta.url).href)};
      const j = new Journal(${JSON.stringify(file)}, { now: () => 0, setTimeout: () => () => undefined });
      for (let i = 0; i < 3; i++) j.batch(() => j.append({ type: 'agent.message', agent: 'claude', text: String(i) }));
      process.exit(3);`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(3);
    expect(readJournal(file).entries.map((e) => e.seq)).toEqual([1, 2, 3]);
  });

  it('refuses a corrupt line in the middle, naming it', () => {
    expect(() => parseJournal(Buffer.from('{"seq":1}\nnot json\n{"seq":3}\n'))).toThrow(/journal line 2/);
  });
});
