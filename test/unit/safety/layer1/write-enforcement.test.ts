import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CONFIRM_ENV } from '../../../../src/safety/confirm/endpoint.js';
import { writeEnforcement, type EnforcementInput } from '../../../../src/safety/layer1/write-enforcement.js';
import { readHookContext } from '../../../../src/safety/layer1/hook-context.js';
import { claudePermissionsLib } from './fake-enforcement.js';

const root = mkdtempSync(path.join(os.tmpdir(), 'enforcement-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const home = path.join(root, 'home');
const target = path.join(root, 'project');
const sessionDir = path.join(target, '.orchestrate', 'sessions', 's1');
mkdirSync(path.join(home, '.codex', 'rules'), { recursive: true });
mkdirSync(sessionDir, { recursive: true });
writeFileSync(
  path.join(home, '.codex', 'rules', 'mine.rules'),
  'prefix_rule(pattern=["make", "deploy"], decision="forbidden", justification="mine")\n',
);

const base = (agent: EnforcementInput['agent'], extra: Partial<EnforcementInput> = {}): EnforcementInput => ({
  sessionDir,
  agent,
  filterContext: { cwd: target, workspaceRoots: [target], home, tmpDirs: ['/tmp', '/var/tmp'] },
  policy: { block: [{ prefix: 'terraform apply', reason: 'infra goes through CI' }], allow: [] },
  orchestrateBin: ['/usr/bin/node', '/opt/orchestrate/bin/orchestrate.js'],
  sandboxed: true,
  agentEnv: { HOME: home },
  ...extra,
});

describe('writeEnforcement', () => {
  it('claude: a settings file whose Bash PreToolUse hook runs orchestrate hook with the context beside it', async () => {
    const e = writeEnforcement(base('claude', { assignment: 'impl', confirm: { host: '127.0.0.1', port: 4567, token: 'a'.repeat(32) } }));
    const dir = path.join(sessionDir, 'policy', 'impl');
    expect(e.policyFiles).toEqual({ claudeSettings: path.join(dir, 'claude-settings.json') });
    expect(e.env).toEqual({ [CONFIRM_ENV]: `127.0.0.1:4567:${'a'.repeat(32)}` });
    const { loadClaudeSettings, decideBash } = await claudePermissionsLib();
    const settings = loadClaudeSettings({ cwd: target, settingsFlag: e.policyFiles.claudeSettings!, settingSources: '', env: {} });
    expect(settings.preToolUse).toHaveLength(1);
    expect(settings.preToolUse[0]!.matcher).toBe('Bash');
    const hook = settings.preToolUse[0]!.hooks![0]!;
    expect(hook.command).toBe(
      `/usr/bin/node /opt/orchestrate/bin/orchestrate.js hook claude --context ${path.join(dir, 'hook-context.json')} || exit 2`,
    );
    expect(hook.timeout).toBeGreaterThan(125);
    // permissions.deny holds even in bypass mode, without the hook
    expect(
      decideBash({
        command: 'terraform apply',
        mode: 'bypassPermissions',
        allow: [],
        deny: settings.deny,
        cwd: target,
        workingDirs: [target],
      }).allow,
    ).toBe(false);
    expect(
      decideBash({
        command: 'git reset --hard',
        mode: 'bypassPermissions',
        allow: [],
        deny: settings.deny,
        cwd: target,
        workingDirs: [target],
      }).allow,
    ).toBe(false);
    expect(
      decideBash({ command: 'npm test', mode: 'bypassPermissions', allow: [], deny: settings.deny, cwd: target, workingDirs: [target] })
        .allow,
    ).toBe(true);
    const context = readHookContext(path.join(dir, 'hook-context.json'));
    expect(context).toMatchObject({
      agent: 'claude',
      assignment: 'impl',
      filterContext: { cwd: target, home },
      policy: { block: [{ prefix: 'terraform apply' }] },
    });
  });

  it('claude without a broker says confirm-class commands will be blocked', () => {
    const e = writeEnforcement(base('claude'));
    expect(e.env).toEqual({});
    expect(e.notes.join('\n')).toContain('no confirm broker');
  });

  it('claude: an orchestrate under /tmp is bound into the sandbox read-only', () => {
    const e = writeEnforcement(base('claude', { orchestrateBin: ['/usr/bin/node', '/tmp/npx-123/lib/bin/orchestrate.js'] }));
    expect(e.extraReadOnlyBinds).toEqual([{ source: '/tmp/npx-123', dest: '/tmp/npx-123' }]);
  });

  it('gemini: a --policy TOML file and a note on what it does not cover', () => {
    const e = writeEnforcement(base('gemini'));
    expect(e.policyFiles.geminiPolicy).toBe(path.join(sessionDir, 'policy', 'gemini', 'gemini-policy.toml'));
    expect(readFileSync(e.policyFiles.geminiPolicy!, 'utf8')).toContain('commandPrefix = ["terraform apply"]');
    expect(e.notes.join('\n')).toContain('stream guard');
  });

  it("codex in the sandbox: rules bound read-only over $CODEX_HOME/rules, the user's own rules carried over, nothing written there", () => {
    const before = readdirSync(path.join(home, '.codex', 'rules'));
    const e = writeEnforcement(base('codex'));
    const rulesDir = path.join(sessionDir, 'policy', 'codex', 'codex-rules');
    expect(e.extraReadOnlyBinds).toEqual([{ source: rulesDir, dest: path.join(home, '.codex', 'rules') }]);
    expect(readdirSync(rulesDir).sort()).toEqual(['orchestrate.rules', 'user-mine.rules']);
    expect(readdirSync(path.join(home, '.codex', 'rules'))).toEqual(before);
    expect(e.policyFiles).toEqual({});
  });

  it('codex honours CODEX_HOME, and without the sandbox says layer 1 is off', () => {
    const codexHome = path.join(root, 'codex-home');
    expect(writeEnforcement(base('codex', { agentEnv: { HOME: home, CODEX_HOME: codexHome } })).extraReadOnlyBinds[0]!.dest).toBe(
      path.join(codexHome, 'rules'),
    );
    expect(existsSync(codexHome)).toBe(false);
    const off = writeEnforcement(base('codex', { sandboxed: false }));
    expect(off.extraReadOnlyBinds).toEqual([]);
    expect(off.notes.join('\n')).toContain('layer 1 is off without the sandbox');
  });
});
