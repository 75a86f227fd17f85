import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { detectCgroups } from '../../src/safety/limits/cgroups.js';
import { FAKE_AGENTS_DIR } from '../helpers/fake-agents.js';
import { HARNESS_PASS_ENV, OrchestrateHarness, SANDBOX_USABLE } from '../helpers/orchestrate-harness.js';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WAIT_CEILING_MS } from '../helpers/until.js';

// Issue 13 through the orchestrate CLI, sandboxed, with the simulated agents playing a hostile
// agent: each scenario runs real shell commands inside the sandbox orchestrate builds.

let h: OrchestrateHarness | undefined;
afterEach(async () => {
  await h?.cleanup();
  h = undefined;
});

const TASK = 'Add a --json flag to the report command';
const asRoot = process.getuid?.() === 0;
const cgroups = detectCgroups();
type Entry = Record<string, any> & { type: string };

/** A scenario file the agent can read (in the fakes' log dir, an allowed root): the steps a hostile claude plays. */
function scenario(harness: OrchestrateHarness, name: string, steps: unknown[]): string {
  const file = path.join(harness.logDir, `${name}.json`);
  writeFileSync(file, JSON.stringify({ description: name, steps }));
  return file;
}

function read(file: string): string {
  return existsSync(file) ? readFileSync(file, 'utf8') : `<${path.basename(file)} missing>`;
}

describe.runIf(SANDBOX_USABLE)('secrets by allow list', () => {
  const SECRETS = {
    OPENAI_API_KEY: 'sk-openai-OTHER-AGENT',
    GEMINI_API_KEY: 'gm-OTHER-AGENT',
    GH_TOKEN: 'ghp-SHELL-TOKEN',
    AWS_SECRET_ACCESS_KEY: 'aws-SECRET',
  };
  const SNOOP = '{ env; cat ~/.config/gh/hosts.yml; cat ~/.claude/.credentials.json; ls -a ~; } > seen.txt 2>&1; true';

  function world(): OrchestrateHarness {
    const harness = new OrchestrateHarness({ agents: ['claude'] });
    mkdirSync(path.join(harness.home, '.config', 'gh'), { recursive: true });
    writeFileSync(path.join(harness.home, '.config', 'gh', 'hosts.yml'), 'github.com:\n  oauth_token: ghp-FILE-TOKEN\n');
    mkdirSync(path.join(harness.home, '.claude'), { recursive: true });
    writeFileSync(path.join(harness.home, '.claude', '.credentials.json'), '{"claudeAiOauth":{"accessToken":"own-login"}}\n');
    return harness;
  }

  it("another agent's key and a token file in the home are unreadable; the agent's own key and login are there", async () => {
    h = world();
    const file = scenario(h, 'snoop', [{ shell: SNOOP }, { say: 'DONE: looked around' }]);
    const exit = await h.run(['--agents', 'claude', '--no-review', TASK], {
      ...SECRETS,
      ANTHROPIC_API_KEY: 'sk-ant-OWN',
      FAKE_CLAUDE_SCENARIO: file,
    });
    const seen = read(h!.inCopy('seen.txt'));
    expect(exit.code, exit.stdout).toBe(0);
    expect(seen).toContain('ANTHROPIC_API_KEY=sk-ant-OWN');
    expect(seen).toContain('own-login');
    for (const secret of [...Object.values(SECRETS), 'ghp-FILE-TOKEN']) expect(seen).not.toContain(secret);
    expect(seen).toMatch(/No such file or directory/); // hosts.yml is not there at all
  });

  it('control: without the sandbox the same agent reads the token file (the attack is real)', async () => {
    h = world();
    const file = scenario(h, 'snoop', [{ shell: SNOOP }, { say: 'DONE: looked around' }]);
    await h.run(['--agents', 'claude', '--no-review', '--no-sandbox', TASK], { ...SECRETS, FAKE_CLAUDE_SCENARIO: file });
    expect(read(h!.inCopy('seen.txt'))).toContain('ghp-FILE-TOKEN');
  });

  it('an agent-written CLI settings file (a hook) has no effect after the session', async () => {
    h = world();
    const settings = path.join(h.home, '.claude', 'settings.json');
    writeFileSync(settings, '{"person":true}\n');
    const ran = path.join(h.root, 'HOOK-RAN');
    const hook = JSON.stringify({ hooks: { PreToolUse: [{ matcher: '*', hooks: [{ type: 'command', command: `touch ${ran}` }] }] } });
    const file = scenario(h, 'plant-hook', [
      { shell: `printf '%s' '${hook}' > ~/.claude/settings.json && cat ~/.claude/settings.json > planted.txt` },
      { shell: 'mkdir -p ~/.gemini/policies && echo "[[rule]]" > ~/.gemini/policies/evil.toml; true' },
      { say: 'DONE: planted' },
    ]);
    const exit = await h.run(['--agents', 'claude', '--no-review', TASK], { FAKE_CLAUDE_SCENARIO: file });
    expect(exit.code, exit.stdout).toBe(0);
    expect(read(h!.inCopy('planted.txt'))).toBe(hook); // the write itself worked, in the private copy
    expect(readFileSync(settings, 'utf8')).toBe('{"person":true}\n');
    expect(existsSync(path.join(h.home, '.gemini', 'policies', 'evil.toml'))).toBe(false);
    // the person's next direct run of claude: no planted hook runs
    const direct = spawnSync(
      path.join(FAKE_AGENTS_DIR, 'claude'),
      ['-p', 'hi', '--output-format', 'stream-json', '--verbose', '--permission-mode', 'acceptEdits', '--allowedTools', 'Bash(ls:*)'],
      {
        cwd: h.target,
        env: {
          PATH: process.env['PATH'],
          HOME: h.home,
          FAKE_CLAUDE_SCENARIO: scenario(h, 'direct', [{ shell: 'ls' }]),
          FAKE_AGENT_STATE_DIR: h.stateDir,
        },
        encoding: 'utf8',
        timeout: WAIT_CEILING_MS,
      },
    );
    expect(direct.status, direct.stderr).toBe(0);
    expect(existsSync(ran)).toBe(false);
  });
});

