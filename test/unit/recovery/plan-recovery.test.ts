import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { AgentId } from '../../../src/agents/agent-id.js';
import { CATALOGUE } from '../../../src/recovery/catalogue.js';
import type { Diagnosis } from '../../../src/recovery/diagnose.js';
import { planRecovery } from '../../../src/recovery/plan-recovery.js';
import type { RecoveryInput, RecoveryPlan } from '../../../src/recovery/recovery-plan.js';

// A real tree for the path checks: target/, allowed/, outside/, and symlinks across them.
const ROOT = realpathSync(mkdtempSync(path.join(tmpdir(), 'plan-recovery-')));
const TARGET = path.join(ROOT, 'target');
const ALLOWED = path.join(ROOT, 'allowed');
const OUTSIDE = path.join(ROOT, 'outside');
for (const d of [TARGET, path.join(TARGET, 'src'), ALLOWED, path.join(ALLOWED, 'cache'), OUTSIDE]) mkdirSync(d, { recursive: true });
symlinkSync(OUTSIDE, path.join(TARGET, 'escape'));
symlinkSync(path.join(ALLOWED, 'cache'), path.join(OUTSIDE, 'into-allowed'));
afterAll(() => rmSync(ROOT, { recursive: true, force: true }));

function diagnosis(id: string, captures: Record<string, string> = {}): Diagnosis {
  const entry = CATALOGUE.find((e) => e.id === id);
  if (!entry) throw new Error(`no catalogue entry ${id}`);
  return { entry, captures, matched: `matched ${id}` };
}

function input(over: Partial<RecoveryInput> & { agent?: AgentId } = {}): RecoveryInput {
  return {
    agent: 'claude',
    run: {
      status: 'failed',
      reason: 'its result is an error (exit code 1): boom',
      diagnoses: [],
      cliSessionId: 'sid-1',
      exit: { code: 1, signal: null },
      lastMessages: ['working on it'],
    },
    attempts: {},
    maxAttempts: 2,
    backoffMs: 1000,
    allowedRoots: [TARGET, ALLOWED],
    currentAddDirs: [],
    now: 1_000_000,
    availableFallbacks: ['codex'],
    launch: { cwd: TARGET, context: { isRoot: false, sandboxed: true, targetIsGitRepo: true, trustTarget: true } },
    work: { originalPrompt: 'Your role: implementation\nTask: add --json', filesChanged: ['src/a.js'] },
    invocation: { argv: ['--agents', 'claude,codex', 'Add a --json flag'], cwd: TARGET },
    ...over,
  };
}

function withDiagnosis(id: string, captures: Record<string, string> = {}, over: Partial<RecoveryInput> = {}): RecoveryInput {
  const agent = (id.split('.')[0] ?? 'claude') as AgentId;
  const base = input({ agent, availableFallbacks: agent === 'codex' ? ['claude'] : ['codex'], ...over });
  return { ...base, run: { ...base.run, diagnoses: [diagnosis(id, captures)], ...over.run } };
}

