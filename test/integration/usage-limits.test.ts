import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startClockSession } from '../helpers/clock-session.js';
import { OrchestrateHarness } from '../helpers/orchestrate-harness.js';
import { waitFor } from '../helpers/until.js';

// Issue 18: a usage limit with a reset time parks the agent until then (no retry spent), and a
// wait that would pass the session's budget hands the work to another agent. The simulated
// claude sends `rate_limit_event` (status rejected, resetsAt in unix seconds) and then fails the
// call with HTTP 429, as claude 2.1.330's schema describes it.
const TASK = 'Add a --json flag to the report command';
const START = Date.parse('2026-11-21T12:00:00Z');
const HOUR = 3_600_000;
let cleanup: (() => Promise<void>) | undefined;
let h: OrchestrateHarness | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
  await h?.cleanup();
  h = undefined;
});

type Entry = Record<string, any> & { seq: number; type: string };

/** A session of one assignment for `agent` on the injected clock, run through runSession (the CLI has no clock to inject). */
function parkingSession(agent: 'claude' | 'codex' | 'gemini', runs: unknown[][]) {
  const s = startClockSession({
    prefix: 'orch-limit-',
    agents: [agent],
    scenarios: { [agent]: { runs: runs.map((steps) => ({ steps })) } },
    start: START,
    // a 3-hour session: a 1-hour wait fits, so the agent is parked, not replaced
    timeoutMs: 3 * HOUR,
    review: { enabled: false, timerMs: 0, maxRounds: 2, strict: false },
  });
  cleanup = s.cleanup;
  return { session: s.session, read: s.read, launches: () => s.launches(agent), clock: s.clock, running: s.running };
}

/** The parked run goes on exactly at its reset on the injected clock (not a millisecond before), and the session succeeds. */
async function goesOnAtTheReset(
  agent: 'claude' | 'codex' | 'gemini',
  parking: ReturnType<typeof parkingSession>,
  opts: { resumes?: boolean } = {},
) {
  const { session, read, launches, clock, running } = parking;
  clock.advance(HOUR - 1);
  expect(read().filter((e) => e.type === 'recovery.unparked')).toEqual([]);
  expect(launches()).toBe(1);
  clock.advance(1);
  const unparked = await waitFor(() => read().find((e) => e.type === 'recovery.unparked'), { what: 'recovery.unparked', unless: running });
  expect(unparked).toMatchObject({ agent, assignment: 'impl', until: '2026-11-21T13:00:00.000Z', waitedMs: HOUR });
  const result = await session;
  expect(result.exitCode).toBe(0);
  expect(launches()).toBe(2);
  if (opts.resumes) {
    // the second run resumed the CLI's own session
    const sessionId = read().find((e) => e.type === 'agent.session')?.['sessionId'];
    const second = read().filter((e) => e.type === 'agent.launched')[1] as Entry;
    expect(second.argv).toEqual(expect.arrayContaining(['--resume', sessionId]));
  }
  expect(result.summary.assignments[0]).toMatchObject({ status: 'succeeded', agent });
}

