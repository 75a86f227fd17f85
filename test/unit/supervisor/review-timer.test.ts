// The review coordinator's fallback timer on an injected clock: no process, no real timer. The
// coordinator is given no assignment states, so a requested review is journaled but not run
// (the end-to-end timer review with the simulated agents is in test/integration/reviews.test.ts).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ReviewCoordinator } from '../../../src/supervisor/review-coordinator.js';
import type { SessionRuntime } from '../../../src/supervisor/session-runtime.js';
import { SessionStop } from '../../../src/supervisor/session-stop.js';
import { Journal } from '../../../src/session/journal.js';
import type { JournalEntry } from '../../../src/session/journal-entry.js';
import { deriveTriggers } from '../../../src/review/triggers.js';
import { ManualClock } from '../../helpers/manual-clock.js';

const SETTINGS = { enabled: true, timerMs: 60_000, maxRounds: 2, strict: false };
let dir: string | undefined;
const journals: Journal[] = [];
afterEach(() => {
  for (const j of journals.splice(0)) j.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

function world(settings = SETTINGS) {
  dir = mkdtempSync(path.join(os.tmpdir(), 'review-timer-'));
  const clock = new ManualClock({ start: Date.parse('2026-11-21T12:00:00Z') });
  const journal = new Journal(path.join(dir, 'events.jsonl'), clock);
  journals.push(journal);
  const entries: JournalEntry[] = [];
  journal.subscribe((e) => void entries.push(e));
  const coordinator = new ReviewCoordinator(journal, settings);
  const stop = new SessionStop(new AbortController().signal);
  const rt = { opts: { clock }, journal, stop } as unknown as SessionRuntime;
  journal.append({ type: 'session.started', review: settings });
  coordinator.start(rt, new Map());
  const types = () => entries.map((e) => e.type).filter((t) => t.startsWith('review.'));
  return { clock, journal, entries, coordinator, stop, types };
}

describe('ReviewCoordinator fallback timer (injected clock)', () => {
  it('fires timerMs after the assignment started, not before, and requests a timer review', () => {
    const w = world();
    w.journal.append({ type: 'assignment.started', agent: 'claude', assignment: 'a' });
    w.clock.advance(59_999);
    expect(w.types()).toEqual([]);
    w.clock.advance(1);
    expect(w.types()).toEqual(['review.timer', 'review.requested']);
    const [timer, requested] = w.entries.filter((e) => e.type.startsWith('review.'));
    expect(timer).toMatchObject({ agent: 'claude', assignment: 'a', lastReviewAt: '2026-11-21T12:00:00.000Z', timerMs: 60_000 });
    expect(requested).toMatchObject({ review: 1, author: 'claude', assignment: 'a', trigger: { kind: 'timer', cause: timer!.seq } });
    // the live decisions are what a replay of the journal gives
    expect(deriveTriggers(w.entries).map((d) => [d.outcome, d.trigger.kind, d.trigger.cause])).toEqual([['request', 'timer', timer!.seq]]);
    w.coordinator.close();
  });

  it('coalesces while the review is open, re-arms from the decision, and stops at the finish', () => {
    const w = world();
    w.journal.append({ type: 'assignment.started', agent: 'codex', assignment: 'a' });
    w.clock.advance(60_000);
    w.clock.advance(60_000); // review 1 still open: the second timer is coalesced
    expect(w.types()).toEqual(['review.timer', 'review.requested', 'review.timer', 'review.coalesced']);
    w.clock.advance(30_000);
    w.journal.append({ type: 'review.decision', review: 1, assignment: 'a', author: 'codex', rule: 4, decision: 'continue' });
    w.clock.advance(59_999); // counted from the decision, not from the last firing
    expect(w.types().filter((t) => t === 'review.timer')).toHaveLength(2);
    w.clock.advance(1);
    expect(w.types().filter((t) => t === 'review.timer')).toHaveLength(3);
    expect(w.entries.filter((e) => e.type === 'review.requested').map((e) => e['review'])).toEqual([1, 2]);
    w.journal.append({ type: 'review.decision', review: 2, assignment: 'a', author: 'codex', rule: 4, decision: 'continue' });
    w.journal.append({ type: 'assignment.finished', agent: 'codex', assignment: 'a', status: 'failed' });
    expect(w.clock.pending).toBe(0);
    w.clock.advance(10 * 60_000);
    expect(w.types().filter((t) => t === 'review.timer')).toHaveLength(3);
  });

  it('arms nothing when the timer is off or reviews are disabled, and ignores reviewer runs', () => {
    for (const settings of [
      { ...SETTINGS, timerMs: 0 },
      { ...SETTINGS, enabled: false },
    ]) {
      const w = world(settings);
      w.journal.append({ type: 'assignment.started', agent: 'claude', assignment: 'a' });
      expect(w.clock.pending).toBe(0);
      w.coordinator.close();
      w.journal.close();
      journals.splice(journals.indexOf(w.journal), 1);
      rmSync(dir!, { recursive: true, force: true });
    }
    const w = world();
    w.journal.append({ type: 'assignment.started', agent: 'gemini', assignment: 'a', review: 3, role: 'review' });
    expect(w.clock.pending).toBe(0);
  });

  it('a timer that fires after the session stopped journals nothing', () => {
    const w = world();
    w.journal.append({ type: 'assignment.started', agent: 'claude', assignment: 'a' });
    w.stop.stop(130, 'test');
    w.clock.advance(60_000);
    expect(w.types()).toEqual([]);
  });
});
