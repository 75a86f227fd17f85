import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { fitWidth, oneLine, textWidth } from '../../../src/dashboard/fit-width.js';
import { LiveState } from '../../../src/dashboard/live-state.js';
import { TtyRenderer } from '../../../src/dashboard/tty-renderer.js';
import type { JournalEntry } from '../../../src/session/journal-entry.js';

const T0 = Date.parse('2026-12-05T12:00:00.000Z');
let seq = 0;
const at = (ms: number, e: Omit<JournalEntry, 'seq' | 'time'>): JournalEntry =>
  ({ seq: ++seq, time: new Date(T0 + ms).toISOString(), ...e }) as JournalEntry;

describe('fitWidth', () => {
  it('cuts by columns (wide characters count two) and marks the cut', () => {
    expect(fitWidth('abcdef', 4)).toBe('abc…');
    expect(fitWidth('abc', 3)).toBe('abc');
    expect(textWidth('日本語')).toBe(6);
    expect(textWidth(fitWidth('日本語日本語', 5))).toBeLessThanOrEqual(5);
    expect(oneLine('a\nb\u001b[31mc\u0007')).toBe('a bc ');
  });
});

describe('LiveState', () => {
  it('tracks work and review runs apart: running, paused by run, reviewing, parked, gone when done', () => {
    const s = new LiveState();
    s.apply(at(0, { type: 'plan.created', assignments: [{}, {}] }));
    s.apply(at(0, { type: 'assignment.started', agent: 'claude', assignment: 'impl', budgetMs: 60_000 }));
    s.apply(at(10, { type: 'agent.launched', agent: 'claude', assignment: 'impl', run: 'impl' }));
    s.apply(at(20, { type: 'agent.usage', agent: 'claude', assignment: 'impl', inputTokens: 100, outputTokens: 20, costUsd: 0.01 }));
    expect(s.visible()).toEqual([
      expect.objectContaining({ agent: 'claude', state: 'running', tokens: 120, costUsd: 0.01, budgetMs: 60_000 }),
    ]);
    s.apply(at(30, { type: 'review.requested', review: 1, author: 'claude', assignment: 'impl' }));
    s.apply(at(31, { type: 'agent.launched', agent: 'codex', assignment: 'impl', review: 1, role: 'review', run: 'review-1' }));
    s.apply(at(32, { type: 'agent.paused', agent: 'codex', assignment: 'impl', run: 'review-1' }));
    expect(s.visible().map((r) => `${r.agent}:${r.state}:${r.review ?? '-'}:${r.author ?? '-'}`)).toEqual([
      'claude:running:-:-',
      'codex:paused:1:claude',
    ]);
    s.apply(at(33, { type: 'agent.resumed', agent: 'codex', assignment: 'impl', run: 'review-1' }));
    expect(s.visible()[1]?.state).toBe('reviewing');
    s.apply(at(40, { type: 'agent.exited', agent: 'codex', assignment: 'impl', review: 1, role: 'review', status: 'succeeded' }));
    s.apply(at(41, { type: 'recovery.parked', agent: 'claude', assignment: 'impl', until: '2026-12-05T13:00:00.000Z' }));
    expect(s.visible()).toEqual([expect.objectContaining({ agent: 'claude', state: 'parked', until: '2026-12-05T13:00:00.000Z' })]);
    s.apply(at(50, { type: 'assignment.finished', agent: 'claude', assignment: 'impl', status: 'succeeded' }));
    expect(s.visible()).toEqual([]);
    expect([s.done.size, s.total, s.costUsd]).toEqual([1, 2, 0.01]);
  });
});

