import { describe, expect, it } from 'vitest';
import { classifyCommand, type FilterContext } from '../../../../src/safety/command-filter/index.js';

// CI and tests often run with HOME and the workspace under /tmp. Found by the stream-guard
// integration test: `rm -rf "$HOME"` was allowed as a temp-dir delete and really ran.
const ctx: FilterContext = {
  cwd: '/tmp/run/project',
  workspaceRoots: ['/tmp/run/project'],
  home: '/tmp/run/home',
  tmpDirs: ['/tmp', '/var/tmp'],
};

describe('a home or workspace that lives under a temp dir', () => {
  it.each([
    ['rm -rf "$HOME"', 'block'],
    ['rm -rf ~', 'block'],
    ['rm -rf ~/.config', 'block'],
    ['rm -rf ..', 'block'],
    ['rm -rf /tmp/run', 'block'],
    ['rm -rf /tmp/run/*', 'block'],
    ['rm -rf /tmp', 'block'],
    ['rm -rf /tmp/other-scratch', 'allow'],
    ['rm -rf /tmp/run/cache', 'allow'],
    ['rm -rf build', 'allow'],
  ] as const)('%s → %s', (cmd, decision) => {
    expect(classifyCommand(cmd, ctx).decision).toBe(decision);
  });
});
