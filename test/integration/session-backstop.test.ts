// The session's --timeout backstop (src/supervisor/stop-guard.ts) through the built CLI: a run
// still going when it fires was stopped because the session ran out of time, and says so.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { OrchestrateHarness } from '../helpers/orchestrate-harness.js';

let h: OrchestrateHarness | undefined;
afterEach(async () => {
  const left = await h?.finish();
  h = undefined;
  expect(left ?? []).toEqual([]);
});

describe('the --timeout backstop', { timeout: 180_000 }, () => {
  it('a review still running when it fires is timed out (exit 5), not interrupted, with the reason', async () => {
    // A reviewer's run gets at least a minute (src/supervisor/review-run.ts), so with --timeout 10s
    // the review outlives the session's time and only the backstop (10 s + kill grace + 10 s) ends it.
    // The author has the 10 s to write one file (were its own window to end it, no review would launch).
    h = new OrchestrateHarness({ agents: ['claude', 'codex'], config: { killGrace: '1s' } });
    const never = path.join(h.logDir, 'never-created');
    const scenarios = {
      FAKE_CLAUDE_SCENARIO: h.scenario('author', [{ write: { path: 'NOTES.md', content: 'notes\n' } }, { say: 'DONE: wrote NOTES.md' }]),
      FAKE_CODEX_SCENARIO: h.scenario('reviewer', [{ waitForFile: never }]),
    };
    const plan = path.join(h.root, 'plan.json');
    writeFileSync(
      plan,
      JSON.stringify({ assignments: [{ id: 'impl', agent: 'claude', role: 'implementation', title: 'implement it', weight: 1 }] }),
    );
    const exit = await h.run(['--agents', 'claude,codex', '--plan', plan, '--timeout', '10s', 'a task'], scenarios);

    expect(exit.code, exit.stderr).toBe(5);
    expect(exit.stderr).toContain('the session ran past its --timeout of 10s');
    // what the person reads: the stop's real cause and the assignment's status in the final table
    expect(exit.stdout).toContain('codex  stopping (timeout): the session ran past its --timeout of 10s');
    expect(exit.stdout).toMatch(/impl +claude +timed_out .*the session ran past its --timeout of 10s/);
    const journal = h.journal();
    // the reviewer really was waiting when the backstop came (its run launched, never finished by itself)
    expect(journal.some((e) => e.type === 'agent.launched' && e['role'] === 'review')).toBe(true);
    const reviewExit = journal.find((e) => e.type === 'agent.exited' && e['role'] === 'review');
    expect(reviewExit).toMatchObject({ status: 'timed_out', reason: 'the session ran past its --timeout of 10s' });
    const summary = h.json('summary.json');
    expect(summary.exitCode).toBe(5);
    expect(summary.assignments).toEqual([
      expect.objectContaining({ id: 'impl', status: 'timed_out', reason: expect.stringContaining('ran past its --timeout of 10s') }),
    ]);
    expect(JSON.stringify(journal)).not.toContain('"status":"interrupted"');
    expect(h.json('session.json').state).toBe('failed');
  });
});
