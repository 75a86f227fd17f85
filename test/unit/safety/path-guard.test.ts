import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { AgentId } from '../../../src/agents/agent-id.js';
import type { AgentEvent } from '../../../src/events/agent-event.js';
import { allowedWriteRoots, createPathGuard, realResolve } from '../../../src/safety/path-guard.js';
import type { PolicyAction, RunContext } from '../../../src/safety/event-policy.js';
import { ofType, parseLines, parseRecording, recording } from '../agents/recorded-streams.js';

/** Feeds events through a fresh guard for one run; returns the violations' data. */
function violations(events: AgentEvent[], run: RunContext, roots: string[], home?: string): Array<Record<string, unknown>> {
  const guard = createPathGuard(() => ({ allowedRoots: roots, ...(home ? { home } : {}) }));
  const actions: PolicyAction[] = events.flatMap((event) => guard.onEvent(run, event));
  return actions.map((action) => {
    expect(action).toMatchObject({ type: 'journal', entryType: 'safety.violation' }); // never a stop
    return (action as Extract<PolicyAction, { type: 'journal' }>).data;
  });
}

const writeCall = (p: string, tool = 'Write'): AgentEvent => ({
  type: 'agent.tool_call',
  tool,
  kind: 'file_write',
  toolId: `t-${p}`,
  path: p,
});

// The recordings were made in /home/dev/lab: work/<scenario> was the cwd, outside/ a sibling.
const LAB = '/home/dev/lab';
const labRun = (agent: AgentId, scenario: string): RunContext => ({ agent, assignmentId: 'a1', cwd: `${LAB}/work/${scenario}` });
const labRoots = (agent: AgentId, scenario: string, allowWrite: string[] = []) =>
  allowedWriteRoots({ agent, target: `${LAB}/work/${scenario}`, allowWrite, env: {}, home: `${LAB}/home`, tempDirs: ['/tmp'] });

describe('path guard on the recorded real-CLI streams', () => {
  it.each([
    ['claude', 'claude-outside', 'Write', `${LAB}/outside/claude.txt`],
    ['gemini', 'gemini-outside', 'write_file', `${LAB}/outside/gemini.txt`],
  ] as const)('%s: the write outside the cwd is a violation, journaled although the CLI refused it (%s)', (agent, name, tool, file) => {
    const events = parseRecording(name);
    expect(ofType(events, 'agent.permission_denied')).toHaveLength(1); // the CLI did refuse it
    const found = violations(events, labRun(agent, name), labRoots(agent, name));
    expect(found).toEqual([
      {
        kind: 'path',
        tool,
        toolId: expect.any(String),
        path: file,
        resolved: file,
        allowedRoots: expect.arrayContaining([`${LAB}/work/${name}`]),
        reason: `${tool} writes ${file}, outside the allowed roots`,
      },
    ]);
  });

  it.each([
    ['claude', 'claude-outside-adddir'],
    ['gemini', 'gemini-outside-incdir'],
  ] as const)('%s: the same write is no violation when the config allows that directory (%s)', (agent, name) => {
    expect(violations(parseRecording(name), labRun(agent, name), labRoots(agent, name, [`${LAB}/outside`]))).toEqual([]);
  });

  it.each([
    ['claude', 'claude-patch'],
    ['gemini', 'gemini-patch'],
    ['codex', 'codex-patch'],
  ] as const)('%s: a write inside the target is no violation (%s)', (agent, name) => {
    const events = parseRecording(name);
    expect(ofType(events, 'agent.tool_call').filter((call) => call.kind === 'file_write')).toHaveLength(1);
    expect(violations(events, labRun(agent, name), labRoots(agent, name))).toEqual([]);
  });

  it('codex: checks every path of a file_change, once although codex announces it at start and end', () => {
    // codex-patch's own lines, with a second change outside the target added to its `changes`
    const lines = recording('codex-patch').lines.map((line) =>
      line.replace(
        '"changes":[{"path":"/home/dev/lab/work/codex-patch/hello.txt","kind":"add"}]',
        '"changes":[{"path":"/home/dev/lab/work/codex-patch/hello.txt","kind":"add"},{"path":"/home/dev/lab/home/.bashrc","kind":"update"}]',
      ),
    );
    const events = parseLines('codex', lines);
    expect(ofType(events, 'agent.tool_call')[0]).toMatchObject({
      kind: 'file_edit',
      paths: [`${LAB}/work/codex-patch/hello.txt`, `${LAB}/home/.bashrc`],
    });
    const found = violations(events, labRun('codex', 'codex-patch'), labRoots('codex', 'codex-patch'));
    expect(found.map((v) => [v['tool'], v['path'], v['reason']])).toEqual([
      ['file_change', `${LAB}/home/.bashrc`, `file_change edits ${LAB}/home/.bashrc, outside the allowed roots`],
    ]);
  });

  it('ignores shell commands and other tools (the command policy judges those)', () => {
    const events = parseRecording('codex-outside-adddir'); // `echo x > …/outside/codex-sh.txt` through the shell
    expect(ofType(events, 'agent.tool_call').map((call) => call.kind)).toEqual(['shell']);
    expect(violations(events, labRun('codex', 'codex-outside-adddir'), labRoots('codex', 'codex-outside-adddir'))).toEqual([]);
  });
});

