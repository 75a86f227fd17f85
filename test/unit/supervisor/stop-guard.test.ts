import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { StopGuard } from '../../../src/supervisor/stop-guard.js';
import { childRegistry } from '../../../src/process/child-registry.js';

let guard: StopGuard | undefined;
afterEach(() => {
  guard?.close();
  guard = undefined;
  vi.useRealTimers();
});

describe('StopGuard', () => {
  it('stops the session after --timeout (plus the kill grace and a margin), as an agent failure', () => {
    vi.useFakeTimers();
    const stderr = new PassThrough();
    guard = new StopGuard({ stderr, timeoutMs: 60_000, killGraceMs: 5_000 });
    vi.advanceTimersByTime(60_000 + 5_000 + 9_999);
    expect(guard.signal.aborted).toBe(false);
    vi.advanceTimersByTime(1);
    expect(guard.signal.aborted).toBe(true);
    expect(guard.signal.reason).toEqual({ code: 5, reason: 'the session ran past its --timeout of 1m', by: 'timeout' });
  });

  it('before the first launch the backstop also waits out the probes and the self-test; from the launch it counts afresh', () => {
    vi.useFakeTimers();
    const stderr = new PassThrough();
    guard = new StopGuard({ stderr, timeoutMs: 4_000, killGraceMs: 500, probeTimeoutMs: 120_000 });
    // a start slowed by load: 3 minutes of probing and copying, far past --timeout, is not the session's time
    vi.advanceTimersByTime(180_000);
    expect(guard.signal.aborted).toBe(false);
    guard.onEntry({ type: 'session.started' });
    guard.onEntry({ type: 'budget.launch' });
    vi.advanceTimersByTime(4_000 + 500 + 9_999);
    expect(guard.signal.aborted).toBe(false);
    guard.onEntry({ type: 'agent.launched' }); // a later launch does not push it out again
    vi.advanceTimersByTime(1);
    expect(guard.signal.reason).toEqual({ code: 5, reason: 'the session ran past its --timeout of 4s', by: 'timeout' });
  });

  it('a session stuck before any launch is still stopped, once the probe and self-test bounds are past', () => {
    vi.useFakeTimers();
    guard = new StopGuard({ stderr: new PassThrough(), timeoutMs: 4_000, killGraceMs: 500, probeTimeoutMs: 10_000 });
    vi.advanceTimersByTime(10_000 + 30_000 + 4_000 + 500 + 10_000 - 1);
    expect(guard.signal.aborted).toBe(false);
    vi.advanceTimersByTime(1);
    expect(guard.signal.aborted).toBe(true);
  });

  it('a first signal stops cleanly; a second kills every agent group and exits 130', () => {
    const stderr = new PassThrough();
    guard = new StopGuard({ stderr, timeoutMs: 60_000, killGraceMs: 5_000 });
    const exit = vi.spyOn(process, 'exit').mockImplementation((() => undefined) as never);
    const killAll = vi.spyOn(childRegistry, 'killAll').mockImplementation(() => undefined);
    process.emit('SIGTERM', 'SIGTERM');
    expect(guard.signal.aborted).toBe(true);
    expect(exit).not.toHaveBeenCalled();
    process.emit('SIGTERM', 'SIGTERM');
    expect(killAll).toHaveBeenCalledTimes(1);
    expect(exit).toHaveBeenCalledWith(130);
  });

  it('a stop that does not finish is forced after the grace', () => {
    vi.useFakeTimers();
    const stderr = new PassThrough();
    guard = new StopGuard({ stderr, timeoutMs: 60_000, killGraceMs: 1_000 });
    const exit = vi.spyOn(process, 'exit').mockImplementation((() => undefined) as never);
    vi.spyOn(childRegistry, 'killAll').mockImplementation(() => undefined);
    process.emit('SIGINT', 'SIGINT');
    vi.advanceTimersByTime(1_000 + 15_000);
    expect(exit).toHaveBeenCalledWith(130);
  });
});
