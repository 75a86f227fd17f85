import { appendFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readJournal } from '../../src/session/read-journal.js';
import { OrchestrateHarness, SANDBOX_USABLE } from '../helpers/orchestrate-harness.js';

// orchestrate SIGKILLed with three agents hanging (each ignoring SIGTERM, with a grandchild that
// ignores it too): nothing it started may survive it, with bubblewrap (die-with-parent) and without
// (the watchdog alone). Then `orchestrate resume` finishes the same session in the same directory,
// each agent resuming its own CLI session.
const TASK = 'Add a --json flag to the report command';
const AGENTS = ['claude', 'codex', 'gemini'] as const;
let h: OrchestrateHarness;
afterEach(async () => h?.cleanup());

/** Three independent assignments, one per agent, so all three run at once. */
function writePlan(h: OrchestrateHarness): string {
  const file = path.join(h.root, 'plan.json');
  writeFileSync(
    file,
    JSON.stringify({ assignments: AGENTS.map((agent) => ({ id: `part-${agent}`, agent, title: `part for ${agent}`, weight: 1 })) }),
  );
  return file;
}

/** The argv each run of `agent` was launched with, as its command.json recorded it, oldest run first. */
function agentArgvs(h: OrchestrateHarness, agent: string): string[][] {
  const dir = path.join(h.sessionDir(), 'agents', agent);
  return readdirSync(dir)
    .sort()
    .map((run) => JSON.parse(readFileSync(path.join(dir, run, 'command.json'), 'utf8')).agentArgv as string[]);
}

/** The CLI session id each agent's stream gave before the crash. */
function sessionIds(h: OrchestrateHarness): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of h.journal())
    if (e.type === 'agent.session' && typeof e['sessionId'] === 'string' && e.agent && !(e.agent in out)) out[e.agent] = e['sessionId'];
  return out;
}

/** Starts a session whose three agents hang, waits until all three are up and journaled, and SIGKILLs orchestrate. */
async function crashSession(mode: string[]): Promise<{ id: string; lastSeq: number }> {
  h = new OrchestrateHarness({ config: { killGrace: '500ms' } });
  const run = h.start([...mode, '--no-review', '--plan', writePlan(h), TASK], { FAKE_AGENT_SCENARIO: 'hang-ignore-sigterm' });
  try {
    for (const agent of AGENTS) await h.waitForFake(agent, 'ready');
  } catch (error) {
    throw new Error(
      `${(error as Error).message}\norchestrate stderr:\n${(await Promise.race([run.exited, Promise.resolve(undefined)]))?.stderr ?? '(still running)'}\nfake logs: ${JSON.stringify(AGENTS.map((a) => h.fakeLog(a).map((r) => r.kind)))}`,
      { cause: error },
    );
  }
  // the resume needs each agent's session id in the journal: wait until the streams were tailed
  await h.waitWhileRunning(() => Object.keys(sessionIds(h)).length === 3, 'an agent.session entry per agent');
  const live = h.liveProcesses();
  // orchestrate, its watchdog, and per agent at least the CLI and its grandchild
  expect(live.length).toBeGreaterThanOrEqual(2 + 2 * AGENTS.length);
  run.child.kill('SIGKILL');
  expect((await run.exited).signal).toBe('SIGKILL');
  const id = path.basename(h.sessionDir());
  return { id, lastSeq: h.journal().at(-1)?.seq ?? 0 };
}

const modes = SANDBOX_USABLE ? [[], ['--no-sandbox']] : [['--no-sandbox']];

