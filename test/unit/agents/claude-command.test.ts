import { describe, expect, it } from 'vitest';
import { claudeAdapter } from '../../../src/agents/adapters/claude.js';
import { launchSpec, reviewSpec } from './launch-spec.js';

const HEAD = ['-p', '--output-format', 'stream-json', '--verbose'];

describe('claude buildCommand', () => {
  it('runs the given executable headless with stream-json and bypass permissions by default', () => {
    expect(claudeAdapter.buildCommand(launchSpec())).toEqual({
      file: '/usr/local/bin/agent',
      args: [...HEAD, '--dangerously-skip-permissions'],
      env: {},
      promptOnStdin: true,
    });
  });

  it('passes the model and one --add-dir per directory', () => {
    const { args } = claudeAdapter.buildCommand(launchSpec({ model: 'claude-opus-5-5', addDirs: ['/work/shared', '/work/docs'] }));
    expect(args).toEqual([
      ...HEAD,
      '--model',
      'claude-opus-5-5',
      '--dangerously-skip-permissions',
      '--add-dir',
      '/work/shared',
      '--add-dir',
      '/work/docs',
    ]);
  });

  it('as root without a sandbox uses the root-safe acceptEdits mode and no IS_SANDBOX', () => {
    const command = claudeAdapter.buildCommand(launchSpec({ context: { isRoot: true, sandboxed: false } }));
    expect(command.args).toEqual([...HEAD, '--permission-mode', 'acceptEdits', '--allowedTools', 'Bash Edit Write MultiEdit NotebookEdit']);
    expect(command.args).not.toContain('--dangerously-skip-permissions');
    expect(command.env).toEqual({});
  });

  it('as root inside the sandbox bypasses permissions with IS_SANDBOX=1', () => {
    const command = claudeAdapter.buildCommand(launchSpec({ context: { isRoot: true, sandboxed: true } }));
    expect(command.args).toEqual([...HEAD, '--dangerously-skip-permissions']);
    expect(command.env).toEqual({ IS_SANDBOX: '1' });
  });

  it('adds the policy settings file', () => {
    const { args } = claudeAdapter.buildCommand(launchSpec({ policyFiles: { claudeSettings: '/s/claude.json' } }));
    expect(args).toEqual([...HEAD, '--dangerously-skip-permissions', '--settings', '/s/claude.json']);
  });

  it('reviews read-only in plan mode with the JSON schema inline, even as root', () => {
    const command = claudeAdapter.buildCommand(reviewSpec({ context: { isRoot: true, sandboxed: true } }));
    expect(command.args).toEqual([...HEAD, '--permission-mode', 'plan', '--json-schema', '{"type":"object"}']);
    expect(command.env).toEqual({});
  });

  it('resumes with --resume <session id>', () => {
    const { args } = claudeAdapter.buildCommand(launchSpec({ resumeSessionId: 'b3408c10-d2cf-431e-a14f-0d6ca2c36cff' }));
    expect(args).toEqual([...HEAD, '--dangerously-skip-permissions', '--resume', 'b3408c10-d2cf-431e-a14f-0d6ca2c36cff']);
  });

  it('sends the prompt on stdin (no argv size limit, no variadic flag can swallow it), extra args last', () => {
    const { args } = claudeAdapter.buildCommand(
      launchSpec({
        prompt: 'a prompt\nwith "quotes" and $(no expansion)',
        addDirs: ['/extra'],
        extraArgs: ['--max-budget-usd', '5'],
        resumeSessionId: 'sid',
        context: { isRoot: true, sandboxed: false },
      }),
    );
    expect(args).toEqual([
      '-p',
      '--output-format',
      'stream-json',
      '--verbose',
      '--permission-mode',
      'acceptEdits',
      '--allowedTools',
      'Bash Edit Write MultiEdit NotebookEdit',
      '--add-dir',
      '/extra',
      '--resume',
      'sid',
      '--max-budget-usd',
      '5',
    ]);
  });

  it('names its executable and version probe', () => {
    expect(claudeAdapter.id).toBe('claude');
    expect(claudeAdapter.defaultExecutable).toBe('claude');
    expect(claudeAdapter.versionArgs).toEqual(['--version']);
  });
});