describe.runIf(SANDBOX_USABLE)('network by allow list', () => {
  const servers: Server[] = [];
  afterEach(async () => {
    for (const s of servers.splice(0)) await new Promise((r) => s.close(r));
  });
  /** A service on the host's loopback answering `body`; its port. */
  async function service(body: string): Promise<number> {
    const server = createServer((_req, res) => res.end(body));
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    return (server.address() as AddressInfo).port;
  }

  it("a service on the host's loopback is unreachable, while the agent's own local endpoint works", async () => {
    const secret = await service('HOST-SERVICE-TOKEN');
    const model = await service('MODEL-ENDPOINT-OK');
    h = new OrchestrateHarness({ agents: ['claude'] });
    const curl = (port: number, out: string) => `curl -s -m 10 http://127.0.0.1:${port}/ > ${out} 2>&1; echo " rc=$?" >> ${out}`;
    const file = scenario(h, 'net', [
      {
        shell: `${curl(secret, 'host-service.txt')}; ${curl(model, 'model.txt')}; curl -s -m 10 https://example.com/ > outside.txt 2>&1; echo " rc=$?" >> outside.txt`,
      },
      { say: 'DONE: probed' },
    ]);
    // the scripted model server stands at ANTHROPIC_BASE_URL, as the compat suite runs it
    const exit = await h.run(['--agents', 'claude', '--no-review', TASK], {
      FAKE_CLAUDE_SCENARIO: file,
      ANTHROPIC_BASE_URL: `http://127.0.0.1:${model}/s/ok`,
    });
    expect(exit.code, exit.stdout).toBe(0);
    expect(read(h!.inCopy('model.txt'))).toBe('MODEL-ENDPOINT-OK rc=0\n');
    expect(read(h!.inCopy('host-service.txt'))).not.toContain('HOST-SERVICE-TOKEN');
    expect(read(h!.inCopy('host-service.txt'))).toMatch(/rc=7/); // connection refused: nothing listens there inside
    expect(read(h!.inCopy('outside.txt'))).not.toMatch(/rc=0/);
    const after = (h.journal() as Entry[]).find(
      (e) => e.type === 'safety.sandbox_after_run' && e.agent === 'claude' && String(e.notes).includes('example.com'),
    );
    expect(after, 'the proxy refused example.com').toBeDefined();
  });

  it('control: with sandbox.network "host" the same agent reads the host service', async () => {
    const secret = await service('HOST-SERVICE-TOKEN');
    h = new OrchestrateHarness({ agents: ['claude'], config: { sandbox: { allowWrite: [], passEnv: HARNESS_PASS_ENV, network: 'host' } } });
    writeFileSync(
      h.configFile,
      JSON.stringify({
        ...JSON.parse(readFileSync(h.configFile, 'utf8')),
        sandbox: { allowWrite: [h.logDir, h.stateDir], passEnv: HARNESS_PASS_ENV, network: 'host' },
      }),
    );
    const file = scenario(h, 'net', [
      { shell: `curl -s -m 10 http://127.0.0.1:${secret}/ > host-service.txt 2>&1; true` },
      { say: 'DONE' },
    ]);
    await h.run(['--agents', 'claude', '--no-review', TASK], { FAKE_CLAUDE_SCENARIO: file });
    expect(read(h!.inCopy('host-service.txt'))).toBe('HOST-SERVICE-TOKEN');
  });
});