/** The decision for every catalogue entry with a first failure and another agent available. */
const EXPECTED: Record<string, { captures?: Record<string, string>; kind: RecoveryPlan['kind'] }> = {
  'claude.stream-json-needs-verbose': { kind: 'fallback' },
  'claude.root-bypass-refused': { kind: 'fallback' },
  'claude.path-outside-workdirs': { captures: { path: path.join(ALLOWED, 'cache', 'x.txt') }, kind: 'relaunch' },
  'claude.shell-write-needs-approval': { captures: { path: path.join(TARGET, 'out.txt') }, kind: 'escalate' },
  'claude.dont-ask-mode': { kind: 'escalate' },
  'claude.auto-mode-unavailable': { kind: 'escalate' },
  'claude.policy-deny': { kind: 'fallback' },
  'claude.hook-block': { kind: 'fallback' },
  'claude.shell-write-denied': { captures: { path: '/sys/kernel/notes', error: 'Permission denied' }, kind: 'escalate' },
  'claude.resume-unknown-session': { captures: { id: 'bad-id' }, kind: 'relaunch' },
  'claude.api-server-error': { captures: { status: '500' }, kind: 'relaunch' },
  'claude.api-rate-limit': { captures: { status: '429' }, kind: 'park' },
  'codex.outside-git-repo': { kind: 'relaunch' },
  'codex.execpolicy-forbidden': { kind: 'fallback' },
  'codex.shell-write-denied': { captures: { path: '/sys/kernel/notes', error: 'Permission denied' }, kind: 'escalate' },
  'codex.api-server-error': { kind: 'relaunch' },
  'codex.api-rate-limit': { captures: { status: '429' }, kind: 'park' },
  'codex.usage-limit': { captures: { resetClock: '3:15 PM' }, kind: 'park' },
  'codex.removed-flag': { captures: { flag: '--full-auto' }, kind: 'fallback' },
  'gemini.untrusted-folder': { kind: 'fallback' },
  'gemini.auth': { kind: 'fallback' },
  'gemini.path-outside-workspace': { captures: { path: path.join(OUTSIDE, 'gemini.txt') }, kind: 'escalate' },
  'gemini.hook-write-outside': { captures: { path: path.join(OUTSIDE, 'gemini.txt') }, kind: 'escalate' },
  'claude.hook-write-outside': { captures: { path: path.join(OUTSIDE, 'claude.txt') }, kind: 'escalate' },
  'gemini.policy-deny': { kind: 'fallback' },
  'gemini.shell-write-denied': { captures: { path: '/sys/kernel/notes', error: 'Permission denied' }, kind: 'escalate' },
  'claude.rate-limit-rejected': { kind: 'park' },
  'claude.auth-failed': { captures: { kind: 'authentication_failed' }, kind: 'fallback' },
  'gemini.capacity-exhausted': { kind: 'fallback' },
  'claude.file-write-refused': { captures: { path: '/t/src/a.js', error: 'EROFS: read-only file system', op: 'open' }, kind: 'escalate' },
  'claude.crash-file-refused': {
    captures: { path: '/h/.claude.json', error: 'EROFS: read-only file system', op: 'open' },
    kind: 'escalate',
  },
  'claude.sandbox-start-failed': { captures: { detail: 'execvp codex-linux-sandbox: No such file or directory' }, kind: 'fallback' },
  'codex.file-write-refused': { captures: { path: '/t/src/a.js', error: 'EROFS: read-only file system', op: 'open' }, kind: 'escalate' },
  'codex.crash-file-refused': {
    captures: { path: '/h/.claude.json', error: 'EROFS: read-only file system', op: 'open' },
    kind: 'escalate',
  },
  'codex.sandbox-start-failed': { captures: { detail: 'execvp codex-linux-sandbox: No such file or directory' }, kind: 'fallback' },
  'gemini.file-write-refused': { captures: { path: '/t/src/a.js', error: 'EROFS: read-only file system', op: 'open' }, kind: 'escalate' },
  'gemini.crash-file-refused': {
    captures: { path: '/h/.claude.json', error: 'EROFS: read-only file system', op: 'open' },
    kind: 'escalate',
  },
  'gemini.sandbox-start-failed': { captures: { detail: 'execvp codex-linux-sandbox: No such file or directory' }, kind: 'fallback' },
  'gemini.api-server-error': { kind: 'relaunch' },
  'gemini.api-rate-limit': { kind: 'park' },
  'gemini.api-overloaded': { kind: 'relaunch' },
  'gemini.api-cancelled': { kind: 'relaunch' },
};

