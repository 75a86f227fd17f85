import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AS_NOBODY, CANNOT_RUN_AS_NOBODY } from '../helpers/run-as-nobody.js';
import { ORCHESTRATE_BIN, OrchestrateHarness, SANDBOX_USABLE } from '../helpers/orchestrate-harness.js';

// `orchestrate doctor` through the CLI, in deliberately broken setups: each time the right
// problem, its fix, and the exit code a session would have stopped with.
let h: OrchestrateHarness;
afterEach(async () => h?.cleanup());

const KEYS = { ANTHROPIC_API_KEY: 'sk-ant-doctor-test', OPENAI_API_KEY: 'sk-doctor-test', GEMINI_API_KEY: 'doctor-test' };

interface Check {
  id: string;
  status: 'ok' | 'warn' | 'fail';
  summary: string;
  fix?: string;
  exitCode?: number;
}

async function doctor(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; report: { ok: boolean; exitCode: number; checks: Check[] }; check: (id: string) => Check }> {
  const exit = await h.cli(['doctor', '--target', h.target, '--config', h.configFile, '--json', ...args], env);
  const report = JSON.parse(exit.stdout) as { ok: boolean; exitCode: number; checks: Check[] };
  const check = (id: string): Check => {
    const found = report.checks.find((c) => c.id === id);
    if (!found) throw new Error(`no check ${id} in ${exit.stdout}`);
    return found;
  };
  return { code: exit.code, report, check };
}

/** A PATH holding only node and the simulated CLIs: no bubblewrap. */
function pathWithoutBwrap(): string {
  const dir = path.join(h.root, 'bin-no-bwrap');
  mkdirSync(dir);
  symlinkSync(process.execPath, path.join(dir, 'node'));
  for (const cli of ['claude', 'codex', 'gemini']) symlinkSync(path.join(h.binDir, cli), path.join(dir, cli));
  return dir;
}