describe('path guard resolution on a real file system', () => {
  const root = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'path-guard-')));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const target = path.join(root, 'project');
  const outside = path.join(root, 'outside');
  const home = path.join(root, 'home');
  for (const dir of [path.join(target, 'src'), path.join(outside, 'deep'), path.join(home, '.claude'), path.join(home, '.codex')])
    mkdirSync(dir, { recursive: true });
  symlinkSync(outside, path.join(target, 'link-out')); // a link in the target to outside
  symlinkSync(path.join(outside, 'deep'), path.join(target, 'link-deep'));
  symlinkSync(path.join(target, 'src'), path.join(target, 'link-src')); // a link that stays inside
  symlinkSync(path.join(outside, 'not-yet', 'file.txt'), path.join(target, 'dangling-out'));
  symlinkSync(target, path.join(root, 'project-alias')); // the target reached through a link
  const run: RunContext = { agent: 'claude', assignmentId: 'a1', cwd: target };
  const roots = allowedWriteRoots({ agent: 'claude', target, allowWrite: [], env: {}, home, tempDirs: [os.tmpdir()] });
  const judge = (p: string, r: RunContext = run) => violations([writeCall(p)], r, roots, home).map((v) => v['resolved']);

  it('resolves relative paths against the cwd, `..` included', () => {
    expect(judge('src/new.ts')).toEqual([]);
    expect(judge('src/../README.md')).toEqual([]);
    expect(judge('../outside/write-outside.txt')).toEqual([path.join(outside, 'write-outside.txt')]);
    expect(judge('src/../../outside/x')).toEqual([path.join(outside, 'x')]);
  });

  it('follows symlinks of the existing part, as the kernel would', () => {
    expect(judge('link-out/x.txt')).toEqual([path.join(outside, 'x.txt')]);
    expect(judge(path.join(target, 'link-out', 'new-dir', 'x.txt'))).toEqual([path.join(outside, 'new-dir', 'x.txt')]);
    // `..` after a link is the parent of the link's target, not the directory holding the link
    expect(judge('link-deep/../y.txt')).toEqual([path.join(outside, 'y.txt')]);
    expect(judge('link-src/z.ts')).toEqual([]);
    // a dangling link is written through: its target counts
    expect(judge('dangling-out')).toEqual([path.join(outside, 'not-yet', 'file.txt')]);
    // the target named through a link is still the target
    expect(judge(path.join(root, 'project-alias', 'src', 'a.ts'))).toEqual([]);
  });

  it('says when a symlink took the path outside', () => {
    const [violation] = violations([writeCall('link-out/x.txt')], run, roots);
    expect(violation!['reason']).toBe(
      `Write writes link-out/x.txt (it resolves to ${path.join(outside, 'x.txt')} through a symlink), outside the allowed roots`,
    );
  });

  it('allows the agent’s own state dir but not another agent’s, and expands ~ with the run’s home', () => {
    expect(judge('~/.claude/settings.json')).toEqual([]);
    expect(judge(path.join(home, '.claude.json'))).toEqual([]);
    expect(judge('~/.codex/config.toml')).toEqual([path.join(home, '.codex', 'config.toml')]);
    expect(judge('~/.bashrc')).toEqual([path.join(home, '.bashrc')]);
  });

  it('does not let a temp dir that holds the target allow the target’s siblings', () => {
    expect(roots).not.toContain(os.tmpdir()); // root (and so the target) is under os.tmpdir() here
    const elsewhere = allowedWriteRoots({ agent: 'claude', target, allowWrite: [], env: {}, home, tempDirs: [outside] });
    expect(violations([writeCall(path.join(outside, 'scratch.txt'))], run, elsewhere)).toEqual([]);
  });
});

describe('realResolve', () => {
  it('never throws, even on a symlink loop', () => {
    const dir = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'loop-')));
    try {
      symlinkSync(path.join(dir, 'b'), path.join(dir, 'a'));
      symlinkSync(path.join(dir, 'a'), path.join(dir, 'b'));
      expect(realResolve('a/x', dir).startsWith(dir)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
