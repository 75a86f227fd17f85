// Phase 2 of the real-CLI compatibility suite (docs/compat.md): the pinned real claude, codex and
// gemini run THROUGH the orchestrate command line (`node bin/orchestrate.js`, built dist/), inside
// orchestrate's bubblewrap sandbox (its default), offline against the scripted model server. Each
// scripted model makes its CLI use its own file tool and its shell tool; the tests then read the
// target and the session directory (events.jsonl, summary.json, session.json, command.json).

import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { API, CODEX_BYPASS, commandOf, expectNothingLeft, readTarget, useCompatFile } from './orchestrate-common.js';
import type { Scenario } from './model-server.js';
import { NESTED_USERNS_ERROR, type CompatSession, type OrchestrateExit } from './orchestrate-harness.js';
import { CLI_IDS, type CliId } from './real-clis.js';

const FILE_TOOL = { claude: 'tool:Write', codex: 'tool:apply_patch', gemini: 'tool:write_file' } as const;
const SHELL_TOOL = { claude: 'tool:Bash', codex: 'tool:exec_command', gemini: 'tool:run_shell_command' } as const;

/** The model server, the nested-userns probe (finding P1) and per-test cleanup: orchestrate-common.ts. */
const file = useCompatFile();

beforeAll(() => {
  // Shown in every run's output: whether finding P1 holds on this machine and build.
  console.warn(
    file.nested.ok
      ? `[compat] a nested user-namespace sandbox works inside orchestrate's bwrap (${file.nested.detail})`
      : `[compat] KNOWN BUG P1 (docs/compat.md): codex's own sandbox cannot start inside orchestrate's bwrap; ` +
          `codex runs get ${CODEX_BYPASS} and one test pins the failure (${file.nested.detail})`,
  );
});

/** A session whose directory is removed only if the test passes. */
function newSession(opts: Parameters<typeof file.newSession>[0]): CompatSession {
  // Phase 2 checks one assignment's runs; reviews (which now run by default) are phase 3's
  // (orchestrate-review.test.ts), so they are off here unless a test turns them on.
  return file.newSession({ ...opts, config: { review: { enabled: false }, ...opts.config } });
}

/** The scripted model: the CLI's file tool writes a file, its shell tool writes another, then a report. */
function writeThenShell(cli: CliId, file: string, shell: string): Scenario {
  return {
    turns: [
      { write: { path: file, content: `written by ${cli}\n` } },
      { shell },
      { text: `MILESTONE: ${file} written\nDONE: ${cli} finished` },
    ],
  };
}

/** What every orchestrate run must show for each agent it ran. */
function expectCleanAgent(session: CompatSession, exit: OrchestrateExit, cli: CliId, scenario: string, replies: string[]): void {
  const why = session.explain(exit);
  const mine = session.journal().filter((e) => e.agent === cli);
  // Every line of the real stream was understood.
  expect(
    mine.filter((e) => e.type === 'agent.unknown' || e.type === 'agent.parse_error'),
    why,
  ).toEqual([]);
  expect(
    mine.filter((e) => e.type === 'agent.error'),
    why,
  ).toEqual([]);
  expect(
    mine.filter((e) => e.type === 'agent.result').map((e) => e.ok),
    why,
  ).toEqual([true]);
  expect(mine.filter((e) => e.type === 'agent.session').length, why).toBe(1);
  expect(
    mine.filter((e) => e.type === 'agent.exited').map((e) => [e.code, e.signal, e.status]),
    why,
  ).toEqual([[0, null, 'succeeded']]);
  expect(
    mine.filter((e) => e.type === 'agent.tool_result').map((e) => e.ok),
    why,
  ).toEqual(replies.filter((r) => r.startsWith('tool:')).map(() => true));
  // The model calls reached the scripted server through the CLI's own API, none through the proxy trap.
  const requests = file.server.requests(scenario).filter((r) => r.reply !== 'count_tokens');
  expect(
    requests.map((r) => r.reply),
    why,
  ).toEqual(replies);
  expect(
    requests.every((r) => r.api === API[cli] && !r.viaProxy),
    why,
  ).toBe(true);
}

