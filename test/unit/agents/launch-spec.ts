import type { LaunchSpec } from '../../../src/agents/adapter.js';

/** Fields a test varies; `context` merges into the defaults field by field. */
export type SpecOverrides = Partial<Omit<LaunchSpec, 'context'>> & {
  context?: Partial<LaunchSpec['context']>;
};

/** A work-mode launch as a non-root user in a trusted git repo; override what a test varies. */
export function launchSpec(overrides: SpecOverrides = {}): LaunchSpec {
  const { context, ...rest } = overrides;
  return {
    executable: '/usr/local/bin/agent',
    prompt: 'Fix the bug',
    cwd: '/work/target',
    addDirs: [],
    extraArgs: [],
    mode: 'work',
    ...rest,
    context: {
      isRoot: false,
      sandboxed: false,
      targetIsGitRepo: true,
      trustTarget: true,
      ...context,
    },
  };
}

/** Review-mode launch with a schema (JSON inline for claude, a file for codex). */
export function reviewSpec(overrides: SpecOverrides = {}): LaunchSpec {
  return launchSpec({
    mode: 'review',
    outputSchema: { json: '{"type":"object"}', file: '/session/review.schema.json' },
    ...overrides,
  });
}
