// Phase 3, scenario 4 (docs/compat.md, docs/recovery.md): the real CLIs through orchestrate, in its
// bwrap sandbox, hit the catalogued failures that orchestrate prepares for or recovers from:
// codex outside a git repository, gemini in an untrusted folder (--no-trust), and an HTTP 500 from
// the model (after the CLI's own one retry: orchestrate relaunches it, resuming its session).

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Turn } from './model-server.js';
import { CLI_IDS } from './real-clis.js';
import { API, CODEX_BYPASS, commandOf, expectNothingLeft, readTarget, reviewAware, useCompatFile } from './orchestrate-common.js';

const file = useCompatFile();
const NO_REVIEW = { review: { enabled: false } };

describe('orchestrate: codex outside a git repository', () => {
  it('target without .git: orchestrate passes --skip-git-repo-check (recovery.prepared), codex runs, exit 0', async () => {
    const scenario = 'orch-codex-nogit';
    file.server.register(scenario, reviewAware({ turns: [{ text: 'DONE: codex ran outside git' }] }));
    // No P1 workaround here: --dangerously-bypass-approvals-and-sandbox would skip the git check
    // itself (REFERENCE §2). A text-only turn runs no sandboxed command, so P1 does not matter.
    const session = file.newSession({ label: scenario, agents: { codex: scenario }, config: NO_REVIEW });
    expect(existsSync(join(session.target, '.git'))).toBe(false);
    const plan = session.writePlan({
      assignments: [{ id: 'nogit', agent: 'codex', role: 'implementation', title: 'Say done', weight: 1 }],
    });
    const exit = await session.run('Say done', ['--plan', plan]);
    const why = session.explain(exit);
    expect(exit.timedOut, why).toBe(false);
    expect(exit.code, why).toBe(0);
    const mine = session.journal().filter((e) => e.agent === 'codex');
    expect(
      mine.filter((e) => e.type === 'recovery.prepared' && e.id === 'codex.outside-git-repo').map((e) => e.choice),
      why,
    ).toEqual(['--skip-git-repo-check']);
    expect(
      mine.filter((e) => e.type === 'recovery.diagnosis'),
      why,
    ).toEqual([]);
    const argv = commandOf(session, 'codex', 'nogit').agentArgv;
    expect(argv, why).toContain('--skip-git-repo-check');
    expect(argv, why).not.toContain(CODEX_BYPASS);
    expect(session.runFile('codex', 'nogit', 'stderr.log'), why).not.toContain('Not inside a trusted directory');
    expect(
      mine.filter((e) => e.type === 'agent.result').map((e) => e.ok),
      why,
    ).toEqual([true]);
    expect(
      session.json('summary.json').assignments.map((a: { status: string }) => a.status),
      why,
    ).toEqual(['succeeded']);
    await expectNothingLeft(file, session);
  });
});

describe('orchestrate: gemini in an untrusted folder', () => {
  it('--no-trust: no --skip-trust, gemini exits 55, orchestrate escalates; headless exit 8 with a blocker and a re-run command', async () => {
    const scenario = 'orch-gemini-untrusted';
    file.server.register(scenario, reviewAware({ turns: [{ text: 'DONE: unreachable' }] }));
    const session = file.newSession({ label: scenario, agents: { gemini: scenario }, config: NO_REVIEW });
    const plan = session.writePlan({
      assignments: [{ id: 'untrusted', agent: 'gemini', role: 'implementation', title: 'Say done', weight: 1 }],
    });
    const exit = await session.run('Say done', ['--plan', plan, '--no-trust']);
    const why = session.explain(exit);
    expect(exit.timedOut, why).toBe(false);
    expect(exit.code, why).toBe(8);
    const argv = commandOf(session, 'gemini', 'untrusted').agentArgv;
    expect(argv, why).not.toContain('--skip-trust');
    const mine = session.journal().filter((e) => e.agent === 'gemini');
    expect(
      mine.filter((e) => e.type === 'recovery.prepared' && e.id === 'gemini.untrusted-folder').map((e) => e.choice),
      why,
    ).toEqual(['no --skip-trust (--no-trust)']);
    expect(
      mine.filter((e) => e.type === 'agent.exited').map((e) => e.code),
      why,
    ).toEqual([55]);
    expect(session.runFile('gemini', 'untrusted', 'stderr.log'), why).toContain('Gemini CLI is not running in a trusted directory');
    expect(
      mine.filter((e) => e.type === 'recovery.diagnosis').map((e) => e.id),
      why,
    ).toEqual(['gemini.untrusted-folder']);
    expect(
      mine.filter((e) => e.type === 'recovery.escalated').map((e) => [e.cause, e.offer]),
      why,
    ).toEqual([['gemini.untrusted-folder', expect.objectContaining({ trust: true })]]);
    // The model was never asked.
    expect(
      file.server.requests(scenario).filter((r) => r.reply !== 'count_tokens'),
      why,
    ).toEqual([]);
    const summary = session.json('summary.json');
    expect(summary.exitCode, why).toBe(8);
    expect(
      summary.assignments.map((a: { status: string }) => a.status),
      why,
    ).toEqual(['escalated']);
    const text = JSON.stringify(summary);
    // gemini works in the session's copy of the target (issue 11), so the refused folder is the copy
    const workDir = session.json('session.json').copy.workDir as string;
    expect(text, why).toContain(`gemini refused the target ${workDir} because it does not trust the folder (exit 55)`);
    const rerun = String(summary.blockers?.[0]?.rerun);
    expect(rerun, why).toMatch(new RegExp(`^cd ${session.dirs.root.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} && orchestrate `));
    expect(rerun, why).toContain(`--target ${session.target}`);
    expect(rerun, why).not.toContain('--no-trust');
    expect(session.journal().filter((e) => e.type === 'session.blocker').length, why).toBe(1);
    expect(exit.stdout, why).toContain('BLOCKER: gemini refused the target');
    await expectNothingLeft(file, session);
  });
});