describe('orchestrate doctor', () => {
  it('a healthy setup: every CLI found at a tested version and logged in, exit 0', async () => {
    h = new OrchestrateHarness();
    const { code, report, check } = await doctor(SANDBOX_USABLE ? [] : ['--no-sandbox'], KEYS);
    expect(code).toBe(0);
    expect(report.ok).toBe(true);
    for (const agent of ['claude', 'codex', 'gemini']) {
      expect(check(`${agent}.found`).status).toBe('ok');
      expect(check(`${agent}.version`).status).toBe('ok');
      expect(check(`${agent}.login`)).toMatchObject({ status: 'ok' });
    }
    expect(check('workspace.writable').status).toBe('ok');
    expect(check('config.valid').summary).toContain(`${h.configFile} is valid`);
    if (SANDBOX_USABLE) {
      expect(check('sandbox.bwrap').status).toBe('ok');
      expect(check('sandbox.network').summary).toContain('refuses hosts that are not allowed');
      for (const agent of ['claude', 'codex', 'gemini'])
        expect(check(`${agent}.sandbox`).summary).toBe('starts inside the sandbox as a session launches it');
      // the self-test's private copies of the agents' state (their logins) are not kept
      expect(
        readdirSync(path.join(h.home, '.local', 'state', 'orchestrate', 'agent-state')).filter((d) => d.startsWith('orchestrate-doctor-')),
      ).toEqual([]);
    }
    // key values are never printed
    expect(JSON.stringify(report)).not.toContain('sk-ant-doctor-test');
  });

  it('a CLI missing from PATH: a warning with the install command; none at all: exit 4', async () => {
    h = new OrchestrateHarness({ agents: ['claude', 'gemini'] });
    const one = await doctor(['--no-sandbox'], KEYS);
    expect(one.code).toBe(0);
    expect(one.check('codex.found')).toMatchObject({ status: 'warn', fix: expect.stringContaining('npm i -g @openai/codex@0.169.0') });
    expect(one.check('codex.found').summary).toContain('codex: not found on PATH');
    expect(one.check('claude.found').status).toBe('ok');
    const none = await doctor(['--no-sandbox', '--agents', 'codex'], KEYS);
    expect(none.code).toBe(4);
    expect(none.check('agents.available')).toMatchObject({ status: 'fail', exitCode: 4 });
  });

  it('an old version (a CLI printing an old --version): the tested version and how to get it', async () => {
    h = new OrchestrateHarness();
    const { code, check } = await doctor(['--no-sandbox'], { ...KEYS, FAKE_CLAUDE_VERSION: '2.0.14', FAKE_CODEX_VERSION: '0.999.0' });
    expect(code).toBe(0);
    expect(check('claude.version')).toMatchObject({ status: 'warn', fix: 'update it: npm i -g @anthropic-ai/claude-code@2.1.330' });
    expect(check('claude.version').summary).toContain('version 2.0.14 is older than the tested 2.1.330 to 2.1.332');
    expect(check('codex.version').summary).toContain('version 0.999.0 is newer than the tested 0.169.0 to 0.171.0');
    expect(check('gemini.version').status).toBe('ok');
  });

  it('not logged in: a warning per CLI with its login command; a stored login counts; the simulated agents need none', async () => {
    h = new OrchestrateHarness();
    const simulated = await doctor(['--no-sandbox']);
    expect(simulated.check('claude.login')).toMatchObject({
      status: 'ok',
      summary: 'the simulated agent (fixtures/agents) needs no login',
    });
    // CLIs that are not the simulated ones: scripts answering --version like the real ones
    const bin = path.join(h.root, 'cli-bin');
    mkdirSync(bin);
    const answers = { claude: '2.1.330 (Claude Code)', codex: 'codex-cli 0.169.0', gemini: '0.61.0' };
    for (const [cli, line] of Object.entries(answers)) writeFileSync(path.join(bin, cli), `#!/bin/sh\necho "${line}"\n`, { mode: 0o755 });
    mkdirSync(path.join(h.home, '.codex'), { recursive: true });
    writeFileSync(
      path.join(h.home, '.codex', 'auth.json'),
      JSON.stringify({ OPENAI_API_KEY: null, tokens: { refresh_token: 'r', access_token: 'a' } }),
    );
    const { check } = await doctor(['--no-sandbox'], { PATH: `${bin}:${h.env().PATH}` });
    expect(check('claude.found').summary).toBe(`found: ${path.join(bin, 'claude')}`);
    expect(check('claude.login')).toMatchObject({ status: 'warn', fix: expect.stringContaining('ANTHROPIC_API_KEY') });
    expect(check('gemini.login')).toMatchObject({ status: 'warn', fix: expect.stringContaining('GEMINI_API_KEY') });
    expect(check('codex.login')).toMatchObject({
      status: 'ok',
      summary: `appears logged in: a stored ChatGPT login in ${path.join(h.home, '.codex', 'auth.json')}`,
    });
  });

  it('a CLI that does not answer --version within probeTimeout: a warning whose fix names probeTimeout', async () => {
    h = new OrchestrateHarness({ agents: [] });
    // never answers within the 1 s bound (it sleeps 30 s first); the probe kills it
    writeFileSync(path.join(h.binDir, 'claude'), '#!/bin/sh\nsleep 30\necho "2.1.330 (Claude Code)"\n', { mode: 0o755 });
    writeFileSync(h.configFile, JSON.stringify({ probeTimeout: '1s' }));
    const { code, check } = await doctor(['--no-sandbox', '--agents', 'claude'], KEYS);
    expect(check('claude.answers')).toMatchObject({ status: 'warn', summary: expect.stringContaining('no answer within 1000 ms') });
    expect(check('claude.answers').fix).toContain('raise probeTimeout in the config');
    expect(code).toBe(4);
  });

  it('bubblewrap missing (not on PATH): the install command, exit 6; with --no-sandbox only a warning', async () => {
    h = new OrchestrateHarness();
    const PATH = pathWithoutBwrap();
    const missing = await doctor([], { ...KEYS, PATH });
    expect(missing.code).toBe(6);
    expect(missing.check('sandbox.bwrap')).toMatchObject({
      status: 'fail',
      exitCode: 6,
      summary: expect.stringContaining('bubblewrap (bwrap) is not installed'),
    });
    expect(missing.check('sandbox.bwrap').fix).toContain('apt-get install bubblewrap');
    const off = await doctor(['--no-sandbox'], { ...KEYS, PATH });
    expect(off.code).toBe(0);
    expect(off.check('sandbox.bwrap').status).toBe('warn');
  });

  it.skipIf(!SANDBOX_USABLE)(
    'a CLI that cannot start inside the sandbox (installed under a hidden ~/.ssh): the check and fix, exit 6',
    async () => {
      h = new OrchestrateHarness({ agents: ['codex', 'gemini'] });
      const hidden = path.join(h.home, '.ssh', 'bin');
      mkdirSync(hidden, { recursive: true });
      // a CLI that answers --version outside the sandbox; inside, ~/.ssh is hidden
      writeFileSync(path.join(hidden, 'claude'), '#!/bin/sh\necho "2.1.330 (Claude Code)"\n', { mode: 0o755 });
      writeFileSync(h.configFile, JSON.stringify({ agents: { claude: { executable: path.join(hidden, 'claude') } } }));
      const { code, check } = await doctor([], KEYS);
      expect(check('claude.version').status).toBe('ok');
      expect(check('claude.sandbox')).toMatchObject({ status: 'fail', exitCode: 6, fix: expect.stringContaining('sandbox.allowRead') });
      expect(check('claude.sandbox').summary).toContain('claude starts in the sandbox');
      expect(check('codex.sandbox').status).toBe('ok');
      expect(code).toBe(6);
    },
  );

  it('an invalid config: the field, exit 3', async () => {
    h = new OrchestrateHarness({ config: { limits: { memory: 'lots' } } });
    const { code, check } = await doctor(['--no-sandbox'], KEYS);
    expect(code).toBe(3);
    expect(check('config.valid')).toMatchObject({ status: 'fail', exitCode: 3, summary: expect.stringContaining('limits.memory') });
  });

  it.skipIf(CANNOT_RUN_AS_NOBODY !== undefined)('an unwritable workspace: named, with the fix, exit 2 (as a session would)', () => {
    h = new OrchestrateHarness();
    for (const dir of [h.root, path.dirname(h.configFile)]) chmodSync(dir, 0o755);
    chmodSync(h.configFile, 0o644);
    // the target and HOME writable by "nobody", the workspace (owned by root) not
    for (const dir of [h.target, h.home]) chmodSync(dir, 0o777);
    const workspace = path.join(h.root, 'ws');
    mkdirSync(workspace, { mode: 0o755 });
    const run = spawnSync(
      AS_NOBODY[0]!,
      [
        ...AS_NOBODY.slice(1),
        process.execPath,
        ORCHESTRATE_BIN,
        'doctor',
        '--json',
        '--no-sandbox',
        '--target',
        h.target,
        '--config',
        h.configFile,
        '--workspace',
        workspace,
      ],
      {
        env: h.env(KEYS),
        encoding: 'utf8',
      },
    );
    expect(run.status, run.stderr).toBe(2);
    const checks = (JSON.parse(run.stdout) as { checks: Check[] }).checks;
    expect(checks.find((c) => c.id === 'workspace.writable')).toMatchObject({
      status: 'fail',
      exitCode: 2,
      summary: `--workspace: cannot write ${workspace}: permission denied`,
      fix: 'sessions are written there: choose a --workspace this user may write',
    });
  });

  it("a session's start runs the quick part: an untested version is a warning with its fix, the session goes on", async () => {
    h = new OrchestrateHarness({ agents: ['claude'] });
    const exit = await h.run(['--agents', 'claude', '--no-review', 'Add a --json flag to the report command'], {
      FAKE_CLAUDE_VERSION: '2.0.14',
    });
    expect(exit.code, exit.stderr).toBe(0);
    expect(exit.stderr).toContain('orchestrate: warning: claude: version 2.0.14 is older than the tested 2.1.330 to 2.1.332');
    expect(exit.stderr).toContain('fix: update it: npm i -g @anthropic-ai/claude-code@2.1.330');
    // the simulated agent needs no login: no login warning
    expect(exit.stderr).not.toContain('logged in');
  });

  it('prints a readable report: each problem with its fix', async () => {
    h = new OrchestrateHarness({ agents: ['claude'] });
    const exit = await h.cli(['doctor', '--target', h.target, '--config', h.configFile, '--no-sandbox'], { ANTHROPIC_API_KEY: 'x' });
    expect(exit.code).toBe(0);
    expect(exit.stdout).toMatch(/codex\n\s+warn\s+codex: not found on PATH.*\n\s+fix: install it: npm i -g @openai\/codex@0\.169\.0/);
    expect(exit.stdout).toContain('a session can start');
  });
});
