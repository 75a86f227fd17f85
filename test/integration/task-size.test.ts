import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { OrchestrateHarness } from '../helpers/orchestrate-harness.js';
import { waitFor } from '../helpers/until.js';

// Any size of task: the prompt reaches each CLI on stdin, never as one argv word (the kernel caps
// one at 128 KiB), and a process that cannot be started ends its run at once with the reason,
// while signals and the timeout keep working.
let h: OrchestrateHarness;
afterEach(async () => h?.cleanup());

/** A task of about `bytes` bytes, with a recognisable head and tail. */
function bigTask(bytes: number): string {
  const line = 'Keep every existing behaviour of the report command unchanged while adding the flag.\n';
  return `Add a --json flag to the report command.\n${line.repeat(Math.ceil(bytes / line.length))}END-OF-TASK`;
}

/** The prompt files of the session's runs, and the argv each agent was launched with. */
function launches(h: OrchestrateHarness): Array<{ agent: string; argv: string[]; prompt: string }> {
  return h
    .journal()
    .filter((e) => e.type === 'agent.launched')
    .map((e) => {
      const dir = path.join(h.sessionDir(), 'agents', String(e.agent), String(e['run']));
      return { agent: String(e.agent), argv: e['argv'] as string[], prompt: readFileSync(path.join(dir, 'prompt.md'), 'utf8') };
    });
}

describe('a task of any size', () => {
  it('a 200 KB task from --task-file completes on all three agents; each prompt carries it once, none in argv', async () => {
    h = new OrchestrateHarness();
    const task = bigTask(200 * 1024);
    const file = path.join(h.root, 'task.md');
    writeFileSync(file, task);
    const exit = await h.run(['--task-file', file]);
    expect(exit.code, exit.stderr).toBe(0);
    expect(h.json('session.json').task).toBe(task.trim());
    const runs = launches(h);
    expect(new Set(runs.map((r) => r.agent))).toEqual(new Set(['gemini', 'claude', 'codex']));
    for (const r of runs) {
      expect(r.argv.join(' ').length, `${r.agent} argv`).toBeLessThan(8 * 1024);
    }
    const work = runs.filter((r) => r.prompt.includes('Task: Add a --json flag'));
    expect(work.length).toBeGreaterThanOrEqual(3);
    for (const r of work) expect(r.prompt.split('END-OF-TASK').length - 1, `${r.agent}: the task once`).toBe(1);
    expect(h.json('summary.json').filesChanged.added).toContain('src/format-json.js');
    // the headless output names the task in one short line, not 200 KB
    const started = exit.stdout.split('\n').find((l) => l.includes(' started: ')) ?? '';
    expect(started).toMatch(/started: Add a --json flag to the report command\. … \(\d+ more characters\)$/);
  });

  it('a 200 KB task from stdin (`-`) completes', async () => {
    h = new OrchestrateHarness({ agents: ['claude'] });
    const task = bigTask(200 * 1024);
    const exit = await h.run(['--agents', 'claude', '--no-review', '-'], {}, { stdin: task });
    expect(exit.code, exit.stderr).toBe(0);
    expect(h.json('session.json').task).toBe(task.trim());
    expect(h.json('summary.json').assignments.map((a: { status: string }) => a.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
  });

  it('an empty task from stdin or an unreadable --task-file is a usage error, and no session starts', async () => {
    h = new OrchestrateHarness({ agents: ['claude'] });
    const empty = await h.run(['-'], {}, { stdin: '  \n' });
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('the task from stdin is empty');
    const missing = await h.run(['--task-file', path.join(h.root, 'nope.md')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`--task-file: cannot read ${path.join(h.root, 'nope.md')}: no such file`);
    const both = await h.run(['--task-file', path.join(h.root, 'nope.md'), 'a task']);
    expect(both.code).toBe(2);
    expect(h.sessionDirs()).toEqual([]);
  });
});

// Every wait below is for a condition or for orchestrate's exit; under load a session takes what it
// takes, so only this generous bound remains (a forced stop still writes the summary: forced-stop.test.ts).
describe('a process that cannot be started', { timeout: 180_000 }, () => {
  /** claude hangs while codex, in parallel, cannot be spawned (one argument over 128 KiB). */
  function hangingBesideUnstartable(killGrace?: string): OrchestrateHarness {
    const harness = new OrchestrateHarness({
      agents: ['claude', 'codex'],
      scenarios: { claude: 'hang' },
      config: {
        agents: { codex: { args: ['-c', `model_instructions="${'x'.repeat(200 * 1024)}"`] } },
        review: { enabled: false },
        ...(killGrace ? { killGrace } : {}),
      },
    });
    writeFileSync(
      path.join(harness.root, 'plan.json'),
      JSON.stringify({
        assignments: [
          { id: 'a', agent: 'claude', role: 'implementation', title: 'Hang', weight: 1 },
          { id: 'b', agent: 'codex', role: 'implementation', title: 'Cannot start', weight: 1 },
        ],
      }),
    );
    return harness;
  }

  const startFailed = (harness: OrchestrateHarness): Record<string, unknown> | undefined =>
    harness.sessionDirs().length ? harness.journal().find((e) => e.type === 'agent.start_failed' && e.agent === 'codex') : undefined;

  it('alone: the run fails at once with the reason (spawn E2BIG), the session ends with exit 5', async () => {
    h = new OrchestrateHarness({ agents: ['codex'], config: { agents: { codex: { args: ['-c', `x="${'x'.repeat(200 * 1024)}"`] } } } });
    const exit = await h.run(['--agents', 'codex', 'a task']);
    expect(exit.code, exit.stderr).toBe(5);
    expect(String(startFailed(h)?.['reason'])).toContain("spawn E2BIG: the command line is over the kernel's size limit");
    expect(h.json('summary.json').assignments[0].reason).toContain('E2BIG');
    expect(await h.waitNoProcesses()).toEqual([]);
  });

  it('SIGTERM still stops the session (exit 130), nothing left running', async () => {
    h = hangingBesideUnstartable();
    const run = h.start(['--plan', path.join(h.root, 'plan.json'), 'a task']);
    await h.waitForFake('claude', 'ready');
    await waitFor(() => startFailed(h), {
      what: 'codex start_failed in the journal',
      unless: () => run.child.exitCode !== null && 'orchestrate exited',
    });
    run.child.kill('SIGTERM');
    const exit = await run.exited;
    expect(exit.code, exit.stderr).toBe(130);
    expect(h.json('summary.json').assignments.find((a: { id: string }) => a.id === 'a').status).toBe('interrupted');
    expect(await h.waitNoProcesses()).toEqual([]);
  });

  it('the timeout still ends the session (exit 5), nothing left running', async () => {
    // The run's share of the budget is timed from its own start; the session's backstop (timeout +
    // kill grace + 10 s, from orchestrate's start) is pushed far out, so however long the start
    // takes under load, it is the run's own timeout that ends it (claude stops on SIGTERM).
    h = hangingBesideUnstartable('5m');
    const exit = await h.run(['--plan', path.join(h.root, 'plan.json'), '--timeout', '4s', 'a task']);
    expect(exit.code, exit.stderr).toBe(5);
    expect(startFailed(h)).toBeDefined();
    const statuses = h.json('summary.json').assignments.map((a: { id: string; status: string }) => `${a.id} ${a.status}`);
    expect(statuses).toContain('a timed_out');
    expect(await h.waitNoProcesses()).toEqual([]);
  });
});
