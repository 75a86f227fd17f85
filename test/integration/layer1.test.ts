import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { LaunchSpec } from '../../src/agents/adapter.js';
import type { AgentId } from '../../src/agents/agent-id.js';
import { buildClaudeCommand } from '../../src/agents/adapters/claude.js';
import { buildCodexCommand } from '../../src/agents/adapters/codex.js';
import { buildGeminiCommand } from '../../src/agents/adapters/gemini.js';
import { startConfirmBroker, type ConfirmBroker } from '../../src/safety/confirm/broker.js';
import type { ConfirmAnswer } from '../../src/safety/confirm/types.js';
import { writeEnforcement, type Enforcement, type EnforcementInput } from '../../src/safety/layer1/write-enforcement.js';
import type { JournalInput } from '../../src/session/journal-entry.js';
import { bwrapSandboxPlan } from '../../src/supervisor/create-sandbox-plan.js';
import { FakeAgentHarness, type FakeCli } from '../helpers/fake-agents.js';
import { SANDBOX_USABLE } from '../helpers/orchestrate-harness.js';
import { WAIT_CEILING_MS } from '../helpers/until.js';

// Safety layer 1 for real: the files writeEnforcement generates, given to the simulated CLIs with
// exactly the flags the adapters build, stop block-class commands before they run, and claude's
// hook (`orchestrate hook claude`, a real process; needs `npm run build`) holds confirm-class
// ones for the broker's answer.
const ORCHESTRATE = fileURLToPath(new URL('../../bin/orchestrate.js', import.meta.url));
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

let h: FakeAgentHarness;
let brokers: ConfirmBroker[] = [];
beforeAll(() => {
  h = new FakeAgentHarness();
});
afterAll(async () => h.cleanup());
afterEach(async () => {
  await Promise.all(brokers.map((b) => b.close()));
  brokers = [];
});

/** A fresh session dir, project and scratch HOME (with a marker file) per test. */
function world(name: string): { sessionDir: string; target: string; home: string; marker: string } {
  const base = path.join(h.root, name);
  const target = path.join(base, 'project');
  const home = path.join(base, 'home');
  const sessionDir = path.join(target, '.orchestrate', 'sessions', 's1');
  for (const d of [target, home, sessionDir]) mkdirSync(d, { recursive: true });
  const marker = path.join(home, 'marker.txt');
  writeFileSync(marker, 'still here\n');
  return { sessionDir, target, home, marker };
}

function enforce(agent: AgentId, w: ReturnType<typeof world>, extra: Partial<EnforcementInput> = {}): Enforcement {
  return writeEnforcement({
    sessionDir: w.sessionDir,
    agent,
    filterContext: { cwd: w.target, workspaceRoots: [w.target], home: w.home, tmpDirs: [path.dirname(h.root), '/tmp', '/var/tmp'] },
    policy: { block: [], allow: [] },
    orchestrateBin: [process.execPath, ORCHESTRATE],
    sandboxed: false,
    agentEnv: { HOME: w.home },
    ...extra,
  });
}

async function broker(answer: ConfirmAnswer['answer'], journal: JournalInput[] = []): Promise<ConfirmBroker> {
  const b = await startConfirmBroker({
    decide: async () => ({ answer, by: 'person' }),
    journal: { append: (e) => journal.push(e) },
    timeoutMs: WAIT_CEILING_MS,
  });
  brokers.push(b);
  return b;
}

/** The prompt, which every CLI reads from stdin as orchestrate gives it (the adapters' argv has none). */
const PROMPT = 'Your role: implementation\nTask: test';

function spec(target: string, policyFiles: LaunchSpec['policyFiles'], executable: string): LaunchSpec {
  return {
    executable,
    prompt: PROMPT,
    cwd: target,
    addDirs: [],
    extraArgs: [],
    mode: 'work',
    context: { isRoot, sandboxed: false, targetIsGitRepo: false, trustTarget: true },
    ...(policyFiles ? { policyFiles } : {}),
  };
}

/** Runs `orchestrate hook claude` with a PreToolUse payload on stdin. */
function runHook(
  contextFile: string,
  command: string,
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [ORCHESTRATE, 'hook', 'claude', '--context', contextFile], {
      env: { ...process.env, ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(
      JSON.stringify({
        session_id: 's',
        hook_event_name: 'PreToolUse',
        tool_name: 'Bash',
        tool_input: { command, description: 'x' },
        cwd: path.dirname(contextFile),
        tool_use_id: 't',
      }),
    );
  });
}