describe('planRecovery: one decision per catalogue entry', () => {
  it('has an expected decision for every entry', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual(CATALOGUE.map((e) => e.id).sort());
  });

  it.each(CATALOGUE.map((e) => [e.id, e.handling] as const))('%s (%s)', (id) => {
    const { captures, kind } = EXPECTED[id]!;
    // An `expected` denial is not a cause: the failed run is treated as uncatalogued (an error result → the next agent).
    expect(planRecovery(withDiagnosis(id, captures)).kind).toBe(kind);
  });

  it('ignores an expected denial in a run that succeeded', () => {
    const plan = planRecovery(
      withDiagnosis(
        'claude.policy-deny',
        {},
        { run: { status: 'succeeded', diagnoses: [diagnosis('claude.policy-deny')], exit: { code: 0, signal: null } } },
      ),
    );
    expect(plan).toEqual({ kind: 'give_up', reason: 'the run succeeded' });
  });

  it('acts on a refused write even when the run said it succeeded', () => {
    const d = diagnosis('claude.path-outside-workdirs', { path: path.join(ALLOWED, 'cache', 'x.txt') });
    const plan = planRecovery(input({ run: { status: 'succeeded', diagnoses: [d], exit: { code: 0, signal: null }, cliSessionId: 's' } }));
    expect(plan.kind).toBe('relaunch');
  });

  it('acts on what ended the run first when it shows several causes', () => {
    const base = input();
    const plan = planRecovery({
      ...base,
      run: {
        ...base.run,
        diagnoses: [diagnosis('claude.path-outside-workdirs', { path: path.join(ALLOWED, 'x') }), diagnosis('claude.api-rate-limit')],
      },
    });
    expect(plan.kind).toBe('park');
  });
});

