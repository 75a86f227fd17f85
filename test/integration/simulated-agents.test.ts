// The simulated agent CLIs reproduce the recorded real streams (fixtures/streams/), refuse what the
// real CLIs refuse, really do (or really do not do) the file work, and behave like them on signals.
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it as base } from 'vitest';
import {
  FakeAgentHarness,
  SAMPLE_PROJECT_DIR,
  STREAMS_DIR,
  killGroup,
  parseLines,
  recordedExit,
  recordedKinds,
  recordedShapes,
  recordedStderr,
  streamKinds,
  streamShapes,
  type ContentBlock,
  type FakeExit,
  type StreamEvent,
} from '../helpers/fake-agents.js';
import { until } from '../helpers/until.js';
import { pidAlive as isAlive } from '../../src/process/kill-group.js';

// Each test gets its own scratch world; its cleanup SIGKILLs every process group it started and
// waits for known grandchildren to die. Tests are independent, so they run concurrently.
const it = base.extend<{ h: FakeAgentHarness }>({
  // eslint-disable-next-line no-empty-pattern
  h: async ({}, use) => {
    const harness = new FakeAgentHarness();
    try {
      await use(harness);
    } finally {
      await harness.cleanup();
    }
  },
});

const OK = { steps: [{ shell: 'echo hello > out.txt' }, { say: 'All done: the command ran.' }] };
const FAIL = { steps: [{ shell: 'ls /nonexistent-dir-xyz' }, { say: 'All done: the command ran.' }] };
const DENY = { steps: [{ shell: 'rm -f out.txt' }, { say: 'All done: the command ran.' }] };
const PATCH = { steps: [{ write: { path: 'hello.txt', content: 'hello\n' } }, { say: 'All done: the command ran.' }] };
const TEXT = { steps: [{ say: 'All done: the command ran.' }] };
const ERR500 = { steps: [{ apiError: { status: 500, retries: 1 } }] };
const ERR429 = { steps: [{ apiError: { status: 429, retries: 1 } }] };
const HANG = { steps: [{ hang: true }] };

/** Writes an ad-hoc scenario into the scratch dir; returns its absolute path. */
function scenario(h: FakeAgentHarness, name: string, body: object): string {
  const path = join(h.root, `${name}.json`);
  writeFileSync(path, JSON.stringify(body));
  return path;
}