/** Commands the fake refused / really ran, from the `from`th log record on (the log is shared by the tests). */
const blocked = (cli: FakeCli, from = 0) =>
  h
    .logRecords(cli)
    .slice(from)
    .filter((r) => r.kind === 'blocked')
    .map((r) => r['command']);
const ran = (cli: FakeCli, from = 0) =>
  h
    .logRecords(cli)
    .slice(from)
    .filter((r) => r.kind === 'ran')
    .map((r) => r['command']);
const logLength = (cli: FakeCli) => h.logRecords(cli).length;

describe('orchestrate hook claude (a real process)', () => {
  it('blocks a block-class command with exit 2 and the rule on stderr', async () => {
    const w = world('hook-block');
    const e = enforce('claude', w);
    const context = path.join(path.dirname(e.policyFiles.claudeSettings!), 'hook-context.json');
    const r = await runHook(context, `rm -rf ${w.home}`, {});
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('blocked by orchestrate (block.recursive-delete-outside)');
  });

  it('lets an allow-class command through silently', async () => {
    const w = world('hook-allow');
    const context = path.join(path.dirname(enforce('claude', w).policyFiles.claudeSettings!), 'hook-context.json');
    expect(await runHook(context, 'ls -la && rm -rf ./build', {})).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('runs a confirm-class command only when the broker answers allow, and the broker journals both', async () => {
    const w = world('hook-confirm');
    const journal: JournalInput[] = [];
    const yes = await broker('allow', journal);
    const no = await broker('deny');
    const e = enforce('claude', w, { confirm: yes.endpoint, assignment: 'impl' });
    const context = path.join(path.dirname(e.policyFiles.claudeSettings!), 'hook-context.json');
    expect(await runHook(context, 'git push origin main', e.env)).toMatchObject({ code: 0, stderr: '' });
    expect(journal.map((j) => [j.type, j['assignment'], j['command']])).toEqual([
      ['safety.confirm_requested', 'impl', 'git push origin main'],
      ['safety.confirm_answered', 'impl', 'git push origin main'],
    ]);
    const denied = await runHook(context, 'git push origin main', no.env);
    expect(denied.code).toBe(2);
    expect(denied.stderr).toContain('not confirmed (the person said no): confirm.external-action');
  });

  it('fails closed: broker down, no broker, unreadable context', async () => {
    const w = world('hook-closed');
    const gone = await broker('allow');
    await gone.close();
    brokers = [];
    const context = path.join(path.dirname(enforce('claude', w).policyFiles.claudeSettings!), 'hook-context.json');
    const down = await runHook(context, 'git push origin main', gone.env);
    expect(down.code).toBe(2);
    expect(down.stderr).toContain('orchestrate hook failed closed: connect ECONNREFUSED');
    expect((await runHook(context, 'git push', {})).stderr).toContain('no one to ask');
    const bad = await runHook(path.join(w.target, 'missing.json'), 'ls', {});
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('failed closed');
  });
});

describe('the simulated CLIs with the generated files, as the adapters launch them', () => {
  it('claude: the PreToolUse hook stops rm -rf "$HOME"; the home survives', async () => {
    const w = world('claude-block');
    const e = enforce('claude', w);
    const cmd = buildClaudeCommand(spec(w.target, e.policyFiles, 'claude'));
    const from = logLength('claude');
    const r = await h.run('claude', cmd.args, {
      cwd: w.target,
      stdin: PROMPT,
      scenario: 'block-command',
      env: { ...cmd.env, ...e.env, HOME: w.home },
    });
    expect(r.status).toBe(0);
    expect(blocked('claude', from)).toContain('rm -rf "$HOME"');
    expect(existsSync(w.marker)).toBe(true);
  });

  it.each([
    ['deny', false],
    ['allow', true],
  ] as const)('claude: git push with the broker answering %s runs=%s', async (answer, runs) => {
    const w = world(`claude-confirm-${answer}`);
    const b = await broker(answer);
    const e = enforce('claude', w, { confirm: b.endpoint });
    const cmd = buildClaudeCommand(spec(w.target, e.policyFiles, 'claude'));
    const from = logLength('claude');
    await h.run('claude', cmd.args, {
      cwd: w.target,
      stdin: PROMPT,
      scenario: 'confirm-command',
      env: { ...cmd.env, ...e.env, HOME: w.home },
    });
    expect(ran('claude', from).includes('git push origin main')).toBe(runs);
  });

  it('gemini: the --policy TOML stops rm -rf "$HOME"; the home survives', async () => {
    const w = world('gemini-block');
    const e = enforce('gemini', w);
    const cmd = buildGeminiCommand(spec(w.target, e.policyFiles, 'gemini'));
    expect(cmd.args).toContain(e.policyFiles.geminiPolicy);
    const from = logLength('gemini');
    await h.run('gemini', cmd.args, {
      cwd: w.target,
      stdin: PROMPT,
      scenario: 'block-command',
      env: { ...cmd.env, HOME: w.home, GEMINI_CLI_HOME: w.home, GEMINI_CLI_NO_RELAUNCH: 'true' },
    });
    expect(blocked('gemini', from)).toContain('rm -rf "$HOME"');
    expect(existsSync(w.marker)).toBe(true);
  });

  it.each([
    ['deny', false],
    ['allow', true],
  ] as const)('gemini: git push with confirms falling back to %s runs=%s', async (fallback, runs) => {
    const w = world(`gemini-confirm-${fallback}`);
    const e = enforce('gemini', w, { confirmFallback: fallback });
    const cmd = buildGeminiCommand(spec(w.target, e.policyFiles, 'gemini'));
    const from = logLength('gemini');
    await h.run('gemini', cmd.args, {
      cwd: w.target,
      stdin: PROMPT,
      scenario: 'confirm-command',
      env: { HOME: w.home, GEMINI_CLI_HOME: w.home, GEMINI_CLI_NO_RELAUNCH: 'true' },
    });
    expect(ran('gemini', from).includes('git push origin main')).toBe(runs);
  });

  it('codex: the execpolicy rules in $CODEX_HOME/rules stop rm -rf "$HOME"; the home survives', async () => {
    const w = world('codex-block');
    const e = enforce('codex', w, { sandboxed: true });
    const bind = e.extraReadOnlyBinds[0]!;
    // What the sandbox's bind shows codex, done here by copying into a scratch CODEX_HOME.
    cpSync(bind.source, bind.dest, { recursive: true });
    const cmd = buildCodexCommand(spec(w.target, e.policyFiles, 'codex'));
    const from = logLength('codex');
    const r = await h.run('codex', cmd.args, {
      cwd: w.target,
      stdin: PROMPT,
      scenario: 'block-command',
      env: { HOME: w.home, CODEX_HOME: path.join(w.home, '.codex') },
    });
    expect(r.stderr).toContain(
      'rejected: recursive delete of a path outside the workspace and temp dirs (orchestrate block.recursive-delete-outside)',
    );
    expect(blocked('codex', from)).toContain('rm -rf "$HOME"');
    expect(existsSync(w.marker)).toBe(true);
  });

  it.skipIf(!SANDBOX_USABLE)('codex in bubblewrap: the rules are bound over $CODEX_HOME/rules and nothing is written into it', async () => {
    const w = world('codex-bwrap');
    const codexHome = path.join(w.home, '.codex');
    const e = enforce('codex', w, { sandboxed: true });
    const plan = bwrapSandboxPlan({
      bwrap: 'bwrap',
      reason: 'test',
      target: w.target,
      workspace: path.join(w.target, '.orchestrate'),
      allowWrite: [h.logDir, h.stateDir],
      home: w.home,
      runAsRoot: isRoot,
    });
    const cmd = buildCodexCommand(spec(w.target, e.policyFiles, fileURLToPath(new URL('../../fixtures/agents/codex', import.meta.url))));
    const from = logLength('codex');
    const env = h.env({ HOME: w.home, CODEX_HOME: codexHome, FAKE_CODEX_SCENARIO: 'block-command' });
    const wrapped = plan.wrap(cmd, { agent: 'codex', env, sessionDir: w.sessionDir, extraReadOnlyBinds: e.extraReadOnlyBinds });
    const r = await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
      const child = spawn(wrapped.file, wrapped.args, { env: { ...env, ...wrapped.env }, stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stderr }));
    });
    expect(r.stderr).toContain('(orchestrate block.recursive-delete-outside)');
    expect(blocked('codex', from)).toContain('rm -rf "$HOME"');
    // nothing lands in the person's CODEX_HOME: codex saw its private copy, our rules bound over it
    expect(existsSync(path.join(codexHome, 'rules')) ? readdirSync(path.join(codexHome, 'rules')) : []).toEqual([]);
  });
});