describe('planRecovery: relaunches', () => {
  it('grants the refused directory, resuming the session, with the real argv change', () => {
    const plan = planRecovery(
      withDiagnosis('claude.path-outside-workdirs', { path: path.join(ALLOWED, 'cache', 'x.txt') }, { currentAddDirs: ['/already'] }),
    );
    expect(plan).toMatchObject({
      kind: 'relaunch',
      cause: 'claude.path-outside-workdirs',
      attempt: 1,
      change: { addDirs: ['/already', path.join(ALLOWED, 'cache')] },
      flagDiff: [`+ --add-dir ${path.join(ALLOWED, 'cache')}`],
      resumeSessionId: 'sid-1',
      delayMs: 0,
    });
    if (plan.kind === 'relaunch') expect(plan.prompt).toContain(`+ --add-dir ${path.join(ALLOWED, 'cache')}`);
  });

  it("uses gemini's own flag", () => {
    const plan = planRecovery(withDiagnosis('gemini.path-outside-workspace', { path: path.join(ALLOWED, 'g.txt') }));
    expect(plan).toMatchObject({ kind: 'relaunch', flagDiff: [`+ --include-directories ${ALLOWED}`] });
  });

  it('grants the nearest existing ancestor inside the root when the parent does not exist yet', () => {
    const plan = planRecovery(withDiagnosis('claude.path-outside-workdirs', { path: path.join(ALLOWED, 'cache', 'new', 'deep', 'x.txt') }));
    expect(plan).toMatchObject({ kind: 'relaunch', change: { addDirs: [path.join(ALLOWED, 'cache')] } });
  });

  it('creates a granted root that does not exist yet', () => {
    const fresh = path.join(ROOT, 'not-yet');
    const plan = planRecovery(
      withDiagnosis('claude.path-outside-workdirs', { path: path.join(fresh, 'x.txt') }, { allowedRoots: [TARGET, fresh] }),
    );
    expect(plan).toMatchObject({ kind: 'relaunch', change: { addDirs: [fresh], ensureDirs: [fresh] } });
  });

  it('escalates a path that `..` takes out of the allowed roots', () => {
    const plan = planRecovery(
      withDiagnosis('claude.path-outside-workdirs', { path: path.join(ALLOWED, 'cache', '..', '..', 'outside', 'x.txt') }),
    );
    expect(plan).toMatchObject({ kind: 'escalate', offer: { addDir: OUTSIDE }, question: `allow writing ${OUTSIDE} for claude? [y/N]` });
  });

  it('escalates a path whose symlink leads out of the roots, and grants one whose symlink leads in', () => {
    expect(planRecovery(withDiagnosis('claude.path-outside-workdirs', { path: path.join(TARGET, 'escape', 'x.txt') })).kind).toBe(
      'escalate',
    );
    const inward = planRecovery(withDiagnosis('claude.path-outside-workdirs', { path: path.join(OUTSIDE, 'into-allowed', 'x.txt') }));
    expect(inward).toMatchObject({ kind: 'relaunch', change: { addDirs: [path.join(ALLOWED, 'cache')] } });
  });

  it('resolves a relative path against the working directory', () => {
    const plan = planRecovery(withDiagnosis('claude.path-outside-workdirs', { path: '../allowed/x.txt' }));
    expect(plan).toMatchObject({ kind: 'relaunch', change: { addDirs: [ALLOWED] } });
  });

  it('escalates when the directory was already granted (no fix within policy)', () => {
    const plan = planRecovery(
      withDiagnosis('claude.path-outside-workdirs', { path: path.join(ALLOWED, 'x.txt') }, { currentAddDirs: [ALLOWED] }),
    );
    expect(plan.kind).toBe('escalate');
    expect(planRecovery(withDiagnosis('claude.path-outside-workdirs', { path: path.join(TARGET, 'src', 'x.txt') })).kind).toBe('escalate');
  });

  it("relaunches without the config's restricting permission mode", () => {
    const launch = { cwd: TARGET, context: input().launch.context, extraArgs: ['--model-x', '--permission-mode', 'dontAsk'] };
    const plan = planRecovery(withDiagnosis('claude.dont-ask-mode', {}, { launch }));
    expect(plan).toMatchObject({
      kind: 'relaunch',
      change: { dropArgs: ['--permission-mode', 'dontAsk'] },
      flagDiff: ['- --permission-mode dontAsk'],
    });
  });

  it('starts a fresh session carrying the work when the session id is unknown', () => {
    const plan = planRecovery(withDiagnosis('claude.resume-unknown-session', { id: 'bad-id' }));
    expect(plan).toMatchObject({ kind: 'relaunch', change: { freshSession: true }, flagDiff: ['- --resume bad-id'] });
    expect(plan).not.toHaveProperty('resumeSessionId');
    if (plan.kind === 'relaunch') {
      expect(plan.prompt).toContain('Task: add --json');
      expect(plan.prompt).toContain('- src/a.js');
      expect(plan.prompt).toContain('> working on it');
    }
  });

  it("forces --skip-git-repo-check when codex disagrees with orchestrate's git check", () => {
    const plan = planRecovery(withDiagnosis('codex.outside-git-repo'));
    expect(plan).toMatchObject({ kind: 'relaunch', change: { skipGitRepoCheck: true }, flagDiff: ['+ --skip-git-repo-check'] });
  });

  it('relaunches exactly maxAttempts times per cause, then escalates or hands the work on', () => {
    for (const maxAttempts of [0, 1, 2, 3]) {
      const kinds = [0, 1, 2, 3].map(
        (spent) =>
          planRecovery(
            withDiagnosis(
              'claude.path-outside-workdirs',
              { path: path.join(ALLOWED, 'x') },
              { maxAttempts, attempts: { 'claude.path-outside-workdirs': spent } },
            ),
          ).kind,
      );
      expect(kinds).toEqual([0, 1, 2, 3].map((spent) => (spent < maxAttempts ? 'relaunch' : 'escalate')));
      const retries = [0, 1, 2, 3].map(
        (spent) =>
          planRecovery(withDiagnosis('codex.api-server-error', {}, { maxAttempts, attempts: { 'codex.api-server-error': spent } })).kind,
      );
      expect(retries).toEqual([0, 1, 2, 3].map((spent) => (spent < maxAttempts ? 'relaunch' : 'fallback')));
    }
    expect(
      planRecovery(withDiagnosis('codex.api-server-error', {}, { attempts: { 'codex.api-server-error': 2 }, availableFallbacks: [] })).kind,
    ).toBe('give_up');
  });

  it('counts attempts per cause', () => {
    const plan = planRecovery(withDiagnosis('claude.api-server-error', {}, { attempts: { 'claude.path-outside-workdirs': 2 } }));
    expect(plan).toMatchObject({ kind: 'relaunch', attempt: 1 });
  });

  it('backs off exponentially between retries', () => {
    const delays = [0, 1, 2].map((spent) => {
      const plan = planRecovery(
        withDiagnosis('gemini.api-server-error', {}, { maxAttempts: 3, backoffMs: 2000, attempts: { 'gemini.api-server-error': spent } }),
      );
      return plan.kind === 'relaunch' ? plan.delayMs : -1;
    });
    expect(delays).toEqual([2000, 4000, 8000]);
  });
});