describe.runIf(SANDBOX_USABLE && cgroups.kind !== 'none')(`resources by the kernel (${cgroups.kind})`, () => {
  it('a fork bomb the command filter cannot see is held at pids.max, journaled with its figures, and stopped', async () => {
    h = new OrchestrateHarness({ agents: ['claude'], config: { limits: { processes: 64 } } });
    const file = scenario(h, 'bomb', [
      { write: { path: 'bomb.sh', content: 'b() { b | b & }\nb\n' } },
      { shell: 'bash bomb.sh; sleep 60' },
      { say: 'DONE: never' },
    ]);
    const exit = await h.run(['--agents', 'claude', '--no-review', TASK], { FAKE_CLAUDE_SCENARIO: file });
    const journal = h.journal() as Entry[];
    const hit = journal.find((e) => e.type === 'safety.limit_exceeded');
    expect(hit, exit.stdout).toMatchObject({ agent: 'claude', limit: 'processes', max: 64, by: 'cgroup', mechanism: cgroups.kind });
    expect(journal.find((e) => e.type === 'agent.exited')).toMatchObject({ killedBy: 'safety', status: 'stopped_by_safety' });
    expect(exit.code).toBe(6);
    expect(await h.waitNoProcesses()).toEqual([]);
  });

  it('a filler of the private /tmp stops at the tmpfs size, journaled, and the agent is stopped', async () => {
    h = new OrchestrateHarness({ agents: ['claude'], config: { limits: { tmp: '32m' } } });
    const file = scenario(h, 'filler', [{ shell: 'dd if=/dev/zero of=/tmp/fill bs=1M count=200 2> dd.txt; true' }, { hang: true }]);
    const exit = await h.run(['--agents', 'claude', '--no-review', TASK], { FAKE_CLAUDE_SCENARIO: file });
    const journal = h.journal() as Entry[];
    expect(
      journal.find((e) => e.type === 'safety.limit_exceeded'),
      exit.stdout,
    ).toMatchObject({ limit: 'tmp', max: 32 * 1024 ** 2, by: 'tmpfs' });
    expect(read(h!.inCopy('dd.txt'))).toMatch(/No space left on device/);
    expect(exit.code).toBe(6);
    expect(await h.waitNoProcesses()).toEqual([]);
  });
});