/**
 * One agent's journal entries without what legitimately differs between two runs: sequence numbers,
 * times, pids, durations and time windows, the CLIs' own ids, executable paths, argv, the run directory, the session copy's folder
 * and its commits (their hashes hold the time).
 */
function normalisedJournal(session: CompatSession, cli: CliId): Record<string, unknown>[] {
  const drop = new Set([
    'seq',
    'time',
    'agent',
    'assignment',
    'pid',
    'pgid',
    'argv',
    'durationMs',
    // the time left when the run launched: the session's window less what the clock already spent
    'windowMs',
    'sessionId',
    'cliSessionId',
    'toolId',
    'executable',
    'resolved',
    'commit',
  ]);
  const copyDir = session.json('session.json').copy?.root as string | undefined;
  return session
    .journal()
    .filter((e) => e.agent === cli)
    .map((e) => {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(e)) {
        if (drop.has(k)) continue;
        out[k] = v;
      }
      // the session copy's folder names the target's hash and the session id, which differ per run
      const text = copyDir ? JSON.stringify(out).split(copyDir).join('<copy>') : JSON.stringify(out);
      return JSON.parse(text.split(session.dirs.root).join('<run>')) as Record<string, unknown>;
    });
}

describe.each(CLI_IDS.map((cli) => [cli]))('orchestrate --plan: real %s completes one assignment', (cli) => {
  it(`${cli}: file tool + shell command inside bubblewrap; assignment succeeded, exit 0; the simulated ${cli} leaves the same journal`, async (ctx) => {
    const scenario = `orch-${cli}-assign`;
    file.server.register(scenario, writeThenShell(cli, `${cli}-file.txt`, `echo ${cli} ran > ${cli}-shell.txt`));
    const session = newSession({
      label: scenario,
      agents: { [cli]: scenario },
      extraArgs: cli === 'codex' ? { codex: file.codexArgs(ctx) } : {},
    });
    const run = `${cli}-work`;
    const plan = session.writePlan({
      assignments: [{ id: run, agent: cli, role: 'implementation', title: `Write ${cli}-file.txt and run one command`, weight: 1 }],
    });
    const exit = await session.run(`Write ${cli}-file.txt and run one command`, ['--plan', plan]);
    const why = session.explain(exit);
    expect(exit.timedOut, why).toBe(false);
    expect(exit.code, why).toBe(0);

    // The CLI's own tools changed the target, from inside the sandbox.
    expect(readTarget(session, `${cli}-file.txt`), why).toBe(`written by ${cli}\n`);
    expect(readTarget(session, `${cli}-shell.txt`), why).toBe(`${cli} ran\n`);

    expectCleanAgent(session, exit, cli, scenario, [FILE_TOOL[cli], SHELL_TOOL[cli], 'text']);
    const mine = session.journal().filter((e) => e.agent === cli);
    expect(
      mine.filter((e) => e.type === 'agent.tool_call').map((e) => e.kind),
      why,
    ).toEqual(['file_write', 'shell']);
    expect(
      mine.filter((e) => e.type === 'agent.report').map((e) => [e.kind, e.text]),
      why,
    ).toEqual([
      ['milestone', `${cli}-file.txt written`],
      ['done', `${cli} finished`],
    ]);

    const summary = session.json('summary.json');
    expect(summary.exitCode, why).toBe(0);
    expect(summary.outcome, why).toBe('success');
    expect(summary.sandbox.active, why).toBe(true);
    expect(
      summary.assignments.map((a: { id: string; status: string }) => [a.id, a.status]),
      why,
    ).toEqual([[run, 'succeeded']]);
    expect([...summary.filesChanged.added].sort(), why).toEqual([`${cli}-file.txt`, `${cli}-shell.txt`]);
    expect(session.json('session.json').state, why).toBe('completed');

    // The launch really went through bwrap, with the adapter's flags.
    const command = commandOf(session, cli, run);
    // (through the sandbox prelude: /bin/sh joins the cgroup and opens the seccomp filter, then execs bwrap)
    expect([command.file, ...command.argv], why).toContain('bwrap');
    if (cli === 'claude') {
      expect(command.agentArgv, why).toContain('--dangerously-skip-permissions');
      // Added by orchestrate's claude adapter (root + active sandbox), not by the test's config.
      expect(command.envNames.includes('IS_SANDBOX'), why).toBe(process.getuid?.() === 0);
    }
    if (cli === 'codex') expect(command.agentArgv.join(' '), why).toContain('-s workspace-write');
    if (cli === 'gemini') {
      expect(command.agentArgv, why).toEqual(expect.arrayContaining(['--yolo', '--skip-trust']));
      // Untrusted folder, default: prepared with --skip-trust (the --no-trust case: orchestrate-recovery.test.ts).
      expect(
        mine.filter((e) => e.type === 'recovery.prepared' && e.id === 'gemini.untrusted-folder').map((e) => e.choice),
        why,
      ).toEqual(['--skip-trust']);
    }
    await expectNothingLeft(file, session);

    // The simulated agent (fixtures/agents/<cli>) playing the same script through the same
    // orchestrate config must leave the same normalised journal and the same files.
    const simulated = newSession({
      label: `${scenario}-simulated`,
      agents: { [cli]: scenario },
      extraArgs: cli === 'codex' ? { codex: file.codexArgs(ctx) } : {},
      simulated: { [cli]: writeThenShell(cli, `${cli}-file.txt`, `echo ${cli} ran > ${cli}-shell.txt`) },
    });
    const simExit = await simulated.run(`Write ${cli}-file.txt and run one command`, [
      '--plan',
      simulated.writePlan(JSON.parse(readFileSync(plan, 'utf8'))),
    ]);
    const simWhy = simulated.explain(simExit);
    expect(simExit.code, simWhy).toBe(0);
    expect(commandOf(simulated, cli, run).argv, simWhy).toContain('bwrap');
    expect(normalisedJournal(simulated, cli), simWhy).toEqual(normalisedJournal(session, cli));
    expect(readTarget(simulated, `${cli}-file.txt`), simWhy).toBe(readTarget(session, `${cli}-file.txt`));
    expect(readTarget(simulated, `${cli}-shell.txt`), simWhy).toBe(readTarget(session, `${cli}-shell.txt`));
    await expectNothingLeft(file, simulated);
  });
});

