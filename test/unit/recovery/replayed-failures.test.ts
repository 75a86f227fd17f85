// Each recorded failure the simulated CLIs can replay: the fake is launched with the argv its
// adapter builds, what it really printed is diagnosed, and the plan is checked; where the plan is
// a relaunch (or a yes to an escalation), the relaunch is run too and must succeed.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { LaunchSpec } from '../../../src/agents/adapter.js';
import type { AgentId } from '../../../src/agents/agent-id.js';
import { CLAUDE_ROOT_SAFE_TOOLS } from '../../../src/agents/adapters/claude.js';
import { getAdapter } from '../../../src/agents/registry.js';
import type { AgentEvent } from '../../../src/events/agent-event.js';
import { diagnose, type Diagnosis } from '../../../src/recovery/diagnose.js';
import { planRecovery } from '../../../src/recovery/plan-recovery.js';
import type { RecoveryInput, RecoveryPlan, RecoveryRun } from '../../../src/recovery/recovery-plan.js';
import { decideOutcome } from '../../../src/supervisor/run-outcome.js';
import { FakeAgentHarness } from '../../helpers/fake-agents.js';

const harnesses: FakeAgentHarness[] = [];
afterEach(async () => {
  await Promise.all(harnesses.splice(0).map((h) => h.cleanup()));
});

function harness(): FakeAgentHarness {
  const h = new FakeAgentHarness();
  harnesses.push(h);
  return h;
}

const PROMPT = 'Your role: implementation\nTask: replay a recorded failure';
const USER: LaunchSpec['context'] = { isRoot: false, sandboxed: true, targetIsGitRepo: true, trustTarget: true };

interface Replayed {
  spec: LaunchSpec;
  events: AgentEvent[];
  diagnoses: Diagnosis[];
  run: RecoveryRun;
}

/** Runs the fake CLI with exactly the adapter's argv and env; reads back what it printed. */
async function replay(
  h: FakeAgentHarness,
  agent: AgentId,
  over: Partial<LaunchSpec>,
  opts: { scenario: string; env?: Record<string, string>; withoutArgs?: readonly string[] },
): Promise<Replayed> {
  const spec: LaunchSpec = {
    executable: agent,
    prompt: PROMPT,
    cwd: h.work,
    addDirs: [],
    extraArgs: [],
    mode: 'work',
    context: USER,
    ...over,
  };
  const cmd = getAdapter(agent).buildCommand(spec);
  const cut = opts.withoutArgs ? cmd.args.findIndex((a, i) => opts.withoutArgs!.every((w, k) => cmd.args[i + k] === w)) : -1;
  if (cut >= 0) cmd.args.splice(cut, opts.withoutArgs!.length);
  // The fake claude believes the uid it is told (root checks): match the context.
  const uid = { FAKE_AGENT_UID: spec.context.isRoot ? '0' : '1000' };
  const exit = await h.run(agent, cmd.args, {
    scenario: opts.scenario,
    cwd: spec.cwd,
    env: { ...cmd.env, ...uid, ...opts.env },
    ...(cmd.promptOnStdin ? { stdin: spec.prompt } : {}),
  });
  const parser = getAdapter(agent).createParser();
  const events = [...exit.stdout.split('\n').flatMap((l) => parser.parseLine(l)), ...parser.flush()];
  const diagnoses = diagnose(agent, { events, stderr: exit.stderr, exitCode: exit.code });
  const result = events.filter((e) => e.type === 'agent.result').at(-1);
  const final =
    result?.type === 'agent.result' ? { ok: result.ok, ...(result.error !== undefined ? { error: result.error } : {}) } : undefined;
  const outcome = decideOutcome({ exit: { code: exit.code, signal: exit.signal }, ...(final ? { final } : {}) });
  const session = events.find((e) => e.type === 'agent.session');
  const run: RecoveryRun = {
    status: outcome.status,
    reason: outcome.reason,
    diagnoses,
    exit: { code: exit.code, signal: exit.signal },
    finalEvent: final !== undefined,
  };
  if (session?.type === 'agent.session') run.cliSessionId = session.sessionId;
  return { spec, events, diagnoses, run };
}

function plan(h: FakeAgentHarness, agent: AgentId, r: Replayed, over: Partial<RecoveryInput> = {}): RecoveryPlan {
  return planRecovery({
    agent,
    run: r.run,
    attempts: {},
    maxAttempts: 2,
    backoffMs: 1000,
    allowedRoots: [h.work],
    currentAddDirs: r.spec.addDirs,
    now: 5_000,
    availableFallbacks: [],
    launch: { cwd: r.spec.cwd, context: r.spec.context },
    work: { originalPrompt: PROMPT, filesChanged: [] },
    invocation: { argv: ['--agents', agent, 'replay'] },
    ...over,
  });
}