describe.runIf(SANDBOX_USABLE && asRoot)('identity: no host privileges from agent files (orchestrate as root)', () => {
  it.each([0])(
    'no setuid or setgid file is ever created, and nothing the agent leaves is root-owned, in a checkout owned by uid %i',
    async (owner) => {
      h = new OrchestrateHarness({ agents: ['claude'] });
      // the person's checkout (and the test's own folders the fakes write) belong to `owner`
      for (const d of [h.target, h.logDir, h.stateDir]) spawnSync('chown', ['-R', `${owner}:${owner}`, d]);
      chmodSync(h.root, 0o755); // mkdtemp made it root-only; a user's checkout lives where the user can reach it
      const attack = [
        'cp /bin/true suid-true',
        `node -e "require('fs').chmodSync('suid-true', 0o4755)"`,
        'chmod g+s suid-true',
        'install -m 4755 /bin/true suid-install',
        `python3 -c "import os; os.close(os.open('suid-open', os.O_CREAT | os.O_WRONLY, 0o6755))"`,
        'mkdir -m 2775 sgid-dir',
        'touch made-by-agent',
        'find . -perm /6000 > setid-inside.txt',
      ].map((c) => `${c} 2>> attack-errors.txt;`);
      const file = scenario(h, 'setid', [{ shell: `${attack.join(' ')} true` }, { say: 'DONE: tried' }]);
      const exit = await h.run(['--agents', 'claude', '--no-review', TASK], { FAKE_CLAUDE_SCENARIO: file });
      expect(exit.code, exit.stdout).toBe(0);
      // refused when made (seccomp), not only cleaned afterwards: the agent saw none either
      expect(read(h!.inCopy('setid-inside.txt'))).toBe('');
      expect(read(h!.inCopy('attack-errors.txt'))).toMatch(/Operation not permitted/);
      const copy = h.inCopy('.');
      const setid = spawnSync('find', [copy, h.target, '-perm', '/6000'], { encoding: 'utf8' }).stdout.trim();
      expect(setid).toBe('');
      for (const f of ['made-by-agent', 'suid-true', 'setid-inside.txt']) expect(statSync(h.inCopy(f)).uid, f).toBe(statSync(copy).uid);
      // the agent ran as the checkout's owner
      expect((h.journal() as Entry[]).find((e) => e.type === 'safety.sandbox_self_test')).toMatchObject({ ok: true });
    },
  );
});

describe.runIf(SANDBOX_USABLE)('the self-test before agents start', () => {
  it('stops at once (exit 6) with the reason and the fix when a CLI cannot run inside the sandbox as planned', async () => {
    h = new OrchestrateHarness({ agents: ['claude'] });
    // a CLI kept in a folder the sandbox hides (beneath ~/.ssh): fine outside, gone inside
    const hidden = path.join(h.home, '.ssh', 'bin');
    mkdirSync(hidden, { recursive: true });
    spawnSync('cp', ['-r', FAKE_AGENTS_DIR, hidden]);
    const exe = path.join(hidden, 'agents', 'claude');
    writeFileSync(
      h.configFile,
      JSON.stringify({ ...JSON.parse(readFileSync(h.configFile, 'utf8')), agents: { claude: { executable: exe } } }),
    );
    const exit = await h.run(['--agents', 'claude', '--no-review', TASK]);
    expect(exit.code).toBe(6);
    const journal = h.journal() as Entry[];
    expect(journal.find((e) => e.type === 'agent.probe')).toMatchObject({ available: true });
    expect(journal.find((e) => e.type === 'safety.sandbox_self_test')).toMatchObject({
      ok: false,
      failures: [expect.objectContaining({ agent: 'claude', check: expect.stringMatching(/^claude starts in the sandbox/) })],
    });
    expect(journal.filter((e) => e.type === 'agent.launched')).toEqual([]);
    expect(h.json('summary.json')).toMatchObject({ exitCode: 6 });
    expect(exit.stdout + exit.stderr).toMatch(/sandbox self-test failed/);
  });
});

