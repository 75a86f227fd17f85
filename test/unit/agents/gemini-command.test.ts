import { describe, expect, it } from 'vitest';
import { geminiAdapter } from '../../../src/agents/adapters/gemini.js';
import type { LaunchSpec } from '../../../src/agents/adapter.js';
import { launchSpec, reviewSpec } from './launch-spec.js';

const HEAD = ['-o', 'stream-json', '-m', 'gemini-2.5-flash'];

function argsOf(spec: LaunchSpec): string[] {
  return geminiAdapter.buildCommand(spec).args;
}

describe('gemini buildCommand', () => {
  it('runs headless stream-json with the default model, trust and yolo', () => {
    expect(geminiAdapter.buildCommand(launchSpec())).toEqual({
      file: '/usr/local/bin/agent',
      args: [...HEAD, '--skip-trust', '--yolo'],
      env: {},
      promptOnStdin: true,
    });
  });

  it('omits --skip-trust when the session does not trust the target', () => {
    expect(argsOf(launchSpec({ context: { trustTarget: false } }))).toEqual([...HEAD, '--yolo']);
  });

  it('joins extra directories into one --include-directories value and passes the model', () => {
    expect(argsOf(launchSpec({ addDirs: ['/a', '/b'], model: 'gemini-2.5-pro' }))).toEqual([
      '-o',
      'stream-json',
      '-m',
      'gemini-2.5-pro',
      '--include-directories',
      '/a,/b',
      '--skip-trust',
      '--yolo',
    ]);
  });

  it('adds the policy file', () => {
    expect(argsOf(launchSpec({ policyFiles: { geminiPolicy: '/s/policy.toml' } }))).toEqual([
      ...HEAD,
      '--skip-trust',
      '--policy',
      '/s/policy.toml',
      '--yolo',
    ]);
  });

  it('reviews in default approval mode, where headless gemini offers no write or shell tools', () => {
    const args = argsOf(reviewSpec());
    expect(args).toEqual([...HEAD, '--skip-trust', '--approval-mode', 'default']);
    expect(args).not.toContain('--yolo');
  });

  it('resumes with --resume <session id>, extra args last', () => {
    expect(
      argsOf(
        launchSpec({
          resumeSessionId: 'a535eb09-fcc9-4061-86d4-d3bc9b20b5d2',
          extraArgs: ['--debug'],
        }),
      ),
    ).toEqual([...HEAD, '--skip-trust', '--yolo', '--resume', 'a535eb09-fcc9-4061-86d4-d3bc9b20b5d2', '--debug']);
  });

  it('names its executable and version probe', () => {
    expect(geminiAdapter.id).toBe('gemini');
    expect(geminiAdapter.defaultExecutable).toBe('gemini');
    expect(geminiAdapter.versionArgs).toEqual(['--version']);
  });
});