describe('orchestrate: a full three-agent session (default decomposition)', () => {
  it('gemini designs, claude implements, codex validates; exit 0', async (ctx) => {
    const sc = { gemini: 'orch-full-gemini', claude: 'orch-full-claude', codex: 'orch-full-codex' } as const;
    file.server.register(sc.gemini, {
      turns: [
        { write: { path: 'docs/design.md', content: '# Design\n\nAdd src/feature.txt.\n' } },
        { text: 'MILESTONE: design written to docs/design.md\nDONE: design ready' },
      ],
    });
    file.server.register(sc.claude, {
      turns: [
        { write: { path: 'src/feature.txt', content: 'feature\n' } },
        { shell: 'test -f docs/design.md && echo implemented > implementation.log' },
        { text: 'MILESTONE: src/feature.txt added\nDONE: implemented' },
      ],
    });
    file.server.register(sc.codex, {
      turns: [
        { shell: 'test -f src/feature.txt && test -f docs/design.md && echo validated > validation.log' },
        { text: 'DONE: validated' },
      ],
    });
    const session = newSession({
      label: 'orch-full',
      agents: { gemini: sc.gemini, claude: sc.claude, codex: sc.codex },
      extraArgs: { codex: file.codexArgs(ctx) },
    });
    const exit = await session.run('Add src/feature.txt as docs/design.md describes');
    const why = session.explain(exit);
    expect(exit.timedOut, why).toBe(false);
    expect(exit.code, why).toBe(0);

    const summary = session.json('summary.json');
    expect(summary.tier, why).toBe('all-three');
    expect(summary.exitCode, why).toBe(0);
    expect(summary.sandbox.active, why).toBe(true);
    expect(
      summary.assignments.map((a: { agent: string; role: string; status: string }) => [a.role, a.agent, a.status]),
      why,
    ).toEqual([
      ['design', 'gemini', 'succeeded'],
      ['implementation', 'claude', 'succeeded'],
      ['validation', 'codex', 'succeeded'],
    ]);

    expect(readTarget(session, 'docs/design.md'), why).toBe('# Design\n\nAdd src/feature.txt.\n');
    expect(readTarget(session, 'src/feature.txt'), why).toBe('feature\n');
    expect(readTarget(session, 'implementation.log'), why).toBe('implemented\n');
    expect(readTarget(session, 'validation.log'), why).toBe('validated\n');

    expectCleanAgent(session, exit, 'gemini', sc.gemini, [FILE_TOOL.gemini, 'text']);
    expectCleanAgent(session, exit, 'claude', sc.claude, [FILE_TOOL.claude, SHELL_TOOL.claude, 'text']);
    expectCleanAgent(session, exit, 'codex', sc.codex, [SHELL_TOOL.codex, 'text']);
    // Each assignment started after the one it depends on succeeded, and each agent reported DONE.
    const journal = session.journal();
    expect(
      journal.filter((e) => e.type === 'assignment.started').map((e) => e.agent),
      why,
    ).toEqual(['gemini', 'claude', 'codex']);
    expect(
      journal.filter((e) => e.type === 'agent.report' && e.kind === 'done').map((e) => e.agent),
      why,
    ).toEqual(['gemini', 'claude', 'codex']);
    await expectNothingLeft(file, session);
  });
});