describe('orchestrate SIGKILLed, then resumed', () => {
  it.each(modes)('no agent outlives a SIGKILLed orchestrate, and resume finishes the session where it was %j', async (...mode) => {
    const { id, lastSeq } = await crashSession(mode);
    // killGrace 500 ms, then SIGKILL: everything (the watchdog too) is gone within a few seconds
    expect(await h.waitNoProcesses(5000)).toEqual([]);
    expect(h.json('session.json').state).toBe('running'); // nobody has swept it yet
    const before = sessionIds(h);
    // as if it had died in the middle of writing an entry: the journal ends with a partial line
    const tornText = `{"seq":${lastSeq + 1},"time":"${new Date().toISOString()}","type":"agent.mes`;
    appendFileSync(path.join(h.sessionDir(), 'events.jsonl'), tornText);

    const resumed = await h.run([...mode, 'resume', id], { FAKE_AGENT_SCENARIO: 'success' });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(h.sessionDirs()).toHaveLength(1); // the same directory, no new session
    expect(existsSync(path.join(h.sessionDir(), 'resume.lock'))).toBe(false); // released at the end

    // each agent resumed its own CLI session, in its CLI's resume form
    const last = (agent: string): string[] => agentArgvs(h, agent).at(-1) ?? [];
    expect(agentArgvs(h, 'claude')).toHaveLength(2);
    const claude = last('claude');
    expect(claude[claude.indexOf('--resume') + 1]).toBe(before['claude']);
    const codex = last('codex');
    // argv[0] is the executable: `codex exec resume [options] <id> <prompt>`
    expect(path.basename(codex[0] ?? '')).toBe('codex');
    expect(codex.slice(1, 3)).toEqual(['exec', 'resume']);
    expect(codex.at(-2)).toBe(before['codex']);
    const gemini = last('gemini');
    expect(gemini[gemini.indexOf('--resume') + 1]).toBe(before['gemini']);
    // and the fakes saw that argv (inside the sandbox too)
    for (const agent of AGENTS) {
      const argvs = h.fakeLog(agent).filter((r) => r.kind === 'argv' && !r.argv.includes('--version'));
      expect(argvs.at(-1)?.argv.join(' ')).toContain(before[agent]);
    }

    // one journal, whole lines, seq continuing: crashed (the sweep), resumed, … completed
    const { entries, torn } = readJournal(path.join(h.sessionDir(), 'events.jsonl'));
    expect(torn).toBeUndefined();
    expect(entries.map((e) => e.seq)).toEqual(entries.map((_, i) => i + 1));
    const crashed = entries.findIndex((e) => e.type === 'session.crashed');
    const resumedAt = entries.findIndex((e) => e.type === 'session.resumed');
    expect(entries[crashed]).toMatchObject({ seq: lastSeq + 1, tornLine: tornText }); // the partial line cut, its text kept
    expect(resumedAt).toBe(crashed + 1);
    expect(entries[resumedAt]).toMatchObject({ sessionId: id, previousState: 'crashed', afterSeq: lastSeq + 1 });
    expect(entries.filter((e) => e.type === 'session.started')).toHaveLength(1);
    expect(entries.at(-1)).toMatchObject({ type: 'session.completed', exitCode: 0 });
    for (const agent of AGENTS) {
      expect(entries.find((e) => e.type === 'assignment.resuming' && e.agent === agent)).toMatchObject({ resumeSessionId: before[agent] });
    }
    expect(h.json('session.json')).toMatchObject({ state: 'completed' });
    expect(h.json('summary.json')).toMatchObject({ exitCode: 0 });
    expect(h.json('summary.json').assignments.map((a: { status: string }) => a.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);

    // `orchestrate replay` agrees with the live decisions
    const replay = await h.run(['replay', id]);
    expect(replay.code, replay.stdout + replay.stderr).toBe(0);
    expect(await h.waitNoProcesses()).toEqual([]);
  });

  it('an assignment handed to another agent before the crash resumes with that agent and its session', async () => {
    h = new OrchestrateHarness({ config: { killGrace: '500ms' } });
    const plan = path.join(h.root, 'plan.json');
    writeFileSync(plan, JSON.stringify({ assignments: [{ id: 'work', agent: 'gemini', title: 'the work', weight: 1 }] }));
    // gemini's false success hands the work to claude at once, and claude hangs
    const run = h.start(['--no-sandbox', '--agents', 'gemini,claude', '--no-review', '--plan', plan, TASK], {
      FAKE_GEMINI_SCENARIO: 'false-success',
      FAKE_CLAUDE_SCENARIO: 'hang',
    });
    await h.waitForFake('claude', 'ready');
    await h.waitWhileRunning(() => sessionIds(h)['claude'], "claude's agent.session entry");
    expect(h.journal().find((e) => e.type === 'recovery.fallback')).toMatchObject({ from: 'gemini', to: 'claude' });
    run.child.kill('SIGKILL');
    await run.exited;
    expect(await h.waitNoProcesses(5000)).toEqual([]);
    const id = path.basename(h.sessionDir());
    const claudeSession = sessionIds(h)['claude'];

    const resumed = await h.run(['--no-sandbox', 'resume', id], { FAKE_AGENT_SCENARIO: 'success' });
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(h.journal().find((e) => e.type === 'assignment.resuming')).toMatchObject({ agent: 'claude', resumeSessionId: claudeSession });
    expect(agentArgvs(h, 'gemini')).toHaveLength(1); // not relaunched: it had failed
    const claude = agentArgvs(h, 'claude').at(-1) ?? [];
    expect(claude[claude.indexOf('--resume') + 1]).toBe(claudeSession);
    expect(h.json('summary.json').assignments[0]).toMatchObject({
      id: 'work',
      agent: 'claude',
      status: 'succeeded',
      fallbackFrom: ['gemini'],
    });
    expect(await h.waitNoProcesses()).toEqual([]);
  });

  it('refuses a session whose supervisor is alive, one another resume holds, and one that completed, with exit 2', async () => {
    h = new OrchestrateHarness({ config: { killGrace: '500ms' } });
    const run = h.start(['--agents', 'claude', '--no-review', TASK], { FAKE_CLAUDE_SCENARIO: 'hang' });
    await h.waitForFake('claude', 'ready');
    const id = path.basename(h.sessionDir());
    const alive = await h.run(['resume', id]);
    expect(alive.code).toBe(2);
    expect(alive.stderr).toContain(`session ${id} is being run by orchestrate (pid ${run.pid})`);
    expect(h.json('session.json').state).toBe('running'); // untouched
    run.child.kill('SIGTERM');
    expect((await run.exited).code).toBe(130);
    expect(await h.waitNoProcesses()).toEqual([]);
    // interrupted, so resumable, but another resume (this live process, as far as the lock says) has it
    writeFileSync(path.join(h.sessionDir(), 'resume.lock'), String(process.pid));
    const lines = h.journal().length;
    const locked = await h.run(['resume', id]);
    expect(locked.code).toBe(2);
    expect(locked.stderr).toContain(`session ${id} is being resumed by another orchestrate (pid ${process.pid})`);
    expect(h.journal()).toHaveLength(lines);
    expect(h.json('session.json').state).toBe('interrupted');
    await h.cleanup();

    h = new OrchestrateHarness();
    expect((await h.run(['--agents', 'claude', '--no-review', TASK])).code).toBe(0);
    const done = path.basename(h.sessionDir());
    const before = h.journal().length;
    const completed = await h.run(['resume', done]);
    expect(completed.code).toBe(2);
    expect(completed.stderr).toContain(`session ${done} completed; there is nothing to resume`);
    expect(h.journal()).toHaveLength(before);
    expect(await h.waitNoProcesses()).toEqual([]);
  });
});
