import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { OrchestrateHarness, SANDBOX_USABLE, type OrchestrateRun } from '../helpers/orchestrate-harness.js';

// `orchestrate ctl` against a real running session: claude and gemini each "say" a line every
// 50 ms (a scenario file in the log dir), codex is there to review. Pausing claude alone leaves
// gemini ticking, which is the clock: claude's output is proven to stand still while gemini's grows.
const TASK = 'Add a --json flag to the report command';
let h: OrchestrateHarness;
afterEach(async () => h?.cleanup());

const modes = SANDBOX_USABLE ? [[], ['--no-sandbox']] : [['--no-sandbox']];

/** A scenario that emits a plain line every 50 ms for about a minute (no report lines: nothing triggers a review). */
function tickerScenario(h: OrchestrateHarness): string {
  const file = path.join(h.logDir, 'ticker.json');
  const steps = Array.from({ length: 1200 }, (_, i) => [{ say: `tick ${i}` }, { delayMs: 50 }]).flat();
  writeFileSync(file, JSON.stringify({ description: 'a line every 50 ms', steps }));
  return file;
}

function writePlan(h: OrchestrateHarness): string {
  const file = path.join(h.root, 'plan.json');
  writeFileSync(
    file,
    JSON.stringify({
      assignments: [
        { id: 'ticks-claude', agent: 'claude', title: 'tick', weight: 1 },
        { id: 'ticks-gemini', agent: 'gemini', title: 'tick too', weight: 1 },
      ],
    }),
  );
  return file;
}

/** Bytes of the agent's raw stdout (its one run's stdout.jsonl) so far. */
function stdoutBytes(h: OrchestrateHarness, agent: string): number {
  const session = h.sessionDirs().at(-1);
  const dir = session ? path.join(session, 'agents', agent) : '';
  if (!dir || !existsSync(dir)) return 0;
  const runs = readdirSync(dir);
  const file = runs.length === 1 ? path.join(dir, runs[0] ?? '', 'stdout.jsonl') : '';
  return file && existsSync(file) ? readFileSync(file).length : 0;
}

/** The agent's `agent.message` entries in the journal so far. */
function messages(h: OrchestrateHarness, agent: string): number {
  return h.journal().filter((e) => e.type === 'agent.message' && e.agent === agent && e['review'] === undefined).length;
}

/** Waits until the agent's stdout has grown by `bytes` past `from` (while orchestrate runs). */
function grows(h: OrchestrateHarness, agent: string, from: number, bytes = 1000): Promise<number> {
  return h.waitWhileRunning(
    () => (stdoutBytes(h, agent) >= from + bytes ? stdoutBytes(h, agent) : undefined),
    `${agent}'s stdout to grow past ${from + bytes} bytes`,
  );
}

async function startTicking(mode: string[]): Promise<{ run: OrchestrateRun; id: string }> {
  h = new OrchestrateHarness({ config: { killGrace: '1s' } });
  const ticker = tickerScenario(h);
  const run = h.start([...mode, '--agents', 'claude,gemini,codex', '--plan', writePlan(h), TASK], {
    FAKE_CLAUDE_SCENARIO: ticker,
    FAKE_GEMINI_SCENARIO: ticker,
  });
  await grows(h, 'claude', 0);
  await grows(h, 'gemini', 0);
  return { run, id: path.basename(h.sessionDir()) };
}