describe('planRecovery: parking on a rate limit', () => {
  it('parks until the stated reset, without spending an attempt', () => {
    const plan = planRecovery(
      withDiagnosis(
        'claude.api-rate-limit',
        { status: '429', retryAfterMs: '30000', resetSource: 'try again in' },
        { attempts: { 'claude.api-rate-limit': 99 } },
      ),
    );
    expect(plan).toMatchObject({ kind: 'park', untilMs: 1_000_000 + 30_000, handOff: ['codex'], resumeSessionId: 'sid-1' });
    expect(plan).not.toHaveProperty('attempt');
  });

  it('parks codex at its usage limit until the wall-clock time it names (issue 18), or hands it on past the deadline', () => {
    const now = new Date(2026, 11, 5, 14, 0).getTime();
    const plan = planRecovery(withDiagnosis('codex.usage-limit', { resetClock: '3:15 PM', resetSource: 'try again at' }, { now }));
    expect(plan).toMatchObject({ kind: 'park', untilMs: new Date(2026, 11, 5, 15, 15).getTime() });
    const late = planRecovery(
      withDiagnosis('codex.usage-limit', { resetClock: 'Dec 29th, 2026 10:15 PM' }, { now, deadlineMs: now + 3_600_000 }),
    );
    expect(late).toMatchObject({ kind: 'fallback', to: 'claude' });
  });

  it('parks until an ISO reset instant', () => {
    const plan = planRecovery(withDiagnosis('codex.api-rate-limit', { resetAt: '1970-01-01T00:20:00Z' }));
    expect(plan).toMatchObject({ kind: 'park', untilMs: 20 * 60_000 });
  });

  it('backs off exponentially per park without a reset time', () => {
    const untils = [0, 1, 2].map((parks) => {
      const plan = planRecovery(withDiagnosis('gemini.api-rate-limit', {}, { parks }));
      return plan.kind === 'park' ? plan.untilMs - 1_000_000 : -1;
    });
    expect(untils).toEqual([1000, 2000, 4000]);
  });

  it('hands the work on (or gives up) when the reset is past the deadline', () => {
    const late = { retryAfterMs: '600000' };
    expect(planRecovery(withDiagnosis('claude.api-rate-limit', late, { deadlineMs: 1_100_000 }))).toMatchObject({
      kind: 'fallback',
      to: 'codex',
    });
    expect(planRecovery(withDiagnosis('claude.api-rate-limit', late, { deadlineMs: 1_100_000, availableFallbacks: [] })).kind).toBe(
      'give_up',
    );
  });
});