describe('TtyRenderer', () => {
  it.each([20, 40, 80])('never writes a line wider than %i columns, and erases exactly what it drew', (columns) => {
    let screen = '';
    const out = Object.assign(new Writable({ write: (c, _e, cb) => ((screen += c.toString()), cb()) }), {
      columns,
      isTTY: true,
    }) as unknown as NodeJS.WriteStream;
    const r = new TtyRenderer(out, false, () => T0 + 65_000);
    r.setDashboardUrl('http://127.0.0.1:45555/?token=0123456789abcdef0123456789abcdef');
    const long = 'x'.repeat(300);
    r.onEntry(at(0, { type: 'plan.created', tier: 'full', tierReason: long, assignments: [{}] }));
    r.onEntry(
      at(0, { type: 'assignment.started', agent: 'claude', assignment: 'implementation-with-a-long-name', weight: 1, budgetMs: 60_000 }),
    );
    r.onEntry(at(1, { type: 'agent.launched', agent: 'claude', assignment: 'implementation-with-a-long-name', run: 'r', pid: 1 }));
    r.onEntry(
      at(2, {
        type: 'agent.report',
        agent: 'claude',
        assignment: 'implementation-with-a-long-name',
        kind: 'milestone',
        text: `日本語 ${long}`,
      }),
    );
    r.stop();
    // every line between escapes, as the terminal shows it

    const lines = screen
      .replace(/\u001b\[\d+A\r\u001b\[0J/g, '\n')
      .replace(/\u001b\[[0-9;]*m/g, '')
      .split('\n');
    for (const l of lines) expect(textWidth(l), l).toBeLessThan(columns);
    // played on a minimal terminal (newline, cursor up, erase below): only the printed lines stay
    expect(play(screen)).toEqual(lines.filter((l) => /^\d\d:\d\d:\d\d /.test(l)));
    if (columns >= 40) expect(screen).toContain('(0:05 over)'); // 65 s into a 60 s budget
  });
});

describe('TtyRenderer: spend (issue 18)', () => {
  it('shows the spend against the ceilings, and an unpriced model as unknown, never $0', () => {
    let screen = '';
    const out = Object.assign(new Writable({ write: (c, _e, cb) => ((screen += c.toString()), cb()) }), {
      columns: 160,
      isTTY: true,
    }) as unknown as NodeJS.WriteStream;
    const r = new TtyRenderer(out, false, () => T0 + 5_000);
    r.onEntry(at(0, { type: 'session.started', ceilings: { costUsd: 2, tokens: 1000 } }));
    r.onEntry(at(0, { type: 'plan.created', tier: 'full', tierReason: 'x', assignments: [{}, {}] }));
    r.onEntry(at(0, { type: 'assignment.started', agent: 'gemini', assignment: 'a', weight: 1, budgetMs: 60_000 }));
    r.onEntry(at(1, { type: 'agent.launched', agent: 'gemini', assignment: 'a', run: 'r', pid: 1 }));
    r.onEntry(at(2, { type: 'agent.usage', agent: 'gemini', assignment: 'a', inputTokens: 100, outputTokens: 20, costSource: 'unknown' }));
    // a printed line redraws the block (otherwise its timer does)
    r.onEntry(at(3, { type: 'agent.report', agent: 'gemini', assignment: 'a', kind: 'milestone', text: 'working' }));
    r.stop();
    const shown = screen.replace(/\u001b\[[0-9;]*m/g, '');
    // the block as drawn after the usage report
    const last = shown.slice(shown.indexOf('gemini MILESTONE: working'));
    expect(last).toContain('cost unknown (≥$0.0000) of $2 · 120 of 1.0k tok');
    expect(last).toContain('120 tok $? (≥$0.0000)');
    expect(last).not.toMatch(/(?<!≥)\$0\.0000/);
  });
});

/** The rows a terminal shows after `text` (lines never wrap here: the renderer fits them). */
function play(text: string): string[] {
  const rows: string[] = [];
  let row = 0;

  for (const token of text.replace(/\u001b\[[0-9;]*m/g, '').split(/(\u001b\[\d+A|\u001b\[0J|\r|\n)/)) {
    const up = /^\u001b\[(\d+)A$/.exec(token);
    if (up) row = Math.max(0, row - Number(up[1]));
    else if (token === '\u001b[0J') rows.length = row;
    else if (token === '\n') row += 1;
    else if (token && token !== '\r') rows[row] = (rows[row] ?? '') + token;
  }
  return rows.filter((r) => r !== undefined);
}
