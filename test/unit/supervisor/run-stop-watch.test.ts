import { describe, expect, it } from 'vitest';
import { RunStopWatch, type StopDecision } from '../../../src/supervisor/run-stop-watch.js';
import { SessionStop } from '../../../src/supervisor/session-stop.js';
import { ManualClock } from '../../helpers/manual-clock.js';

function watcher(options: { timeoutMs?: number; stallMs?: number; paused?: () => boolean; signal?: AbortSignal } = {}) {
  const clock = new ManualClock();
  const stops: StopDecision[] = [];
  const watch = new RunStopWatch({
    clock,
    timeoutMs: options.timeoutMs ?? 60_000,
    stallMs: options.stallMs ?? 0,
    ...(options.paused ? { isPaused: options.paused } : {}),
    signal: options.signal ?? new AbortController().signal,
    onStop: (d) => stops.push(d),
  });
  return { clock, stops, watch };
}

describe('RunStopWatch', () => {
  it('stops a run that passes its budget, with grace, and not a moment before', () => {
    const { clock, stops, watch } = watcher({ timeoutMs: 10_000 });
    watch.arm();
    clock.advance(9_999);
    expect(stops).toEqual([]);
    clock.advance(1);
    expect(stops).toEqual([{ by: 'timeout', reason: 'ran past its budget of 10 s', now: false }]);
  });

  it('stops a run with no event for the stall time; each event starts the count again', () => {
    const { clock, stops, watch } = watcher({ stallMs: 5_000 });
    watch.arm();
    clock.advance(4_000);
    watch.eventArrived();
    clock.advance(4_000);
    expect(stops).toEqual([]);
    clock.advance(1_000);
    expect(stops).toEqual([{ by: 'stall', reason: 'no event for 5 s', now: false }]);
  });

  it('does not count a paused run as stalled', () => {
    let paused = true;
    const { clock, stops, watch } = watcher({ timeoutMs: 600_000, stallMs: 5_000, paused: () => paused });
    watch.arm();
    clock.advance(60_000);
    expect(stops).toEqual([]);
    paused = false;
    clock.advance(5_000);
    expect(stops.map((s) => s.by)).toEqual(['stall']);
  });

  it("stops as interrupted when the session aborts, with the abort's reason", () => {
    const abort = new AbortController();
    const { stops, watch } = watcher({ signal: abort.signal });
    watch.arm();
    abort.abort('the person pressed Ctrl-C');
    expect(stops).toEqual([{ by: 'interrupt', reason: 'the person pressed Ctrl-C', now: false }]);
  });

  it("stops as timed out when the session's --timeout backstop stops it (the session's own stop, in SessionStop's words)", () => {
    const outer = new AbortController();
    const session = new SessionStop(outer.signal);
    const { stops, watch } = watcher({ signal: session.signal });
    watch.arm();
    outer.abort({ code: 5, reason: 'the session ran past its --timeout of 2s', by: 'timeout' });
    expect(stops).toEqual([{ by: 'timeout', reason: 'the session ran past its --timeout of 2s', now: false }]);
    expect(session.status).toBe('timed_out');
  });

  it('stops as interrupted when the session is stopped by a signal (SessionStop without a kind)', () => {
    const outer = new AbortController();
    const session = new SessionStop(outer.signal);
    const { stops, watch } = watcher({ signal: session.signal });
    watch.arm();
    outer.abort();
    expect(stops).toEqual([{ by: 'interrupt', reason: 'the session was interrupted', now: false }]);
    expect(session.status).toBe('interrupted');
  });

  it('reports the first cause only; later ones are ignored', () => {
    const { clock, stops, watch } = watcher({ timeoutMs: 1_000 });
    watch.arm();
    watch.stop('safety', 'rm -rf / blocked', true);
    clock.advance(5_000);
    watch.stop('escalation', 'later');
    expect(stops).toEqual([{ by: 'safety', reason: 'rm -rf / blocked', now: true }]);
    expect(watch.decision?.by).toBe('safety');
  });

  it('keeps a stop decided before it was armed (a policy on the first output) and arms nothing after close', () => {
    const { clock, stops, watch } = watcher({ timeoutMs: 1_000, stallMs: 500 });
    watch.stop('safety', 'blocked early', true);
    expect(stops).toHaveLength(1);
    watch.close();
    expect(clock.pending).toBe(0);
    const armed = watcher({ timeoutMs: 1_000, stallMs: 500 });
    armed.watch.arm();
    expect(armed.clock.pending).toBe(2);
    armed.watch.close();
    expect(armed.clock.pending).toBe(0);
  });
});