describe.each(CLI_IDS.map((c) => [c]))('orchestrate: the model answers 500 to real %s', (cli) => {
  it(`${cli}: the CLI's one retry fails too, orchestrate retries (relaunch resuming the session), then the work is done; exit 0`, async (ctx) => {
    const scenario = `orch-${cli}-err500`;
    // Each CLI makes 2 attempts per launch here (claude CLAUDE_CODE_MAX_RETRIES=1, codex
    // request_max_retries=0 + stream_max_retries=1, gemini general.maxAttempts=2): the first
    // launch's two requests fail, the relaunch's succeed.
    let modelCalls = 0;
    const failTwice =
      (turn: Turn): Turn =>
      () =>
        modelCalls++ < 2 ? { error: 500 } : turn;
    file.server.register(scenario, {
      turns: [failTwice({ shell: `echo ${cli} recovered > ${cli}-retry.txt` }), failTwice({ text: `DONE: ${cli} recovered` })],
    });
    const session = file.newSession({
      label: scenario,
      agents: { [cli]: scenario },
      extraArgs: cli === 'codex' ? { codex: file.codexArgs(ctx) } : {},
      config: { ...NO_REVIEW, recovery: { maxAttempts: 2, backoff: '1s' } },
    });
    const run = `${cli}-retry`;
    const plan = session.writePlan({
      assignments: [{ id: run, agent: cli, role: 'implementation', title: `Write ${cli}-retry.txt`, weight: 1 }],
    });
    const exit = await session.run(`Write ${cli}-retry.txt`, ['--plan', plan]);
    const why = session.explain(exit);
    expect(exit.timedOut, why).toBe(false);
    const journal = session.journal();
    const mine = journal.filter((e) => e.agent === cli);
    expect(exit.code, why).toBe(0);
    expect(readTarget(session, `${cli}-retry.txt`), why).toBe(`${cli} recovered\n`);
    const replies = file.server.requests(scenario).filter((r) => r.reply !== 'count_tokens');
    expect(replies.map((r) => r.reply).slice(0, 2), why).toEqual(['error:500', 'error:500']);
    expect(
      replies.every((r) => r.api === API[cli] && !r.viaProxy),
      why,
    ).toBe(true);
    const diagnoses = mine.filter((e) => e.type === 'recovery.diagnosis').map((e) => [e.id, e.handling]);
    expect(diagnoses[0], why).toEqual([`${cli}.api-server-error`, 'retried']);
    const launches = mine.filter((e) => e.type === 'agent.launched');
    if (cli === 'gemini') {
      // Difference G1 (docs/compat.md): gemini 0.61 keeps no session whose model calls all failed, so
      // `--resume <id>` ends with "No previous sessions found for this project." (exit 42, no
      // result event); orchestrate takes it for a crash and relaunches fresh, which succeeds.
      expect(launches.length, why).toBe(3);
      expect(session.runFile('gemini', `${run}.2`, 'stderr.log'), why).toContain(
        'Error resuming session: No previous sessions found for this project.',
      );
      expect(
        mine.filter((e) => e.type === 'agent.exited').map((e) => e.code),
        why,
      ).toEqual([244, 42, 0]);
      expect(launches[2]?.argv, why).not.toContain('--resume');
    } else {
      expect(diagnoses, why).toEqual([[`${cli}.api-server-error`, 'retried']]);
      expect(launches.length, why).toBe(2);
    }
    const firstSession = mine.find((e) => e.type === 'agent.session')?.sessionId as string | undefined;
    expect(firstSession, why).toBeTruthy();
    // The relaunch resumes the CLI's session: claude --resume <id>, codex exec resume <id>, gemini --resume <id>.
    const relaunches = mine.filter((e) => e.type === 'recovery.relaunch').map((e) => [e.cause, e.resumeSessionId ?? null]);
    expect(relaunches, why).toEqual([[`${cli}.api-server-error`, firstSession], ...(cli === 'gemini' ? [['run.crashed', null]] : [])]);
    expect(launches[1]?.argv, why).toEqual(expect.arrayContaining(cli === 'codex' ? ['resume', firstSession] : ['--resume', firstSession]));
    expect(
      mine
        .filter((e) => e.type === 'agent.exited')
        .map((e) => e.status)
        .at(-1),
      why,
    ).toBe('succeeded');
    expect(
      session.json('summary.json').assignments.map((a: { status: string }) => a.status),
      why,
    ).toEqual(['succeeded']);
    await expectNothingLeft(file, session);
  });
});
