import { describe, expect, it } from 'vitest';
import { codexAdapter } from '../../../src/agents/adapters/codex.js';
import type { LaunchSpec } from '../../../src/agents/adapter.js';
import { launchSpec, reviewSpec } from './launch-spec.js';

const APPROVAL = ['-c', 'approval_policy="never"'];

function argsOf(spec: LaunchSpec): string[] {
  return codexAdapter.buildCommand(spec).args;
}

describe('codex buildCommand', () => {
  it('runs `exec --json` in a workspace-write sandbox with approvals off, prompt on stdin (`-`) last', () => {
    expect(codexAdapter.buildCommand(launchSpec())).toEqual({
      file: '/usr/local/bin/agent',
      args: [
        'exec',
        '--json',
        '-C',
        '/work/target',
        '-m',
        'gpt-5.5',
        '--disable',
        'plugins',
        '-c',
        'otel.metrics_exporter="none"',
        '-s',
        'workspace-write',
        ...APPROVAL,
        '-',
      ],
      env: {},
      promptOnStdin: true,
    });
  });

  it('passes --add-dir per directory and the configured model', () => {
    expect(argsOf(launchSpec({ addDirs: ['/a', '/b'], model: 'gpt-5.5-mini' }))).toEqual([
      'exec',
      '--json',
      '-C',
      '/work/target',
      '--add-dir',
      '/a',
      '--add-dir',
      '/b',
      '-m',
      'gpt-5.5-mini',
      '--disable',
      'plugins',
      '-c',
      'otel.metrics_exporter="none"',
      '-s',
      'workspace-write',
      ...APPROVAL,
      '-',
    ]);
  });

  it('skips the git check only outside a git repo', () => {
    expect(argsOf(launchSpec())).not.toContain('--skip-git-repo-check');
    expect(argsOf(launchSpec({ context: { targetIsGitRepo: false } }))).toEqual([
      'exec',
      '--json',
      '-C',
      '/work/target',
      '-m',
      'gpt-5.5',
      '--skip-git-repo-check',
      '--disable',
      'plugins',
      '-c',
      'otel.metrics_exporter="none"',
      '-s',
      'workspace-write',
      ...APPROVAL,
      '-',
    ]);
  });

  it('reviews in a read-only sandbox with the schema file', () => {
    expect(argsOf(reviewSpec())).toEqual([
      'exec',
      '--json',
      '-C',
      '/work/target',
      '-m',
      'gpt-5.5',
      '--disable',
      'plugins',
      '-c',
      'otel.metrics_exporter="none"',
      '-s',
      'read-only',
      ...APPROVAL,
      '--output-schema',
      '/session/review.schema.json',
      '-',
    ]);
  });

  it('resumes with `exec resume … <thread_id> <prompt>`, carrying sandbox and roots through -c', () => {
    expect(
      argsOf(
        launchSpec({
          resumeSessionId: '01a1ff8f-bc52-7b60-b6dd-44fd72b4141b',
          addDirs: ['/a', '/b "q"'],
        }),
      ),
    ).toEqual([
      'exec',
      'resume',
      '--json',
      '-m',
      'gpt-5.5',
      '--disable',
      'plugins',
      '-c',
      'otel.metrics_exporter="none"',
      '-c',
      'sandbox_mode="workspace-write"',
      '-c',
      'sandbox_workspace_write.writable_roots=["/a","/b \\"q\\""]',
      ...APPROVAL,
      '01a1ff8f-bc52-7b60-b6dd-44fd72b4141b',
      '-',
    ]);
  });

  it('resumes a review read-only, outside git, without the flags resume lacks', () => {
    const args = argsOf(reviewSpec({ resumeSessionId: 't1', addDirs: ['/a'], context: { targetIsGitRepo: false } }));
    expect(args).toEqual([
      'exec',
      'resume',
      '--json',
      '-m',
      'gpt-5.5',
      '--skip-git-repo-check',
      '--disable',
      'plugins',
      '-c',
      'otel.metrics_exporter="none"',
      '-c',
      'sandbox_mode="read-only"',
      ...APPROVAL,
      '--output-schema',
      '/session/review.schema.json',
      't1',
      '-',
    ]);
    for (const flag of ['-s', '-C', '--add-dir']) expect(args).not.toContain(flag);
  });

  it('puts extra args after the options and before the positionals', () => {
    expect(argsOf(launchSpec({ extraArgs: ['--ephemeral'], resumeSessionId: 't1' })).slice(-3)).toEqual(['--ephemeral', 't1', '-']);
    expect(argsOf(launchSpec({ extraArgs: ['--ephemeral'] })).slice(-2)).toEqual(['--ephemeral', '-']);
  });

  it('never emits the removed --full-auto or the rejected `exec -a`', () => {
    const specs = [
      launchSpec(),
      launchSpec({ context: { isRoot: true, sandboxed: true, targetIsGitRepo: false } }),
      reviewSpec(),
      launchSpec({ resumeSessionId: 't1' }),
    ];
    for (const spec of specs) {
      const args = argsOf(spec);
      expect(args).not.toContain('--full-auto');
      expect(args).not.toContain('-a');
      expect(args).not.toContain('--ask-for-approval');
    }
  });

  it('names its executable and version probe', () => {
    expect(codexAdapter.id).toBe('codex');
    expect(codexAdapter.defaultExecutable).toBe('codex');
    expect(codexAdapter.versionArgs).toEqual(['--version']);
  });
});