/** Creates the work dir's sibling `outside/` (a path outside the agent's workspace). */
function outsideDir(h: FakeAgentHarness): string {
  const dir = join(h.root, 'outside');
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Same event kinds, same field names/nesting/JSON types per kind, same exit status as the recording. */
function expectLike(result: FakeExit, recording: string): void {
  expect(streamKinds(result.stdout)).toEqual(recordedKinds(recording));
  expect(streamShapes(result.stdout)).toEqual(recordedShapes(recording));
  expect(result.status).toBe(recordedExit(recording));
}

function events(result: FakeExit): StreamEvent[] {
  return parseLines(result.stdout);
}

function toolResults(result: FakeExit): ContentBlock[] {
  return events(result)
    .filter((event) => event.type === 'user')
    .flatMap((event) => event.message?.content ?? []);
}

describe.concurrent('claude', () => {
  const STREAM = ['-p', '--output-format', 'stream-json', '--verbose'];
  const BYPASS = [...STREAM, '--dangerously-skip-permissions'];
  const sandboxEnv = { IS_SANDBOX: '1' };

  it('runs a shell command as claude-ok does and really creates the file', async ({ h }) => {
    const result = await h.run('claude', [...BYPASS, 'Create out.txt'], { scenario: scenario(h, 'ok', OK), env: sandboxEnv });
    expectLike(result, 'claude-ok');
    expect(readFileSync(join(h.work, 'out.txt'), 'utf8')).toBe('hello\n');
    const init = events(result)[0];
    expect(init).toMatchObject({ cwd: h.work, permissionMode: 'bypassPermissions', claude_code_version: '2.1.330' });
    expect(init?.session_id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-/);
  });

  it('allows an allowedTools command in acceptEdits mode (claude-ok-acceptedits)', async ({ h }) => {
    const args = [...STREAM, '--permission-mode', 'acceptEdits', '--allowedTools', 'Bash(echo:*)', '--', 'Create out.txt'];
    const result = await h.run('claude', args, { scenario: scenario(h, 'ok', OK) });
    expectLike(result, 'claude-ok-acceptedits');
    expect(existsSync(join(h.work, 'out.txt'))).toBe(true);
  });

  it('emits partial-message stream events with --include-partial-messages (claude-ok-partial)', async ({ h }) => {
    const result = await h.run('claude', [...BYPASS, '--include-partial-messages', 'Create out.txt'], {
      scenario: scenario(h, 'ok', OK),
      env: sandboxEnv,
    });
    expectLike(result, 'claude-ok-partial');
  });

  it('writes with the Write tool (claude-patch)', async ({ h }) => {
    const result = await h.run('claude', [...BYPASS, 'Create hello.txt'], { scenario: scenario(h, 'patch', PATCH), env: sandboxEnv });
    expectLike(result, 'claude-patch');
    expect(readFileSync(join(h.work, 'hello.txt'), 'utf8')).toBe('hello\n');
  });

  it('reports a failing command as an is_error tool_result with its exit code (claude-fail)', async ({ h }) => {
    const result = await h.run('claude', [...BYPASS, 'List it'], { scenario: scenario(h, 'fail', FAIL), env: sandboxEnv });
    expectLike(result, 'claude-fail');
    expect(toolResults(result)[0]).toMatchObject({ is_error: true });
    expect(String(toolResults(result)[0]?.content)).toMatch(/^Exit code 2\nls: cannot access '\/nonexistent-dir-xyz'/);
  });

  it('denies Bash(rm:*) from --disallowedTools and from --settings permissions.deny, leaving the file', async ({ h }) => {
    for (const [recording, flags] of [
      ['claude-deny-disallowed', ['--disallowedTools', 'Bash(rm:*)']],
      ['claude-deny-settings', ['--settings', '{"permissions":{"deny":["Bash(rm:*)"]}}']],
    ] as const) {
      writeFileSync(join(h.work, 'out.txt'), 'keep\n');
      const result = await h.run('claude', [...BYPASS, ...flags, '--', 'Remove out.txt'], {
        scenario: scenario(h, 'deny', DENY),
        env: sandboxEnv,
      });
      expectLike(result, recording);
      expect(existsSync(join(h.work, 'out.txt'))).toBe(true);
      const denied = events(result).find((event) => event.subtype === 'permission_denied');
      expect(denied?.message).toBe('Permission to use Bash with command rm -f out.txt has been denied.');
    }
  });

  it('blocks a command when a PreToolUse hook exits 2, passing the tool call on stdin (claude-deny-hook)', async ({ h }) => {
    writeFileSync(join(h.work, 'out.txt'), 'keep\n');
    const hook = join(h.root, 'claude-hook.sh');
    const input = join(h.root, 'hook-input.json');
    writeFileSync(hook, `#!/bin/bash\ncat > '${input}'\necho "rm is blocked by orchestrate hook" >&2\nexit 2\n`);
    chmodSync(hook, 0o755);
    const settings = join(h.root, 'settings.json');
    writeFileSync(settings, JSON.stringify({ hooks: { PreToolUse: [{ matcher: 'Bash', hooks: [{ type: 'command', command: hook }] }] } }));
    const args = [...BYPASS, '--settings', settings, '--include-hook-events', 'Remove out.txt'];
    const result = await h.run('claude', args, { scenario: scenario(h, 'deny', DENY), env: sandboxEnv });
    expectLike(result, 'claude-deny-hook');
    expect(existsSync(join(h.work, 'out.txt'))).toBe(true);
    expect(toolResults(result)[0]?.content).toBe(`PreToolUse:Bash hook error: [${hook}]: rm is blocked by orchestrate hook\n`);
    expect(JSON.parse(readFileSync(input, 'utf8'))).toMatchObject({
      hook_event_name: 'PreToolUse',
      tool_name: 'Bash',
      tool_input: { command: 'rm -f out.txt' },
      cwd: h.work,
    });
    expect(h.logRecords('claude').some((record) => record.kind === 'ran')).toBe(false);
  });

  it('asks (and so refuses) before an output redirection in default mode (claude-noperm)', async ({ h }) => {
    const result = await h.run('claude', [...STREAM, 'Create out.txt'], { scenario: scenario(h, 'ok', OK) });
    expectLike(result, 'claude-noperm');
    expect(existsSync(join(h.work, 'out.txt'))).toBe(false);
  });

  it('refuses a Write outside the working dirs in acceptEdits mode, allows it with --add-dir', async ({ h }) => {
    const outside = outsideDir(h);
    const write = scenario(h, 'outside', {
      steps: [{ write: { path: join(outside, 'claude.txt'), content: 'outside\n' } }, { say: 'All done: the command ran.' }],
    });
    const denied = await h.run('claude', [...STREAM, '--permission-mode', 'acceptEdits', 'Write outside'], { scenario: write });
    expectLike(denied, 'claude-outside');
    expect(existsSync(join(outside, 'claude.txt'))).toBe(false);
    expect(events(denied).find((event) => event.subtype === 'permission_denied')).toMatchObject({
      decision_reason_type: 'workingDir',
      message: `Claude requested permissions to write to ${join(outside, 'claude.txt')}, but you haven't granted it yet.`,
    });
    const allowed = await h.run('claude', [...STREAM, '--permission-mode', 'acceptEdits', '--add-dir', outside, '--', 'Write outside'], {
      scenario: write,
    });
    expectLike(allowed, 'claude-outside-adddir');
    expect(readFileSync(join(outside, 'claude.txt'), 'utf8')).toBe('outside\n');
  });

  it('gives up after API errors with the recorded retry events and exit 1 (claude-err500, claude-err429)', async ({ h }) => {
    const e500 = await h.run('claude', [...BYPASS, 'hi'], { scenario: scenario(h, 'e500', ERR500), env: sandboxEnv });
    expectLike(e500, 'claude-err500');
    expect(events(e500).at(-1)).toMatchObject({ is_error: true, api_error_status: 500, terminal_reason: 'api_error' });
    const e429 = await h.run('claude', [...BYPASS, 'hi'], { scenario: scenario(h, 'e429', ERR429), env: sandboxEnv });
    expectLike(e429, 'claude-err429');
    expect(events(e429).at(-1)?.result).toBe('API Error: Request rejected (429) · fake 429 from scripted server');
  });

  it('ends at --max-budget-usd as claude-max-budget does: the turn past it is shown, its tool not run, exit 1', async ({ h }) => {
    const result = await h.run('claude', [...BYPASS, '--max-budget-usd', '0.00001', 'Create out.txt'], {
      scenario: scenario(h, 'ok', OK),
      env: sandboxEnv,
    });
    expectLike(result, 'claude-max-budget');
    expect(events(result).at(-1)).toMatchObject({
      subtype: 'error_max_budget_usd',
      is_error: true,
      terminal_reason: 'budget_exhausted',
      errors: ['Reached maximum budget ($0.00001)'],
    });
    expect(existsSync(join(h.work, 'out.txt'))).toBe(false);
    expect(h.logRecords('claude').some((record) => record.kind === 'ran')).toBe(false);
  });

  it('answers through StructuredOutput with --json-schema (claude-schema)', async ({ h }) => {
    const schema = '{"type":"object","properties":{"status":{"type":"string"}},"required":["status"]}';
    const result = await h.run('claude', [...BYPASS, '--json-schema', schema, 'Give status'], {
      scenario: scenario(h, 'schema', { steps: [{ structured: { status: 'fake' } }] }),
      env: sandboxEnv,
    });
    expectLike(result, 'claude-schema');
    expect(events(result).at(-1)).toMatchObject({ structured_output: { status: 'fake' }, result: '{"status":"fake"}' });
  });

  it('resumes a known session id and refuses an unknown one as recorded', async ({ h }) => {
    const first = await h.run('claude', [...BYPASS, 'Create out.txt'], { scenario: scenario(h, 'ok', OK), env: sandboxEnv });
    const id = String(events(first)[0]?.session_id);
    const resumed = await h.run('claude', [...BYPASS, '--resume', id, 'follow up'], {
      scenario: scenario(h, 'text', TEXT),
      env: sandboxEnv,
    });
    expectLike(resumed, 'claude-resume');
    expect(events(resumed)[0]?.session_id).toBe(id);

    const badId = '00000000-0000-4000-8000-000000000000';
    const bad = await h.run('claude', [...BYPASS, '--resume', badId, 'follow up'], { env: sandboxEnv });
    expectLike(bad, 'claude-resume-badid');
    expect(bad.stderr).toBe(recordedStderr('claude-resume-badid'));
  });

  it('refuses stream-json without --verbose, and --dangerously-skip-permissions as root without IS_SANDBOX', async ({ h }) => {
    const noVerbose = await h.run('claude', ['-p', '--output-format', 'stream-json', 'hi']);
    expect(noVerbose).toMatchObject({
      status: 1,
      stdout: '',
      stderr: 'Error: When using --print, --output-format=stream-json requires --verbose\n',
    });
    const root = await h.run('claude', [...BYPASS, 'hi'], { env: { FAKE_AGENT_UID: '0' } });
    expect(root).toMatchObject({ status: recordedExit('claude-root-bypass'), stdout: '', stderr: recordedStderr('claude-root-bypass') });
    const sandboxed = await h.run('claude', [...BYPASS, 'hi'], {
      env: { FAKE_AGENT_UID: '0', IS_SANDBOX: '1' },
      scenario: scenario(h, 'text', TEXT),
    });
    expect(sandboxed.status).toBe(0);
  });

  it('prints its version', async ({ h }) => {
    expect(await h.run('claude', ['--version'])).toMatchObject({ status: 0, stdout: '2.1.330 (Claude Code)\n' });
  });

  it('exits 143 at once on SIGTERM, leaving only the init line (claude-sigterm)', async ({ h }) => {
    const run = h.start('claude', [...BYPASS, 'hi'], { scenario: scenario(h, 'hang', HANG), env: sandboxEnv });
    await h.waitForLog('claude', (record) => record.kind === 'ready', run);
    process.kill(run.pid, 'SIGTERM');
    expectLike(await h.waitExit(run), 'claude-sigterm');
  });
});

describe.concurrent('codex', () => {
  const EXEC = ['exec', '--json'];
  const BYPASS = [...EXEC, '--dangerously-bypass-approvals-and-sandbox'];
  const STDIN_LINE = 'Reading additional input from stdin...\n';

  it('runs a shell command as codex-ok does (bypass, sandboxed, or in a git repo)', async ({ h }) => {
    const runs = [
      ['codex-ok', [...BYPASS, '--skip-git-repo-check']],
      ['codex-nogit-bypass', BYPASS],
      ['codex-ok-sandbox', [...EXEC, '-s', 'workspace-write', '--skip-git-repo-check']],
    ] as const;
    for (const [recording, args] of runs) {
      const result = await h.run('codex', [...args, 'Create out.txt'], { scenario: scenario(h, 'ok', OK) });
      expectLike(result, recording);
      expect(result.stderr).toBe(STDIN_LINE);
      const item = events(result).find((event) => event.type === 'item.completed')?.item;
      expect(item).toMatchObject({ command: "/bin/bash -lc 'echo hello > out.txt'", exit_code: 0, status: 'completed' });
      expect(readFileSync(join(h.work, 'out.txt'), 'utf8')).toBe('hello\n');
    }
    spawnSync('git', ['init', '-q'], { cwd: h.work });
    const inRepo = await h.run('codex', [...EXEC, '-s', 'workspace-write', 'Create out.txt'], { scenario: scenario(h, 'ok', OK) });
    expectLike(inRepo, 'codex-ok-gitrepo');
  });

  it('quotes commands as /bin/bash -lc with single quotes escaped', async ({ h }) => {
    const result = await h.run('codex', [...BYPASS, 'x'], { scenario: scenario(h, 'quote', { steps: [{ shell: "echo 'it works'" }] }) });
    const item = events(result).find((event) => event.type === 'item.completed')?.item;
    expect(item).toMatchObject({ command: `/bin/bash -lc 'echo '\\''it works'\\'''`, aggregated_output: 'it works\n' });
  });

  it('writes with apply_patch as a file_change item (codex-patch)', async ({ h }) => {
    const result = await h.run('codex', [...BYPASS, 'Create hello.txt'], { scenario: scenario(h, 'patch', PATCH) });
    expectLike(result, 'codex-patch');
    expect(events(result).at(-3)?.item).toMatchObject({ changes: [{ path: join(h.work, 'hello.txt'), kind: 'add' }] });
    expect(readFileSync(join(h.work, 'hello.txt'), 'utf8')).toBe('hello\n');
  });

  it('reports a failing command with status failed and its exit code (codex-fail)', async ({ h }) => {
    const result = await h.run('codex', [...BYPASS, 'List it'], { scenario: scenario(h, 'fail', FAIL) });
    expectLike(result, 'codex-fail');
    expect(events(result)[3]?.item).toMatchObject({ exit_code: 2, status: 'failed' });
  });

  it('rejects a command forbidden by a $CODEX_HOME/rules prefix_rule: no item, the recorded ERROR line', async ({ h }) => {
    const rules = join(h.home, '.codex', 'rules');
    mkdirSync(rules, { recursive: true });
    writeFileSync(
      join(rules, 'orchestrate.rules'),
      'prefix_rule(\n  pattern = ["rm"],\n  decision = "forbidden",\n  justification = "rm is blocked by orchestrate policy",\n)\n',
    );
    writeFileSync(join(h.work, 'out.txt'), 'keep\n');
    const result = await h.run('codex', [...BYPASS, 'Remove out.txt'], { scenario: scenario(h, 'deny', DENY) });
    expectLike(result, 'codex-deny');
    expect(existsSync(join(h.work, 'out.txt'))).toBe(true);
    const timestamp = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z/gm;
    expect(result.stderr.replace(timestamp, 'T')).toBe(recordedStderr('codex-deny').replace(timestamp, 'T'));
  });

  it('gives up after API errors with Reconnecting events and turn.failed, exit 1 (codex-err500, codex-err429)', async ({ h }) => {
    const e500 = await h.run('codex', [...BYPASS, 'hi'], { scenario: scenario(h, 'e500', ERR500) });
    expectLike(e500, 'codex-err500');
    expect(parseLines(e500.stdout).slice(2)).toEqual(parseLines(readFileSync(join(STREAMS_DIR, 'codex-err500.jsonl'), 'utf8')).slice(2));
    const e429 = await h.run('codex', [...BYPASS, 'hi'], { scenario: scenario(h, 'e429', ERR429) });
    expectLike(e429, 'codex-err429');
    expect(e429.stderr).toBe(recordedStderr('codex-err429'));
  });

  it('answers with the JSON as agent_message text with --output-schema (codex-schema)', async ({ h }) => {
    const schemaFile = join(h.root, 'schema.json');
    writeFileSync(
      schemaFile,
      '{"type":"object","properties":{"status":{"type":"string"}},"required":["status"],"additionalProperties":false}',
    );
    const result = await h.run('codex', [...BYPASS, '--output-schema', schemaFile, 'Give status'], {
      scenario: scenario(h, 'schema', { steps: [{ shell: 'echo hello > out.txt' }, { structured: { status: 'fake' } }] }),
    });
    expectLike(result, 'codex-schema');
    expect(JSON.parse(String(events(result).at(-2)?.item?.text))).toEqual({ status: 'fake' });
  });

  it('resumes a thread with `exec resume <id> <prompt>` (codex-resume)', async ({ h }) => {
    const first = await h.run('codex', [...BYPASS, 'Create out.txt'], { scenario: scenario(h, 'ok', OK) });
    const threadId = String(events(first)[0]?.thread_id);
    const resumed = await h.run(
      'codex',
      ['exec', 'resume', '--json', '--dangerously-bypass-approvals-and-sandbox', threadId, 'follow up'],
      {
        scenario: scenario(h, 'text', TEXT),
      },
    );
    expectLike(resumed, 'codex-resume');
    expect(events(resumed)[0]?.thread_id).toBe(threadId);
    expect(resumed.stderr).toBe(recordedStderr('codex-resume'));
  });

  it('refuses writes outside the writable roots in the sandbox (no item), allows them with --add-dir', async ({ h }) => {
    const outside = outsideDir(h);
    const target = join(outside, 'codex-sh.txt');
    const shell = scenario(h, 'outsh', { steps: [{ shell: `echo x > ${target}` }, { say: 'All done: the command ran.' }] });
    const exclude = ['-c', 'sandbox_workspace_write.exclude_slash_tmp=true', '-c', 'sandbox_workspace_write.exclude_tmpdir_env_var=true'];
    const sandbox = [...EXEC, '-s', 'workspace-write', '--skip-git-repo-check', ...exclude];
    expectLike(await h.run('codex', [...sandbox, 'Write outside'], { scenario: shell }), 'codex-outside-sandbox');
    expect(existsSync(target)).toBe(false);
    const write = scenario(h, 'outside', {
      steps: [{ write: { path: '../outside/patch.txt', content: 'x\n' } }, { say: 'All done: the command ran.' }],
    });
    expectLike(await h.run('codex', [...sandbox, 'Write outside'], { scenario: write }), 'codex-outside-sandbox');
    expect(existsSync(join(outside, 'patch.txt'))).toBe(false);
    expectLike(await h.run('codex', [...sandbox, '--add-dir', outside, 'Write outside'], { scenario: shell }), 'codex-outside-adddir');
    expect(readFileSync(target, 'utf8')).toBe('x\n');
  });

  it('cannot write in the read-only sandbox (codex-readonly)', async ({ h }) => {
    const result = await h.run('codex', [...EXEC, '-s', 'read-only', '--skip-git-repo-check', 'Create out.txt'], {
      scenario: scenario(h, 'ok', OK),
    });
    expectLike(result, 'codex-readonly');
    expect(existsSync(join(h.work, 'out.txt'))).toBe(false);
  });

  it('refuses --full-auto, exec -a and unknown flags (exit 2), and a non-git dir without --skip-git-repo-check (exit 1)', async ({ h }) => {
    const fullAuto = await h.run('codex', ['exec', '--full-auto', 'hi']);
    expect(fullAuto).toMatchObject({ status: recordedExit('codex-fullauto'), stdout: '', stderr: recordedStderr('codex-fullauto') });
    const approval = await h.run('codex', ['exec', '-a', 'never', 'hi']);
    expect(approval.status).toBe(2);
    expect(approval.stderr).toMatch(/^error: unexpected argument '-a' found\n/);
    expect((await h.run('codex', ['exec', '--bogus', 'hi'])).status).toBe(2);
    const nogit = await h.run('codex', [...EXEC, 'hi']);
    expect(nogit).toMatchObject({ status: recordedExit('codex-nogit'), stdout: '', stderr: recordedStderr('codex-nogit') });
    expect(await h.run('codex', ['--version'])).toMatchObject({ status: 0, stdout: 'codex-cli 0.169.0\n' });
  });

  it('dies by SIGTERM at once, after thread.started and turn.started (codex-sigterm)', async ({ h }) => {
    const run = h.start('codex', [...BYPASS, 'hi'], { scenario: scenario(h, 'hang', HANG) });
    await h.waitForLog('codex', (record) => record.kind === 'ready', run);
    process.kill(run.pid, 'SIGTERM');
    const result = await h.waitExit(run);
    expectLike(result, 'codex-sigterm');
    expect(result.signal).toBe('SIGTERM');
  });
});

describe.concurrent('gemini', () => {
  const HEADLESS = ['-o', 'stream-json', '--yolo', '--skip-trust', '-m', 'gemini-2.5-flash', '-p'];

  it('runs shell and file tools as gemini-ok, gemini-patch and gemini-fail do', async ({ h }) => {
    const ok = await h.run('gemini', [...HEADLESS, 'Create out.txt containing hello'], { scenario: scenario(h, 'ok', OK) });
    expectLike(ok, 'gemini-ok');
    expect(readFileSync(join(h.work, 'out.txt'), 'utf8')).toBe('hello\n');
    expect(ok.stderr).toBe(recordedStderr('gemini-ok'));
    const assistant = events(ok).filter((event) => event.role === 'assistant');
    expect(assistant.length).toBeGreaterThan(1);
    expect(assistant.map((event) => event.content).join('')).toBe('All done: the command ran.');

    expectLike(await h.run('gemini', [...HEADLESS, 'Create hello.txt'], { scenario: scenario(h, 'patch', PATCH) }), 'gemini-patch');
    expect(readFileSync(join(h.work, 'hello.txt'), 'utf8')).toBe('hello\n');

    const fail = await h.run('gemini', [...HEADLESS, 'List it'], { scenario: scenario(h, 'fail', FAIL) });
    expectLike(fail, 'gemini-fail');
    expect(events(fail).find((event) => event.type === 'tool_result')).toMatchObject({
      status: 'success',
      output: "ls: cannot access '/nonexistent-dir-xyz': No such file or directory",
    });
  });

  it('denies a command matched by a --policy rule (gemini-deny) and keeps the file', async ({ h }) => {
    const policy = join(h.root, 'policy.toml');
    writeFileSync(
      policy,
      '[[rule]]\ntoolName = "run_shell_command"\ncommandPrefix = "rm"\ndecision = "deny"\npriority = 900\ndenyMessage = "rm is blocked by orchestrate policy"\n',
    );
    writeFileSync(join(h.work, 'out.txt'), 'keep\n');
    const result = await h.run('gemini', ['--policy', policy, ...HEADLESS, 'Remove out.txt'], { scenario: scenario(h, 'deny', DENY) });
    expectLike(result, 'gemini-deny');
    expect(existsSync(join(h.work, 'out.txt'))).toBe(true);
    expect(events(result).find((event) => event.type === 'tool_result')).toMatchObject({
      status: 'error',
      error: { type: 'policy_violation', message: 'Tool execution denied by policy. rm is blocked by orchestrate policy' },
    });
  });

  it('exits with the status & 255 after API errors (gemini-err500: 244, gemini-err429: 173)', async ({ h }) => {
    const e500 = await h.run('gemini', [...HEADLESS, 'hi'], { scenario: scenario(h, 'e500', ERR500) });
    expectLike(e500, 'gemini-err500');
    expect(e500.stderr).toContain(
      'Attempt 2 failed: {"error":{"code":500,"message":"fake 500 from scripted server","status":"INTERNAL"}}. Max attempts reached',
    );
    expectLike(await h.run('gemini', [...HEADLESS, 'hi'], { scenario: scenario(h, 'e429', ERR429) }), 'gemini-err429');
  });

  it('refuses a write outside the workspace, allows it with --include-directories', async ({ h }) => {
    const outside = outsideDir(h);
    const write = scenario(h, 'outside', {
      steps: [{ write: { path: join(outside, 'gemini.txt'), content: 'outside\n' } }, { say: 'All done: the command ran.' }],
    });
    const denied = await h.run('gemini', [...HEADLESS, 'Write outside'], { scenario: write });
    expectLike(denied, 'gemini-outside');
    expect(existsSync(join(outside, 'gemini.txt'))).toBe(false);
    expect(String(events(denied).find((event) => event.type === 'tool_result')?.output)).toBe(
      `Path not in workspace: Attempted path "${join(outside, 'gemini.txt')}" resolves outside the allowed workspace directories: ${h.work} or the project temp directory: ${join(h.home, '.gemini', 'tmp', 'work')}`,
    );
    const allowed = await h.run('gemini', ['--include-directories', outside, ...HEADLESS, 'Write outside'], { scenario: write });
    expectLike(allowed, 'gemini-outside-incdir');
    expect(readFileSync(join(outside, 'gemini.txt'), 'utf8')).toBe('outside\n');
  });

  it('offers no write or shell tools without --yolo (gemini-noyolo)', async ({ h }) => {
    const args = ['-o', 'stream-json', '--skip-trust', '-m', 'gemini-2.5-flash', '-p', 'Create out.txt containing hello'];
    expectLike(await h.run('gemini', args, { scenario: scenario(h, 'ok', OK) }), 'gemini-noyolo');
    expect(existsSync(join(h.work, 'out.txt'))).toBe(false);
  });

  it('resumes a session with --resume <id> and with --resume latest (gemini-resume)', async ({ h }) => {
    const first = await h.run('gemini', [...HEADLESS, 'Create out.txt'], { scenario: scenario(h, 'ok', OK) });
    const id = String(events(first)[0]?.session_id);
    for (const value of [id, 'latest']) {
      const resumed = await h.run('gemini', ['--resume', value, ...HEADLESS, 'follow up'], { scenario: scenario(h, 'text', TEXT) });
      expectLike(resumed, 'gemini-resume');
      expect(events(resumed)[0]?.session_id).toBe(id);
    }
  });

  it('exits 55 with the recorded stderr in an untrusted folder (gemini-untrusted)', async ({ h }) => {
    const result = await h.run('gemini', ['-o', 'stream-json', '--yolo', '-p', 'hi']);
    expect(result).toMatchObject({ status: recordedExit('gemini-untrusted'), stdout: '', stderr: recordedStderr('gemini-untrusted') });
    const trustedByEnv = await h.run('gemini', ['-o', 'stream-json', '--yolo', '-p', 'hi'], {
      env: { GEMINI_CLI_TRUST_WORKSPACE: 'true' },
      scenario: scenario(h, 'text', TEXT),
    });
    expect(trustedByEnv.status).toBe(0);
    expect(await h.run('gemini', ['--version'])).toMatchObject({ status: 0, stdout: '0.61.0\n' });
  });

  it('ignores SIGTERM to its pid (relaunch parent) but exits 0 without a result on a group SIGTERM', async ({ h }) => {
    const run = h.start('gemini', [...HEADLESS, 'hi'], { scenario: scenario(h, 'hang', HANG) });
    const ready = await h.waitForLog('gemini', (record) => record.kind === 'ready', run);
    expect(ready.pid).not.toBe(run.pid); // the work happens in the relaunched child
    process.kill(run.pid, 'SIGTERM');
    await h.waitForLog('gemini', (record) => record.kind === 'signal' && record.action === 'ignored' && record.pid === run.pid, run);
    expect(isAlive(run.pid)).toBe(true);
    killGroup(run.pid, 'SIGTERM');
    const result = await h.waitExit(run);
    expectLike(result, 'gemini-sigterm-group');
    expect(result.code).toBe(0);
  });

  it('exits 0 on SIGTERM to its pid with GEMINI_CLI_NO_RELAUNCH=true (gemini-sigterm-norelaunch)', async ({ h }) => {
    const run = h.start('gemini', [...HEADLESS, 'hi'], { scenario: scenario(h, 'hang', HANG), env: { GEMINI_CLI_NO_RELAUNCH: 'true' } });
    const ready = await h.waitForLog('gemini', (record) => record.kind === 'ready', run);
    expect(ready.pid).toBe(run.pid);
    process.kill(run.pid, 'SIGTERM');
    expectLike(await h.waitExit(run), 'gemini-sigterm-norelaunch');
  });
});

describe.concurrent('scenarios', () => {
  it('plays runs[N] on the Nth invocation, repeating the last (revise loop)', async ({ h }) => {
    const schemaFile = join(h.root, 'schema.json');
    writeFileSync(schemaFile, '{"type":"object"}');
    const args = ['exec', '--json', '--skip-git-repo-check', '--output-schema', schemaFile, 'Review it'];
    const verdicts: string[] = [];
    for (let i = 0; i < 3; i++) {
      const result = await h.run('codex', args, { scenario: 'review-request-changes-then-approve' });
      const text = String(events(result).find((event) => event.item?.type === 'agent_message')?.item?.text);
      verdicts.push((JSON.parse(text) as { verdict: string }).verdict);
    }
    expect(verdicts).toEqual(['request_changes', 'approve', 'approve']);
  });

  it('a SIGKILL of the group ends a fake that ignores SIGTERM, grandchild included', async ({ h }) => {
    const run = h.start('claude', ['-p', '--output-format', 'stream-json', '--verbose', 'hi'], { scenario: 'hang-ignore-sigterm' });
    const ready = await h.waitForLog('claude', (record) => record.kind === 'ready', run);
    const grandchild = Number(ready.grandchildPid);
    expect(isAlive(grandchild)).toBe(true);
    killGroup(run.pid, 'SIGTERM');
    await h.waitForLog('claude', (record) => record.kind === 'signal' && record.action === 'ignored', run);
    expect(isAlive(run.pid)).toBe(true);
    killGroup(run.pid, 'SIGKILL');
    expect((await h.waitExit(run)).signal).toBe('SIGKILL');
    await until(() => !isAlive(grandchild), { what: 'the grandchild to die' });
  });

  it('crashes, reports a false success, or ends without a final event', async ({ h }) => {
    const flags = ['-o', 'stream-json', '--yolo', '--skip-trust', '-p', 'hi'];
    const crash = await h.run('gemini', flags, { scenario: 'crash' });
    expect(crash.status).toBe(1);
    expect(crash.stderr).toContain('Fatal error: simulated crash (fake agent)');
    expect(events(crash).some((event) => event.type === 'result')).toBe(false);
    const falseSuccess = await h.run('gemini', flags, { scenario: 'false-success' });
    expect(falseSuccess.status).toBe(0);
    expect(events(falseSuccess).at(-1)).toMatchObject({ type: 'result', status: 'error' });
    const noFinal = await h.run('codex', ['exec', '--json', '--skip-git-repo-check', 'hi'], { scenario: 'no-final-event' });
    expect(noFinal.status).toBe(0);
    expect(events(noFinal).some((event) => event.type === 'turn.completed')).toBe(false);
  });

  it('really runs block-command against a scratch HOME, and a PreToolUse hook stops it', async ({ h }) => {
    const hook = join(h.root, 'deny-rm.sh');
    writeFileSync(hook, '#!/bin/bash\ngrep -q \'"command":"rm \' && { echo "rm is blocked" >&2; exit 2; }\nexit 0\n');
    chmodSync(hook, 0o755);
    const settings = JSON.stringify({ hooks: { PreToolUse: [{ matcher: 'Bash', hooks: [{ type: 'command', command: hook }] }] } });
    const args = ['-p', '--output-format', 'stream-json', '--verbose', '--dangerously-skip-permissions'];
    const env = { IS_SANDBOX: '1' };
    const blocked = await h.run('claude', [...args, '--settings', settings, 'clean up'], { scenario: 'block-command', env });
    expect(blocked.status).toBe(0);
    expect(existsSync(h.home)).toBe(true);
    expect(h.logRecords('claude').some((record) => record.kind === 'ran')).toBe(false);
    const unguarded = await h.run('claude', [...args, 'clean up'], { scenario: 'block-command', env });
    expect(unguarded.status).toBe(0);
    expect(existsSync(h.home)).toBe(false);
  });

  it('records argv, cwd, pid and pgid of each invocation', async ({ h }) => {
    const result = await h.run('codex', ['exec', '--json', '--skip-git-repo-check', 'hello there'], { scenario: 'success' });
    expect(result.status).toBe(0);
    const [argv] = h.logRecords('codex');
    expect(argv).toMatchObject({
      kind: 'argv',
      argv: ['exec', '--json', '--skip-git-repo-check', 'hello there'],
      cwd: h.work,
      scenario: 'success',
    });
    expect(argv?.pgid).toBe(argv?.pid); // detached: the fake leads its own group
  });
});

describe.concurrent('default job (no scenario)', () => {
  const prompt = (role: string) => `Your role: ${role}\nTask: Add a --json flag to the report command\n`;

  it('designs, implements, validates and reviews the sample project', async ({ h }) => {
    const target = join(h.root, 'sample');
    cpSync(SAMPLE_PROJECT_DIR, target, { recursive: true });

    const design = await h.run(
      'claude',
      ['-p', '--output-format', 'stream-json', '--verbose', '--permission-mode', 'acceptEdits', prompt('design')],
      { cwd: target },
    );
    expect(design.status).toBe(0);
    expect(readFileSync(join(target, 'docs', 'design.md'), 'utf8')).toContain('Task: Add a --json flag to the report command');
    expect(String(events(design).at(-1)?.result)).toMatch(/^DONE: /m);

    const implementation = await h.run(
      'codex',
      ['exec', '--json', '--skip-git-repo-check', '-s', 'workspace-write', prompt('implementation')],
      { cwd: target },
    );
    expect(implementation.status).toBe(0);
    const report = spawnSync(process.execPath, ['bin/report.js', '--json'], { cwd: target, encoding: 'utf8' });
    expect(JSON.parse(report.stdout)).toMatchObject({ totalUnits: 31 });

    const validation = await h.run('gemini', ['-o', 'stream-json', '--yolo', '--skip-trust', '-p', prompt('validation')], { cwd: target });
    expect(validation.status).toBe(0);
    expect(String(events(validation).find((event) => event.type === 'tool_result')?.output)).toMatch(/# pass 2\n# fail 0/);

    const review = await h.run('gemini', ['-o', 'stream-json', '--yolo', '--skip-trust', '-p', prompt('review')], { cwd: target });
    const text = events(review)
      .filter((event) => event.role === 'assistant')
      .map((event) => event.content)
      .join('');
    expect(JSON.parse(text)).toMatchObject({ verdict: 'approve', issues: [] });
  });
});
