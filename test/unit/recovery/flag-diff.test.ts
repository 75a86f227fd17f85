import { describe, expect, it } from 'vitest';
import type { LaunchSpec } from '../../../src/agents/adapter.js';
import { flagDiff } from '../../../src/recovery/flag-diff.js';

const base: LaunchSpec = {
  executable: 'x',
  prompt: 'do it',
  cwd: '/t',
  addDirs: [],
  extraArgs: [],
  mode: 'work',
  context: { isRoot: false, sandboxed: true, targetIsGitRepo: true, trustTarget: true },
};

describe('flagDiff', () => {
  it("shows an added directory in each CLI's own spelling", () => {
    expect(flagDiff('claude', base, { ...base, addDirs: ['/data'] })).toEqual(['+ --add-dir /data']);
    expect(flagDiff('codex', base, { ...base, addDirs: ['/data'] })).toEqual(['+ --add-dir /data']);
    expect(flagDiff('gemini', base, { ...base, addDirs: ['/data'] })).toEqual(['+ --include-directories /data']);
  });

  it('keeps the flag word with a changed value', () => {
    expect(flagDiff('gemini', { ...base, addDirs: ['/a'] }, { ...base, addDirs: ['/a', '/b'] })).toEqual([
      '- --include-directories /a',
      '+ --include-directories /a,/b',
    ]);
    const resuming = { ...base, resumeSessionId: 't1' };
    expect(flagDiff('codex', { ...resuming, addDirs: ['/a'] }, { ...resuming, addDirs: ['/a', '/b'] })).toEqual([
      '- -c sandbox_workspace_write.writable_roots=["/a"]',
      '+ -c sandbox_workspace_write.writable_roots=["/a","/b"]',
    ]);
  });

  it('shows removed words, and nothing when nothing changed', () => {
    const dontAsk = { ...base, extraArgs: ['--permission-mode', 'dontAsk'] };
    expect(flagDiff('claude', dontAsk, base)).toEqual(['- --permission-mode dontAsk']);
    expect(flagDiff('claude', base, { ...base, prompt: 'another prompt' })).toEqual([]);
  });

  it('shows environment the adapter adds', () => {
    const root = { ...base, context: { ...base.context, isRoot: true, sandboxed: false } };
    expect(flagDiff('claude', root, { ...root, context: { ...root.context, sandboxed: true } })).toEqual([
      '- --permission-mode acceptEdits --allowedTools Bash Edit Write MultiEdit NotebookEdit',
      '+ --dangerously-skip-permissions',
      '+ env IS_SANDBOX=1',
    ]);
  });
});