/** The relaunch a plan asks for, applied to the failed launch's spec. */
function relaunchSpec(r: Replayed, p: RecoveryPlan): Partial<LaunchSpec> {
  if (p.kind !== 'relaunch') throw new Error(`expected a relaunch, got ${p.kind}`);
  for (const dir of p.change.ensureDirs ?? []) mkdirSync(dir, { recursive: true });
  const spec: Partial<LaunchSpec> = { prompt: p.prompt, addDirs: p.change.addDirs ?? r.spec.addDirs };
  if (p.change.skipGitRepoCheck) spec.context = { ...r.spec.context, targetIsGitRepo: false };
  if (p.resumeSessionId !== undefined) spec.resumeSessionId = p.resumeSessionId;
  return spec;
}

const ids = (r: Replayed): string[] => r.diagnoses.map((d) => d.entry.id);

describe('recorded failures replayed by the simulated CLIs', () => {
  it('claude writing outside its working dirs (acceptEdits, as recorded) → --add-dir, resumed', async () => {
    const h = harness();
    const outside = path.join(h.root, 'outside');
    const rootUnsandboxed = { ...USER, isRoot: true, sandboxed: false };
    // As recorded (claude-outside): acceptEdits without allow rules. The adapter's root-safe mode also
    // pre-approves Write, which lets the fake write anywhere, so those words are left out here.
    const asRecorded = { scenario: 'recovery-claude-write-outside', withoutArgs: ['--allowedTools', CLAUDE_ROOT_SAFE_TOOLS] };
    const first = await replay(h, 'claude', { context: rootUnsandboxed }, asRecorded);
    expect(ids(first)).toEqual(['claude.path-outside-workdirs']);
    expect(first.diagnoses[0]?.captures['path']).toBe(path.join(outside, 'claude.txt'));
    expect(first.run.status).toBe('succeeded'); // as recorded: the model gave up on the file and said DONE

    // Outside the allowed roots: a person is asked.
    expect(plan(h, 'claude', first)).toMatchObject({ kind: 'escalate', offer: { addDir: outside } });

    // Inside them: relaunch with the dir, resuming the session; the write then lands.
    const p = plan(h, 'claude', first, { allowedRoots: [h.work, outside] });
    expect(p).toMatchObject({
      kind: 'relaunch',
      change: { addDirs: [outside], ensureDirs: [outside] },
      flagDiff: [`+ --add-dir ${outside}`],
      resumeSessionId: first.run.cliSessionId,
    });
    const second = await replay(h, 'claude', { context: rootUnsandboxed, ...relaunchSpec(first, p) }, asRecorded);
    expect(ids(second)).toEqual([]);
    expect(readFileSync(path.join(outside, 'claude.txt'), 'utf8')).toBe('hello\n');
  });

  it('gemini writing outside its workspace → --include-directories', async () => {
    const h = harness();
    const outside = path.join(h.root, 'outside');
    mkdirSync(outside);
    const first = await replay(h, 'gemini', {}, { scenario: 'recovery-gemini-write-outside' });
    expect(ids(first)).toEqual(['gemini.path-outside-workspace']);
    const p = plan(h, 'gemini', first, { allowedRoots: [h.work, outside] });
    expect(p).toMatchObject({ kind: 'relaunch', change: { addDirs: [outside] }, flagDiff: [`+ --include-directories ${outside}`] });
    const second = await replay(h, 'gemini', relaunchSpec(first, p), { scenario: 'recovery-gemini-write-outside' });
    expect(ids(second)).toEqual([]);
    expect(existsSync(path.join(outside, 'gemini.txt'))).toBe(true);
  });

  it('claude resuming an unknown session id → a fresh session carrying the work', async () => {
    const h = harness();
    const first = await replay(h, 'claude', { resumeSessionId: '00000000-0000-4000-8000-000000000000' }, { scenario: 'success' });
    expect(ids(first)).toEqual(['claude.resume-unknown-session']);
    const p = plan(h, 'claude', first);
    expect(p).toMatchObject({
      kind: 'relaunch',
      change: { freshSession: true },
      flagDiff: ['- --resume 00000000-0000-4000-8000-000000000000'],
    });
    const second = await replay(h, 'claude', relaunchSpec(first, p), { scenario: 'success' });
    expect(second.run.status).toBe('succeeded');
  });

  it('codex outside a git repo without --skip-git-repo-check → relaunch with it', async () => {
    const h = harness();
    // orchestrate believed the target was a git work tree, so the adapter left the flag out.
    const first = await replay(h, 'codex', {}, { scenario: 'success' });
    expect(ids(first)).toEqual(['codex.outside-git-repo']);
    const p = plan(h, 'codex', first);
    expect(p).toMatchObject({ kind: 'relaunch', change: { skipGitRepoCheck: true }, flagDiff: ['+ --skip-git-repo-check'] });
    expect(p).not.toHaveProperty('resumeSessionId'); // codex refused before starting a thread
    const second = await replay(h, 'codex', relaunchSpec(first, p), { scenario: 'success' });
    expect(second.run.status).toBe('succeeded');
  });

  it('gemini in an untrusted folder (--no-trust) → asks to trust it; yes means --skip-trust', async () => {
    const h = harness();
    const first = await replay(h, 'gemini', { context: { ...USER, trustTarget: false } }, { scenario: 'success' });
    expect(ids(first)).toEqual(['gemini.untrusted-folder']);
    expect(first.run.exit?.code).toBe(55);
    const p = plan(h, 'gemini', first, { invocation: { argv: ['--no-trust', '--agents', 'gemini', 'replay'] } });
    expect(p).toMatchObject({ kind: 'escalate', offer: { trust: true }, rerun: 'orchestrate --agents gemini replay' });
    const second = await replay(h, 'gemini', { context: { ...USER, trustTarget: true } }, { scenario: 'success' });
    expect(second.run.status).toBe('succeeded');
  });

  it.each(['claude', 'codex', 'gemini'] as const)('%s API 500 → retried after a backoff, resuming the session', async (agent) => {
    const h = harness();
    const r = await replay(h, agent, { context: { ...USER, targetIsGitRepo: false } }, { scenario: 'api-error-500' });
    expect(r.diagnoses.map((d) => d.entry.handling)).toEqual(['retried']);
    const p = plan(h, agent, r, { attempts: { [`${agent}.api-server-error`]: 1 } });
    expect(p).toMatchObject({ kind: 'relaunch', delayMs: 2000, resumeSessionId: r.run.cliSessionId });
  });

  // gemini-cli retries 499 and 503 itself, then exits with the status & 255: a transient failure, not a generic one
  it.each([
    [503, 'The model is overloaded. Please try again later.', 'gemini.api-overloaded'],
    [499, 'The operation was cancelled.', 'gemini.api-cancelled'],
  ] as const)('gemini API %i (%s) → retried after a backoff, resuming the session', async (status, message, id) => {
    const h = harness();
    const scenario = path.join(h.root, `api-error-${status}.json`);
    writeFileSync(scenario, JSON.stringify({ steps: [{ apiError: { status, retries: 1, message } }] }));
    const r = await replay(h, 'gemini', {}, { scenario });
    expect(r.run.exit?.code).toBe(status & 255);
    expect(ids(r)).toEqual([id]);
    const p = plan(h, 'gemini', r, { attempts: { [id]: 1 } });
    expect(p).toMatchObject({ kind: 'relaunch', delayMs: 2000, resumeSessionId: r.run.cliSessionId });
  });

  it.each(['claude', 'codex', 'gemini'] as const)('%s API 429 → parked, without spending an attempt', async (agent) => {
    const h = harness();
    const r = await replay(h, agent, { context: { ...USER, targetIsGitRepo: false } }, { scenario: 'api-error-429' });
    expect(r.diagnoses.map((d) => d.entry.handling)).toEqual(['parked']);
    const p = plan(h, agent, r, { availableFallbacks: ['claude', 'codex', 'gemini'].filter((a) => a !== agent) as AgentId[] });
    expect(p.kind).toBe('park');
    if (p.kind !== 'park') return;
    expect(p.handOff).toHaveLength(2);
    // claude's stream carries its own last backoff (system/api_retry.retry_delay_ms): the floor of the park.
    const retry = r.events.filter((e) => e.type === 'agent.api_retry').at(-1);
    const expectedWait = agent === 'claude' && retry?.type === 'agent.api_retry' ? retry.delayMs : 1000;
    expect(p.untilMs).toBe(5_000 + (expectedWait ?? -1));
  });

  it.runIf(existsSync('/sys/kernel/notes')).each(['claude', 'gemini'] as const)(
    '%s: a plain Permission denied from a shell command → escalated',
    async (agent) => {
      const h = harness();
      const r = await replay(h, agent, {}, { scenario: 'recovery-shell-permission-denied' });
      expect(ids(r)).toEqual([`${agent}.shell-write-denied`]);
      expect(r.diagnoses[0]?.captures).toMatchObject({ path: '/sys/kernel/notes', error: 'Permission denied' });
      const p = plan(h, agent, r);
      expect(p).toMatchObject({ kind: 'escalate', rerun: `orchestrate --agents ${agent} replay` });
      expect(p).not.toHaveProperty('offer');
    },
  );
});
