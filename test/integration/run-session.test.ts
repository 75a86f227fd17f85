import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { OrchestrateHarness, SANDBOX_USABLE } from '../helpers/orchestrate-harness.js';

const TASK = 'Add a --json flag to the report command';
let h: OrchestrateHarness;
afterEach(async () => h?.cleanup());

describe('orchestrate "task" on the simulated agents', () => {
  it('runs all three agents end to end and leaves a complete session directory', async () => {
    h = new OrchestrateHarness();
    const exit = await h.run([TASK]);
    expect(exit.stderr).toBe('');
    expect(exit.code).toBe(0);

    const journal = h.journal();
    expect(journal.map((e) => e.seq)).toEqual(journal.map((_, i) => i + 1));
    for (const agent of ['gemini', 'claude', 'codex']) {
      const own = journal.filter((e) => e.agent === agent).map((e) => e.type);
      expect(own).toEqual(expect.arrayContaining(['agent.launched', 'agent.session', 'agent.tool_call', 'agent.result', 'agent.exited']));
    }
    expect(journal.filter((e) => e.type === 'agent.unknown' || e.type === 'agent.parse_error')).toEqual([]);
    expect(journal.at(-1)).toMatchObject({ type: 'session.completed', exitCode: 0 });

    const plan = h.json('plan.json');
    expect(plan.tier.name).toBe('all-three');
    const summary = h.json('summary.json');
    expect(summary.exitCode).toBe(0);
    expect(summary.sandbox.active).toBe(SANDBOX_USABLE);
    expect(summary.assignments.map((a: { status: string }) => a.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    expect(summary.filesChanged.added).toContain('docs/design.md');
    expect(existsSync(h.inCopy('docs/design.md'))).toBe(true);
    // the agents worked in the session copy: the checkout gets it only by `orchestrate apply`
    expect(existsSync(path.join(h.target, 'docs', 'design.md'))).toBe(false);
    expect(readFileSync(path.join(h.sessionDir(), 'summary.md'), 'utf8')).toContain('| 2-implementation-claude | claude | succeeded |');

    // Each run's record: argv as the agent received it, env names only, prompt, raw streams.
    const run = path.join(h.sessionDir(), 'agents', 'claude', '2-implementation-claude');
    const command = JSON.parse(readFileSync(path.join(run, 'command.json'), 'utf8'));
    const received = h
      .fakeLog('claude')
      .filter((r) => r.kind === 'argv' && !r.argv.includes('--version'))
      .at(-1);
    expect(received?.argv).toEqual(command.agentArgv.slice(1));
    expect(command.envNames).toContain('HOME');
    expect(command.envNames).toContain('ORCH_TEST_MARKER');
    expect(JSON.stringify(command)).not.toContain(h.marker); // names only: values are never written
    expect(readFileSync(path.join(run, 'prompt.md'), 'utf8')).toContain('Your role: implementation');
    // the raw copy is the CLI's stream byte for byte: it parses to the same events the journal holds
    const raw = readFileSync(path.join(run, 'stdout.jsonl'), 'utf8').split('\n').filter(Boolean);
    const rawTypes = raw.map((l) => (JSON.parse(l) as { type: string }).type);
    expect(rawTypes[0]).toBe('system');
    expect(rawTypes.at(-1)).toBe('result');

    expect(await h.waitNoProcesses()).toEqual([]);
  });

  it('falls to the gemini+claude tier when codex is not installed', async () => {
    h = new OrchestrateHarness({ agents: ['gemini', 'claude'] });
    const exit = await h.run([TASK]);
    expect(exit.code).toBe(0);
    const plan = h.json('plan.json');
    expect(plan.tier.name).toBe('gemini+claude');
    expect(plan.assignments.map((a: { agent: string }) => a.agent)).toEqual(['gemini', 'claude', 'gemini']);
    const probe = h.journal().find((e) => e.type === 'agent.probe' && e.agent === 'codex');
    expect(probe).toMatchObject({ available: false, reason: 'codex: not found on PATH' });
    expect(await h.waitNoProcesses()).toEqual([]);
  });

  it('exits with "no agent available" (4) and still writes the session when no CLI is installed', async () => {
    h = new OrchestrateHarness({ agents: [] });
    const exit = await h.run([TASK]);
    expect(exit.code).toBe(4);
    expect(h.json('summary.json')).toMatchObject({ exitCode: 4, outcome: 'no agent available' });
    expect(h.journal().at(-1)).toMatchObject({ type: 'session.completed', exitCode: 4 });
  });

  it('prints NDJSON only with --json, ending with session.completed', async () => {
    h = new OrchestrateHarness();
    const exit = await h.run(['--json', TASK]);
    expect(exit.code).toBe(0);
    const lines = exit.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.at(-1)).toMatchObject({ type: 'session.completed', exitCode: 0 });
    expect(lines.length).toBe(h.journal().length);
  });

  it('runs independent plan-file assignments at the same time', async () => {
    h = new OrchestrateHarness();
    const planFile = path.join(h.root, 'plan.json');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(
      planFile,
      JSON.stringify({
        assignments: [
          { id: 'a', agent: 'claude', role: 'implementation', title: 'part one', weight: 1 },
          { id: 'b', agent: 'codex', role: 'implementation', title: 'part two', weight: 1 },
          { id: 'c', agent: 'gemini', role: 'validation', title: 'check both', weight: 1, dependsOn: ['a', 'b'] },
        ],
      }),
    );
    const exit = await h.run(['--plan', planFile, TASK]);
    expect(exit.code).toBe(0);
    const types = h.journal().map((e) => `${e.type}:${String(e['assignment'] ?? '')}`);
    // both independent assignments start before either finishes; c starts after both
    const startA = types.indexOf('assignment.started:a');
    const startB = types.indexOf('assignment.started:b');
    const endA = types.indexOf('assignment.finished:a');
    const endB = types.indexOf('assignment.finished:b');
    expect(Math.max(startA, startB)).toBeLessThan(Math.min(endA, endB));
    expect(types.indexOf('assignment.started:c')).toBeGreaterThan(Math.max(endA, endB));
  });

  it('rejects a bad config naming the field, with the config exit code', async () => {
    h = new OrchestrateHarness({ config: { agents: { claude: { exe: 'x' } } } });
    const exit = await h.run([TASK]);
    expect(exit.code).toBe(3);
    expect(exit.stderr).toMatch(/agents\.claude: Unrecognized key/i);
  });

  it('rejects a missing task with the usage exit code', async () => {
    h = new OrchestrateHarness();
    const exit = await h.run([]);
    expect(exit.code).toBe(2);
    expect(exit.stderr).toContain('missing the task');
  });
});