describe('orchestrate ctl on a running session', () => {
  it.each(modes)("pause stops an agent's output until resume; stop ends the session with 130 and nothing left %j", async (...mode) => {
    const { run, id } = await startTicking(mode);

    const paused = await h.run(['ctl', id, 'pause', '--agent', 'claude']);
    expect(paused.code, paused.stderr).toBe(0);
    expect(paused.stdout).toContain('pause (claude) done: paused claude');
    // Lines claude wrote before it was stopped may still be in its pipe, or in orchestrate's copy
    // on their way to disk: once gemini's output written after the pause has been read and
    // copied, those older lines are in too (not a time bound: under load this takes what it takes).
    await grows(h, 'gemini', stdoutBytes(h, 'gemini'), 2000);
    // from here on nothing comes from claude while gemini ticks on
    const claudeAt = stdoutBytes(h, 'claude');
    const messagesAt = messages(h, 'claude');
    await grows(h, 'gemini', stdoutBytes(h, 'gemini'), 2000); // ~20 gemini lines: about a second
    expect(stdoutBytes(h, 'claude')).toBe(claudeAt);
    expect(messages(h, 'claude')).toBe(messagesAt);
    expect(h.json('session.json').processes.find((p: { agent: string }) => p.agent === 'claude')).toMatchObject({ paused: true });

    const again = await h.run(['ctl', id, 'pause', '--agent', 'claude']);
    expect(again.code).toBe(2); // already paused: ignored
    expect(again.stdout + again.stderr).toContain('already paused: claude');

    const resumed = await h.run(['ctl', id, 'resume']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stdout).toContain(`session ${id}: resume done: resumed claude`);
    await grows(h, 'claude', claudeAt);
    await h.waitWhileRunning(() => messages(h, 'claude') > messagesAt, 'claude messages journaled again');

    const journal = h.journal();
    const requests = journal.filter((e) => e.type === 'control.request').map((e) => `${e['action']}:${e.agent ?? '*'}`);
    expect(requests).toEqual(['pause:claude', 'pause:claude', 'resume:*']);
    expect(journal.filter((e) => e.type === 'control.result').map((e) => `${e['action']}:${e['result']}`)).toEqual([
      'pause:done',
      'pause:ignored',
      'resume:done',
    ]);
    const pausedEntry = journal.find((e) => e.type === 'agent.paused');
    expect(pausedEntry).toMatchObject({ agent: 'claude', assignment: 'ticks-claude' });
    expect((pausedEntry?.['pids'] as number[]).length).toBeGreaterThan(0);
    expect(journal.find((e) => e.type === 'agent.resumed')).toMatchObject({ agent: 'claude', assignment: 'ticks-claude' });
    expect(journal.filter((e) => e.type === 'agent.paused' && e.agent !== 'claude')).toEqual([]);

    const stop = await h.run(['ctl', id, 'stop']);
    expect(stop.code, stop.stderr).toBe(0);
    const exit = await run.exited;
    expect(exit.code).toBe(130);
    expect(h.json('summary.json')).toMatchObject({ exitCode: 130, outcome: 'interrupted' });
    expect(h.json('session.json').state).toBe('interrupted');
    expect(h.journal().find((e) => e.type === 'session.stopping')).toMatchObject({ by: 'control' });
    expect(h.journal().at(-1)).toMatchObject({ type: 'session.completed', exitCode: 130 });
    expect(await h.waitNoProcesses()).toEqual([]);
  });

  it('stop ends a paused session too: the paused agents get their SIGTERM', async () => {
    const { run, id } = await startTicking([]);
    expect((await h.run(['ctl', id, 'pause'])).code).toBe(0);
    expect(
      h
        .journal()
        .filter((e) => e.type === 'agent.paused')
        .map((e) => e.agent)
        .sort(),
    ).toEqual(['claude', 'gemini']);
    expect((await h.run(['ctl', id, 'stop'])).code).toBe(0);
    expect((await run.exited).code).toBe(130);
    expect(
      h
        .journal()
        .filter((e) => e.type === 'agent.resumed')
        .map((e) => e.agent)
        .sort(),
    ).toEqual(['claude', 'gemini']);
    expect(await h.waitNoProcesses()).toEqual([]);
  });

  it('SIGINT to orchestrate while agents are paused: they are continued, act on their SIGTERM, and the session ends with 130', async () => {
    // a long grace: an agent left stopped would only go at SIGKILL, 30 s later
    h = new OrchestrateHarness({ config: { killGrace: '30s' } });
    const ticker = tickerScenario(h);
    const run = h.start(['--agents', 'claude,gemini,codex', '--plan', writePlan(h), TASK], {
      FAKE_CLAUDE_SCENARIO: ticker,
      FAKE_GEMINI_SCENARIO: ticker,
      GEMINI_CLI_NO_RELAUNCH: 'true',
    });
    await grows(h, 'claude', 0);
    await grows(h, 'gemini', 0);
    const id = path.basename(h.sessionDir());
    expect((await h.run(['ctl', id, 'pause'])).code).toBe(0);
    run.child.kill('SIGINT');
    expect((await run.exited).code).toBe(130);
    const journal = h.journal();
    expect(
      journal
        .filter((e) => e.type === 'agent.resumed')
        .map((e) => e.agent)
        .sort(),
    ).toEqual(['claude', 'gemini']);
    // each ended on its SIGTERM (claude exits 143, gemini's child 0), none needed the SIGKILL
    const exits = journal.filter((e) => e.type === 'agent.exited' && e['review'] === undefined);
    expect(exits.map((e) => e.agent).sort()).toEqual(['claude', 'gemini']);
    for (const e of exits) expect(e['signal'] ?? null, JSON.stringify(e)).not.toBe('SIGKILL');
    expect(await h.waitNoProcesses()).toEqual([]);
  });

  it('review journals a person-triggered review of the running assignment', async () => {
    const { run, id } = await startTicking([]);
    const review = await h.run(['ctl', id, 'review', '--agent', 'claude']);
    expect(review.code, review.stderr).toBe(0);
    expect(review.stdout).toContain('review requested for claude');
    const requested = await h.waitWhileRunning(() => h.journal().find((e) => e.type === 'review.requested'), 'review.requested');
    const request = h.journal().find((e) => e.type === 'control.request' && e['action'] === 'review');
    expect(requested).toMatchObject({ assignment: 'ticks-claude', author: 'claude', trigger: { kind: 'person', cause: request?.seq } });
    // the review runs (codex reviews claude) and decides while claude keeps working
    await h.waitWhileRunning(
      () => h.journal().find((e) => e.type === 'review.decision' && e['review'] === requested['review']),
      'the review decided',
    );
    expect(h.journal().filter((e) => e.type === 'review.requested' && e['review'] !== requested['review'])).toEqual([]);
    expect((await h.run(['ctl', id, 'stop'])).code).toBe(0);
    expect((await run.exited).code).toBe(130);
    expect(await h.waitNoProcesses()).toEqual([]);
  });
});