describe('orchestrate --no-sandbox: real claude as root', () => {
  it('claude gets --permission-mode acceptEdits --allowedTools (no IS_SANDBOX), writes a file and runs a command', async () => {
    const scenario = 'orch-claude-nosandbox';
    file.server.register(scenario, writeThenShell('claude', 'claude-file.txt', 'echo claude ran > claude-shell.txt'));
    const session = newSession({ label: scenario, agents: { claude: scenario }, sandbox: false });
    const plan = session.writePlan({
      assignments: [
        { id: 'claude-work', agent: 'claude', role: 'implementation', title: 'Write claude-file.txt and run one command', weight: 1 },
      ],
    });
    const exit = await session.run('Write claude-file.txt and run one command', ['--plan', plan]);
    const why = session.explain(exit);
    expect(exit.timedOut, why).toBe(false);
    expect(exit.code, why).toBe(0);
    expect(readTarget(session, 'claude-file.txt'), why).toBe('written by claude\n');
    expect(readTarget(session, 'claude-shell.txt'), why).toBe('claude ran\n');
    expectCleanAgent(session, exit, 'claude', scenario, [FILE_TOOL.claude, SHELL_TOOL.claude, 'text']);
    const journal = session.journal();
    expect(
      journal.filter((e) => e.type === 'agent.permission_denied'),
      why,
    ).toEqual([]);
    expect(journal.filter((e) => e.type === 'safety.sandbox_off').length, why).toBe(1);
    const summary = session.json('summary.json');
    expect(summary.sandbox.active, why).toBe(false);
    expect(
      summary.assignments.map((a: { status: string }) => a.status),
      why,
    ).toEqual(['succeeded']);

    // Unsandboxed: the CLI itself (its real path, as the probe resolved it), not bwrap.
    const command = commandOf(session, 'claude', 'claude-work');
    expect(command.file, why).not.toBe('bwrap');
    expect(command.file, why).toMatch(/claude/);
    if (process.getuid?.() === 0) {
      expect(command.argv, why).toEqual(expect.arrayContaining(['--permission-mode', 'acceptEdits', '--allowedTools']));
      expect(command.argv, why).not.toContain('--dangerously-skip-permissions');
      expect(command.envNames, why).not.toContain('IS_SANDBOX');
    }
    await expectNothingLeft(file, session);
  });
});