describe('usage limits', () => {
  it('a rate_limit_event with a reset time parks claude until the injected clock passes it, then it goes on', async () => {
    const resetsAt = (START + HOUR) / 1000;
    const parking = parkingSession('claude', [
      [{ say: 'MILESTONE: started' }, { rateLimit: { status: 'rejected', resetsAt, rateLimitType: 'five_hour' } }],
      [{ write: { path: 'after-reset.txt', content: 'ok\n' } }, { say: 'DONE: after the reset' }],
    ]);
    const { read, launches, running } = parking;

    const parked = await waitFor(() => read().find((e) => e.type === 'recovery.parked'), { what: 'recovery.parked', unless: running });
    expect(parked).toMatchObject({
      agent: 'claude',
      assignment: 'impl',
      cause: 'claude.api-rate-limit',
      until: '2026-11-21T13:00:00.000Z',
    });
    expect(read().find((e) => e.type === 'agent.rate_limit')).toMatchObject({
      status: 'rejected',
      resetsAt: '2026-11-21T13:00:00.000Z',
      limitType: 'five_hour',
    });
    // parked, not retried: no relaunch entry, one launch so far
    expect(read().filter((e) => e.type === 'recovery.relaunch')).toEqual([]);
    expect(launches()).toBe(1);
    // the park's timer is on the injected clock: a millisecond before the reset nothing goes on
    await goesOnAtTheReset('claude', parking, { resumes: true });
  });

  it("gemini's quota error (TerminalQuotaError, `Your quota will reset after 1h0m0s`) parks it until the injected clock passes the reset", async () => {
    const message = 'You have exhausted your capacity on this model. Your quota will reset after 1h0m0s.';
    const parking = parkingSession('gemini', [
      [
        { say: 'MILESTONE: started' },
        { apiError: { status: 429, quota: 'terminal', message, retryDelayMs: HOUR, reason: 'QUOTA_EXHAUSTED' } },
      ],
      [{ write: { path: 'after-reset.txt', content: 'ok\n' } }, { say: 'DONE: after the reset' }],
    ]);
    const { read, launches, running } = parking;

    const parked = await waitFor(() => read().find((e) => e.type === 'recovery.parked'), { what: 'recovery.parked', unless: running });
    expect(parked).toMatchObject({
      agent: 'gemini',
      assignment: 'impl',
      cause: 'gemini.api-rate-limit',
      until: '2026-11-21T13:00:00.000Z',
    });
    expect(parked['detail']).toMatch(/parked until its reset \(reset after\)/);
    // the run's end says why (exit 173 = 429 & 255, the quota message in the result)
    expect(read().find((e) => e.type === 'agent.exited')).toMatchObject({ code: 173 });
    expect(read().find((e) => e.type === 'agent.result')?.['error']).toContain(message);
    expect(read().filter((e) => e.type === 'recovery.relaunch' || e.type === 'recovery.fallback')).toEqual([]);
    expect(launches()).toBe(1);
    await goesOnAtTheReset('gemini', parking, { resumes: true });
  });

  it("codex's usage limit (`try again at <local time>`) parks it until that wall-clock time on the injected clock", async () => {
    // codex names the reset in the machine's local time (chrono `%-I:%M %p`): an hour after START here
    const at = new Date(START + HOUR);
    const when = `${at.getHours() % 12 || 12}:${String(at.getMinutes()).padStart(2, '0')} ${at.getHours() < 12 ? 'AM' : 'PM'}`;
    const parking = parkingSession('codex', [
      [{ say: 'MILESTONE: started' }, { apiError: { status: 429, usageLimit: when } }],
      [{ write: { path: 'after-reset.txt', content: 'ok\n' } }, { say: 'DONE: after the reset' }],
    ]);
    const { read, launches, running } = parking;

    const parked = await waitFor(() => read().find((e) => e.type === 'recovery.parked'), { what: 'recovery.parked', unless: running });
    expect(parked).toMatchObject({ agent: 'codex', assignment: 'impl', cause: 'codex.usage-limit', until: '2026-11-21T13:00:00.000Z' });
    expect(parked['detail']).toMatch(/parked until its reset \(try again at\)/);
    expect(read().find((e) => e.type === 'agent.result')?.['error']).toContain(`try again at ${when}.`);
    expect(read().filter((e) => e.type === 'recovery.relaunch' || e.type === 'recovery.fallback')).toEqual([]);
    expect(launches()).toBe(1);
    await goesOnAtTheReset('codex', parking);
  });

  it('a wait that would pass the session budget hands the work to another agent', async () => {
    h = new OrchestrateHarness({ agents: ['claude', 'codex'], config: { review: { enabled: false } } });
    const resetsAt = Math.floor(Date.now() / 1000) + 2 * 3600;
    const scenario = path.join(h.logDir, 'claude-limit.json');
    writeFileSync(scenario, JSON.stringify({ steps: [{ rateLimit: { status: 'rejected', resetsAt } }] }));
    const plan = path.join(h.root, 'plan.json');
    writeFileSync(
      plan,
      JSON.stringify({ assignments: [{ id: 'impl', agent: 'claude', role: 'implementation', title: 'implement it', weight: 1 }] }),
    );
    const exit = await h.run(['--agents', 'claude,codex', '--plan', plan, '--timeout', '10m', TASK], { FAKE_CLAUDE_SCENARIO: scenario });
    expect(exit.code, exit.stderr).toBe(0);
    const journal = h.journal() as Entry[];
    expect(journal.filter((e) => e.type === 'recovery.parked')).toEqual([]);
    expect(journal.find((e) => e.type === 'recovery.fallback')).toMatchObject({
      assignment: 'impl',
      from: 'claude',
      to: 'codex',
      cause: 'claude.api-rate-limit',
    });
    expect(journal.find((e) => e.type === 'recovery.fallback')?.['detail']).toMatch(/rate-limited past the session's deadline/);
    expect(h.json('summary.json').assignments[0]).toMatchObject({ status: 'succeeded', agent: 'codex', fallbackFrom: ['claude'] });
    expect(exit.stdout).toMatch(/impl handed from claude to codex/);
    expect(await h.waitNoProcesses()).toEqual([]);
  });
});
