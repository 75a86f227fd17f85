import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseHookCall, patchPaths } from '../../../../src/safety/hook/hook-call.js';
import { codexHookHash, buildCodexHookFlags } from '../../../../src/safety/layer1/codex-hook-flags.js';
import { buildGeminiSettings } from '../../../../src/safety/layer1/gemini-settings.js';

const SAMPLES = '/work/shared/agents/hook-samples';
const sample = (name: string) => {
  try {
    return readFileSync(`${SAMPLES}/${name}`, 'utf8');
  } catch {
    return undefined;
  }
};

describe("parseHookCall: each CLI's hook input", () => {
  it.runIf(sample('codex-PreToolUse-stdin.json'))('codex PreToolUse (recorded): Bash with its command, cwd and tool id', () => {
    expect(parseHookCall('codex', sample('codex-PreToolUse-stdin.json')!)).toEqual({
      kind: 'shell',
      tool: 'Bash',
      command: 'git reset --hard',
      cwd: '/home/dev/project',
      toolId: 'call_mxadovbl9i',
    });
  });

  it.runIf(sample('gemini-BeforeTool-stdin.json'))('gemini BeforeTool (recorded): run_shell_command with its command and cwd', () => {
    expect(parseHookCall('gemini', sample('gemini-BeforeTool-stdin.json')!)).toEqual({
      kind: 'shell',
      tool: 'run_shell_command',
      command: 'git reset --hard',
      cwd: '/home/dev/project',
    });
  });

  it("gemini: dir_path moves the command's cwd", () => {
    const call = parseHookCall(
      'gemini',
      JSON.stringify({ tool_name: 'run_shell_command', tool_input: { command: 'rm -rf *', dir_path: '..' }, cwd: '/w/p' }),
    );
    expect(call).toMatchObject({ kind: 'shell', cwd: '/w' });
  });

  it('claude file tools and gemini write tools name the file they write', () => {
    expect(
      parseHookCall('claude', JSON.stringify({ tool_name: 'Write', tool_input: { file_path: '/etc/x', content: '' }, cwd: '/w' })),
    ).toMatchObject({ kind: 'write', paths: ['/etc/x'] });
    expect(parseHookCall('claude', JSON.stringify({ tool_name: 'NotebookEdit', tool_input: { notebook_path: 'n.ipynb' } }))).toMatchObject({
      kind: 'write',
      paths: ['n.ipynb'],
    });
    expect(parseHookCall('gemini', JSON.stringify({ tool_name: 'replace', tool_input: { file_path: '/w/a.ts' } }))).toMatchObject({
      kind: 'write',
      paths: ['/w/a.ts'],
    });
  });

  it('codex apply_patch: every Add/Update/Delete/Move line of the patch', () => {
    const patch =
      '*** Begin Patch\n*** Add File: a.txt\n+x\n*** Update File: src/b.ts\n*** Move to: ../c.ts\n@@\n-x\n+y\n*** Delete File: /etc/passwd\n*** End Patch\n';
    expect(patchPaths(patch)).toEqual(['a.txt', 'src/b.ts', '../c.ts', '/etc/passwd']);
    expect(parseHookCall('codex', JSON.stringify({ tool_name: 'apply_patch', tool_input: { command: patch } }))).toMatchObject({
      kind: 'write',
      paths: ['a.txt', 'src/b.ts', '../c.ts', '/etc/passwd'],
    });
  });

  it('malformed input throws (the caller blocks): not JSON, no tool_name, a shell call without a command', () => {
    expect(() => parseHookCall('claude', 'nope')).toThrow();
    expect(() => parseHookCall('claude', '{}')).toThrow(/tool_name/);
    expect(() => parseHookCall('claude', '{"tool_name":"Bash","tool_input":{}}')).toThrow(/command/);
  });

  it('other tools are not judged', () => {
    expect(parseHookCall('claude', '{"tool_name":"Read","tool_input":{"file_path":"/etc/passwd"}}')).toEqual({
      kind: 'other',
      tool: 'Read',
    });
  });
});

describe('hook configuration per CLI', () => {
  it('codex: the trust hash is sha256 of the canonical identity HOOKS.md describes, and the flags carry it', () => {
    const hash = codexHookHash('/usr/bin/perl /s/h.pl x || exit 2', 600);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    const flags = buildCodexHookFlags('/usr/bin/perl /s/h.pl x || exit 2', 600);
    expect(flags.slice(0, 4)).toEqual(['--enable', 'hooks', '--disable', 'unified_exec_tty']);
    expect(flags.join(' ')).toContain(`trusted_hash="sha256:${hash}"`);
    expect(flags.join(' ')).not.toContain('bypass-hook-trust');
  });

  it("gemini: the person's settings are kept, hooks on, no hook disabled, ours first", () => {
    const user = {
      security: { auth: { selectedType: 'gemini-api-key' } },
      hooksConfig: { enabled: false, disabled: ['orchestrate-pre-execution'] },
      hooks: { BeforeTool: [{ matcher: 'x', hooks: [] }] },
    };
    const s = buildGeminiSettings(user, 'cmd', 10_000) as any;
    expect(s.security).toEqual(user.security);
    expect(s.hooksConfig).toEqual({ enabled: true, disabled: [] });
    expect(s.hooks.BeforeTool[0]).toEqual({
      matcher: 'run_shell_command|write_file|replace',
      hooks: [{ name: 'orchestrate-pre-execution', type: 'command', command: 'cmd', timeout: 10_000 }],
    });
    expect(s.hooks.BeforeTool[1]).toEqual(user.hooks.BeforeTool[0]);
  });
});

describe("the recovery catalogue knows the hook's refusal of a write outside the roots", () => {
  it("captures the path from claude's hook error and gemini's policy violation", async () => {
    const { diagnose } = await import('../../../../src/recovery/diagnose.js');
    const reason =
      'blocked by orchestrate (block.write-outside): Write would write /x/out/a.txt (it resolves to /y/a.txt), outside the allowed roots';
    const claude = diagnose('claude', {
      events: [{ type: 'agent.permission_denied', message: `PreToolUse:Write hook error: [/s/hook-client]: ${reason}` }],
      stderr: '',
      exitCode: 0,
    });
    expect(claude.map((d) => [d.entry.id, d.captures['path']])).toContainEqual(['claude.hook-write-outside', '/x/out/a.txt']);
    const gemini = diagnose('gemini', {
      events: [{ type: 'agent.permission_denied', message: `Tool execution blocked: ${reason.replace('Write', 'write_file')}` }],
      stderr: '',
      exitCode: 0,
    });
    expect(gemini.map((d) => d.entry.id)).toContain('gemini.hook-write-outside');
  });
});