describe("orchestrate sandbox: codex's own sandbox nested inside bwrap (finding P1)", () => {
  it("codex -s workspace-write inside orchestrate's bwrap: its sandbox runs (seccomp on), or fails exactly as P1 describes", async (ctx) => {
    const scenario = 'orch-codex-nested';
    const script = writeThenShell('codex', 'codex-nested.txt', 'grep -E "^(Uid|Seccomp):" /proc/self/status > codex-nested-shell.txt');
    file.server.register(scenario, script);
    // No workaround here: exactly what orchestrate launches.
    const session = newSession({ label: scenario, agents: { codex: scenario } });
    const plan = session.writePlan({ assignments: [{ id: 'nested', agent: 'codex', title: 'nested sandbox', weight: 1 }] });
    const exit = await session.run('nested sandbox', ['--plan', plan]);
    const why = `${session.explain(exit)}\nnested-userns probe: ${file.nested.detail}`;
    expect(exit.timedOut, why).toBe(false);
    expect(commandOf(session, 'codex', 'nested').agentArgv.join(' '), why).toContain('-s workspace-write');
    const mine = session.journal().filter((e) => e.agent === 'codex');
    expect(
      mine.filter((e) => e.type === 'agent.unknown' || e.type === 'agent.parse_error'),
      why,
    ).toEqual([]);

    if (file.nested.ok) {
      // Fixed: codex's own sandbox really ran the command (its seccomp filter is on: Seccomp 2).
      expect(exit.code, why).toBe(0);
      expect(readTarget(session, 'codex-nested.txt'), why).toBe('written by codex\n');
      expect(readTarget(session, 'codex-nested-shell.txt'), why).toMatch(/^Seccomp:\s+2$/m);
      expectCleanAgent(session, exit, 'codex', scenario, [FILE_TOOL.codex, SHELL_TOOL.codex, 'text']);
    } else {
      void ctx.annotate(`KNOWN BUG P1 pinned: ${file.nested.detail}`);
      // P1 as it is today (root): the nested bwrap cannot map uid 0, so codex's apply_patch and its
      // shell command both fail; the model is told, the JSONL stream shows only the failed
      // file_change (the failed command has no item at all: REFERENCE §5 blind spot), and
      // orchestrate reports the assignment as succeeded, exit 0.
      expect(readTarget(session, 'codex-nested.txt'), why).toBe('<codex-nested.txt missing>');
      expect(readTarget(session, 'codex-nested-shell.txt'), why).toBe('<codex-nested-shell.txt missing>');
      const told = JSON.stringify(file.server.requests(scenario).map((r) => r.body));
      expect(told, why).toContain(NESTED_USERNS_ERROR);
      expect(
        mine.filter((e) => e.type === 'agent.tool_call').map((e) => e.kind),
        why,
      ).toEqual(['file_write']);
      expect(
        mine.filter((e) => e.type === 'agent.tool_result').map((e) => e.ok),
        why,
      ).toEqual([false]);
      expect(exit.code, why).toBe(0);
      expect(session.json('summary.json').assignments[0].status, why).toBe('succeeded');

      // Difference D1 (docs/compat.md): the simulated codex does not reproduce P1. The same config
      // and script in the same sandbox write both files, so `npm test` cannot see P1.
      const simulated = newSession({ label: `${scenario}-simulated`, agents: { codex: scenario }, simulated: { codex: script } });
      const simExit = await simulated.run('nested sandbox', [
        '--plan',
        simulated.writePlan({ assignments: [{ id: 'nested', agent: 'codex', title: 'nested sandbox', weight: 1 }] }),
      ]);
      const simWhy = simulated.explain(simExit);
      expect(simExit.code, simWhy).toBe(0);
      expect(readTarget(simulated, 'codex-nested.txt'), simWhy).toBe('written by codex\n');
      expect(readTarget(simulated, 'codex-nested-shell.txt'), simWhy).toMatch(/^Uid:\s+0\b/m);
      await expectNothingLeft(file, simulated);
    }
    await expectNothingLeft(file, session);
  });
});