describe('planRecovery: escalations', () => {
  it('offers the re-run command with the config file, and says where to allow the path', () => {
    const plan = planRecovery(
      withDiagnosis(
        'gemini.path-outside-workspace',
        { path: '/data/x.csv' },
        { invocation: { argv: ['--agents', 'gemini', "it's a task"], configPath: '/etc/o.json' } },
      ),
    );
    expect(plan).toMatchObject({
      kind: 'escalate',
      question: 'allow writing /data for gemini? [y/N]',
      offer: { addDir: '/data' },
      rerun: "orchestrate --config /etc/o.json --agents gemini 'it'\\''s a task'",
    });
    if (plan.kind === 'escalate') expect(plan.blocker).toContain('add "/data" to sandbox.allowWrite in /etc/o.json');
  });

  it('asks to trust the target when gemini was started with --no-trust, and re-runs without it', () => {
    const base = withDiagnosis('gemini.untrusted-folder', {}, { invocation: { argv: ['--no-trust', 'task'] } });
    const plan = planRecovery({ ...base, launch: { ...base.launch, context: { ...base.launch.context, trustTarget: false } } });
    expect(plan).toMatchObject({ kind: 'escalate', offer: { trust: true }, rerun: 'orchestrate task' });
  });

  it('escalates a CLI that cannot work when no other agent is available', () => {
    const plan = planRecovery(withDiagnosis('gemini.auth', {}, { availableFallbacks: [] }));
    expect(plan.kind).toBe('escalate');
    if (plan.kind === 'escalate') expect(plan.blocker).toContain('Log in to gemini');
  });
});

describe('planRecovery: failures the catalogue does not name', () => {
  const stalled = input({
    run: { status: 'stalled', reason: 'no event for 600 s', diagnoses: [], cliSessionId: 'sid-9', exit: { code: null, signal: 'SIGTERM' } },
  });
  const crashed = input({
    run: { status: 'failed', reason: 'ended without its final event (exit code 1): boom', diagnoses: [], exit: { code: 1, signal: null } },
  });

  it('resumes a stalled run once, then hands it on, then gives up', () => {
    expect(planRecovery(stalled)).toMatchObject({ kind: 'relaunch', cause: 'run.stalled', resumeSessionId: 'sid-9', delayMs: 1000 });
    const plan = planRecovery(stalled);
    if (plan.kind === 'relaunch') expect(plan.prompt).toMatch(/interrupted/);
    expect(planRecovery({ ...stalled, attempts: { 'run.stalled': 1 } })).toMatchObject({ kind: 'fallback', to: 'codex' });
    expect(planRecovery({ ...stalled, attempts: { 'run.stalled': 1 }, availableFallbacks: [] }).kind).toBe('give_up');
  });

  it('relaunches a crash without a session id fresh, carrying the work', () => {
    const plan = planRecovery(crashed);
    expect(plan).toMatchObject({ kind: 'relaunch', cause: 'run.crashed' });
    expect(plan).not.toHaveProperty('resumeSessionId');
    expect(planRecovery({ ...crashed, run: { ...crashed.run, finalEvent: true, exit: { code: 0, signal: null } } })).toMatchObject({
      kind: 'fallback',
      cause: 'run.false-success',
    });
  });

  it('hands a false success on and gives up on a timeout', () => {
    const falseSuccess = input({
      run: {
        status: 'failed',
        reason: 'its result is an error (exit code 0): nope',
        diagnoses: [],
        exit: { code: 0, signal: null },
        finalEvent: true,
      },
    });
    expect(planRecovery(falseSuccess)).toMatchObject({ kind: 'fallback', cause: 'run.false-success', to: 'codex' });
    expect(planRecovery(input({ run: { status: 'timed_out', diagnoses: [], exit: { code: null, signal: 'SIGTERM' } } }))).toMatchObject({
      kind: 'give_up',
      cause: 'run.timed-out',
    });
    expect(planRecovery(input({ run: { status: 'stopped_by_safety', diagnoses: [], exit: null } })).kind).toBe('give_up');
  });
});

describe('planRecovery is deterministic', () => {
  it.each(Object.keys(EXPECTED))('%s: the same input gives the same plan', (id) => {
    const make = (): RecoveryInput => withDiagnosis(id, EXPECTED[id]!.captures ?? {}, { attempts: { [id]: 1 } });
    const first = planRecovery(make());
    expect(planRecovery(structuredClone(make()))).toEqual(first);
    expect(JSON.stringify(planRecovery(make()))).toBe(JSON.stringify(first));
  });
});