describe.runIf(SANDBOX_USABLE)('host layouts, each once for real with the three simulated agents', () => {
  /** Runs the default three-agent session and checks every agent wrote its file. */
  async function runAll(harness: OrchestrateHarness, extraEnv: Record<string, string> = {}): Promise<void> {
    const exit = await harness.run(['--no-review', TASK], extraEnv);
    const journal = harness.journal() as Entry[];
    expect(
      journal.find((e) => e.type === 'safety.sandbox_self_test'),
      exit.stdout,
    ).toMatchObject({ ok: true });
    expect(exit.code, `${exit.stdout}\n${exit.stderr}`).toBe(0);
    for (const f of ['docs/design.md', 'src/format-json.js']) expect(existsSync(harness.inCopy(f)), f).toBe(true);
    expect(journal.filter((e) => e.type === 'agent.tool_result' && e.ok === false)).toEqual([]);
  }

  it('CLIs and HOME under one temp root: the CLIs run, ~/.ssh stays hidden', async () => {
    h = new OrchestrateHarness();
    const cli = path.join(h.root, 'cli');
    spawnSync('cp', ['-r', FAKE_AGENTS_DIR, cli]);
    mkdirSync(path.join(h.home, '.ssh'));
    writeFileSync(path.join(h.home, '.ssh', 'id_ed25519'), 'SSH-SECRET\n');
    const agents = Object.fromEntries(['claude', 'codex', 'gemini'].map((a) => [a, { executable: path.join(cli, a) }]));
    writeFileSync(h.configFile, JSON.stringify({ ...JSON.parse(readFileSync(h.configFile, 'utf8')), agents }));
    await runAll(h);
  });

  it('a CLI installed under the home (as with nvm)', async () => {
    h = new OrchestrateHarness();
    const cli = path.join(h.home, '.nvm', 'versions', 'node', 'v20', 'lib', 'node_modules', 'fake-agents');
    mkdirSync(path.dirname(cli), { recursive: true });
    spawnSync('cp', ['-r', FAKE_AGENTS_DIR, cli]);
    const agents = Object.fromEntries(['claude', 'codex', 'gemini'].map((a) => [a, { executable: path.join(cli, a) }]));
    writeFileSync(h.configFile, JSON.stringify({ ...JSON.parse(readFileSync(h.configFile, 'utf8')), agents }));
    await runAll(h);
  });

  it('TMPDIR outside /tmp', async () => {
    h = new OrchestrateHarness();
    const tmp = path.join(h.target, '..', 'scratch-tmp');
    mkdirSync(tmp);
    await runAll(h, { TMPDIR: path.resolve(tmp) });
  });

  it('orchestrate and the target under one /tmp folder (the hook runs orchestrate from there)', async () => {
    h = new OrchestrateHarness();
    const copy = path.join(h.root, 'orchestrate');
    mkdirSync(copy);
    for (const part of ['bin', 'dist', 'package.json']) spawnSync('cp', ['-r', path.join(FAKE_AGENTS_DIR, '..', '..', part), copy]);
    spawnSync('ln', ['-s', path.join(FAKE_AGENTS_DIR, '..', '..', 'node_modules'), path.join(copy, 'node_modules')]);
    h.orchestrateBin = path.join(copy, 'bin', 'orchestrate.js');
    await runAll(h);
    // claude's layer-1 hook is the session's hook client (read-only in the sandbox, under the same /tmp folder)
    const policyDir = path.join(
      h.sessionDir(),
      'policy',
      readdirSync(path.join(h.sessionDir(), 'policy')).find((d) => d.includes('claude'))!,
    );
    expect(readFileSync(path.join(policyDir, 'claude-settings.json'), 'utf8')).toContain(path.join(h.sessionDir(), 'hooks'));
  });
});
