// Agents work in a session copy; their results reach the checkout only through `orchestrate
// apply`, as data. Through the CLI, with the simulated agents (sandboxed when bubblewrap works).
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/errors.js';
import { OrchestrateHarness, SANDBOX_USABLE } from '../helpers/orchestrate-harness.js';

let h: OrchestrateHarness;
afterEach(async () => h?.cleanup());

const NO_REVIEW = { review: { enabled: false } };
const TASK = 'Add a line to the readme';

function git(cwd: string, ...args: string[]): string {
  const r = spawnSync('git', ['-c', 'user.name=p', '-c', 'user.email=p@x', ...args], { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** A plan with one assignment per entry; `after` makes it depend on the one before. */
function planFile(h: OrchestrateHarness, items: Array<{ id: string; agent: string; after?: string }>): string {
  const file = path.join(h.root, 'plan.json');
  const assignments = items.map((a) => ({ id: a.id, agent: a.agent, title: `do ${a.id}`, weight: 1, dependsOn: a.after ? [a.after] : [] }));
  writeFileSync(file, JSON.stringify({ assignments }));
  return file;
}

/** A git target with the person's uncommitted change to README.md and an untracked notes.txt. */
function gitTargetWithWork(h: OrchestrateHarness): void {
  git(h.target, 'add', '-A');
  git(h.target, 'commit', '-qm', "the person's project");
  appendFileSync(path.join(h.target, 'README.md'), "the person's uncommitted note\n");
  writeFileSync(path.join(h.target, 'notes.txt'), 'untracked notes\n');
}

const read = (h: OrchestrateHarness, rel: string): string => readFileSync(path.join(h.target, rel), 'utf8');

describe('session copies', () => {
  it('leaves the checkout alone, starts agents from what the person sees, and applies three-way; undo restores', async () => {
    h = new OrchestrateHarness({ agents: ['claude'], git: true, config: NO_REVIEW });
    gitTargetWithWork(h);
    const scenario = h.scenario('append', [
      // the agent sees the person's uncommitted note and untracked file in its copy
      { shell: 'grep -q "uncommitted note" README.md && test -f notes.txt && printf "agent line\\n" >> README.md' },
      { write: { path: 'agent.txt', content: 'from the agent\n' } },
      { say: 'DONE: appended' },
    ]);
    const readmeBefore = read(h, 'README.md');
    const exit = await h.run(['--agents', 'claude', '--plan', planFile(h, [{ id: 'work', agent: 'claude' }]), TASK], {
      FAKE_CLAUDE_SCENARIO: scenario,
    });
    expect(exit.code, exit.stderr + exit.stdout).toBe(0);
    // nothing reached the checkout; git status shows only the person's own work (.orchestrate/ is excluded)
    expect(read(h, 'README.md')).toBe(readmeBefore);
    expect(existsSync(path.join(h.target, 'agent.txt'))).toBe(false);
    expect(git(h.target, 'status', '--porcelain').split('\n').filter(Boolean).sort()).toEqual([' M README.md', '?? notes.txt']);
    const session = h.json('session.json');
    expect(session.copy.workDir.startsWith(h.home)).toBe(true);
    expect(readFileSync(path.join(session.copy.workDir, 'README.md'), 'utf8')).toBe(`${readmeBefore}agent line\n`);
    const committed = h.journal().filter((e) => e.type === 'copy.committed');
    expect(committed).toHaveLength(1);
    expect(committed[0]).toMatchObject({ agent: 'claude', assignment: 'work', added: 1, modified: 1, deleted: 0 });
    expect(exit.stdout).toContain(`orchestrate apply ${session.id}`);

    const diff = await h.cli(['diff', session.id]);
    expect(diff.code).toBe(0);
    expect(diff.stdout).toContain('+agent line');
    expect(diff.stdout).toContain('agent.txt');
    const perAssignment = await h.cli(['diff', session.id, '--assignment', 'work', '--stat']);
    expect(perAssignment.stdout).toContain('README.md');

    // the person edits the top of the file meanwhile: a clean three-way apply
    writeFileSync(path.join(h.target, 'README.md'), `# edited title\n${readmeBefore.split('\n').slice(1).join('\n')}`);
    const edited = read(h, 'README.md');
    const apply = await h.cli(['apply', session.id]);
    expect(apply.code, apply.stderr).toBe(0);
    expect(apply.stdout).toContain('merged with your changes (README.md)');
    expect(read(h, 'README.md')).toBe(`${edited}agent line\n`);
    expect(read(h, 'agent.txt')).toBe('from the agent\n');
    expect((await h.cli(['apply', session.id])).code).toBe(EXIT.USAGE); // already applied

    const undo = await h.cli(['apply', '--undo', session.id]);
    expect(undo.code, undo.stderr).toBe(0);
    expect(read(h, 'README.md')).toBe(edited);
    expect(existsSync(path.join(h.target, 'agent.txt'))).toBe(false);
  });

  it("in a linked worktree (its .git is a file), the session folder stays out of the person's git status and apply lands there", async () => {
    h = new OrchestrateHarness({ agents: ['claude'], git: true, config: NO_REVIEW });
    gitTargetWithWork(h);
    git(h.target, 'add', '-A');
    git(h.target, 'commit', '-qm', 'the person commits');
    const linked = path.join(h.root, 'linked tree');
    git(h.target, 'worktree', 'add', '-q', '-b', 'feature', linked);
    const scenario = h.scenario('linked', [{ write: { path: 'agent.txt', content: 'from the agent\n' } }, { say: 'DONE: wrote' }]);
    const exit = await h.run(['--agents', 'claude', '--target', linked, TASK], { FAKE_CLAUDE_SCENARIO: scenario });
    expect(exit.code, exit.stderr + exit.stdout).toBe(0);
    expect(git(linked, 'status', '--porcelain')).toBe('');
    const apply = await h.cli(['apply', 'last', '--target', linked]);
    expect(apply.code, apply.stderr).toBe(0);
    expect(readFileSync(path.join(linked, 'agent.txt'), 'utf8')).toBe('from the agent\n');
    expect(git(linked, 'status', '--porcelain')).toBe('?? agent.txt\n');
  });

  it("refuses to apply over the person's conflicting change, naming the file, and writes nothing; discard removes the copy", async () => {
    h = new OrchestrateHarness({ agents: ['claude'], git: true, config: NO_REVIEW });
    gitTargetWithWork(h);
    const scenario = h.scenario('append', [
      { shell: 'printf "agent line\\n" >> README.md' },
      { write: { path: 'agent.txt', content: 'x\n' } },
    ]);
    const exit = await h.run(['--agents', 'claude', '--plan', planFile(h, [{ id: 'work', agent: 'claude' }]), TASK], {
      FAKE_CLAUDE_SCENARIO: scenario,
    });
    expect(exit.code, exit.stderr).toBe(0);
    const id = h.json('session.json').id as string;
    appendFileSync(path.join(h.target, 'README.md'), 'the person wrote here too\n');
    const mine = read(h, 'README.md');
    const apply = await h.cli(['apply', id]);
    expect(apply.code).toBe(EXIT.APPLY_REFUSED);
    expect(apply.stderr).toContain('conflict: README.md');
    expect(read(h, 'README.md')).toBe(mine);
    expect(existsSync(path.join(h.target, 'agent.txt'))).toBe(false);

    const copyRoot = h.json('session.json').copy.root as string;
    expect(existsSync(copyRoot)).toBe(true);
    // sandboxed, the agent ran with a private copy of its CLI's state (its login too)
    const agentState = path.join(h.home, '.local', 'state', 'orchestrate', 'agent-state', id);
    if (SANDBOX_USABLE) expect(existsSync(path.join(agentState, 'claude'))).toBe(true);
    const discard = await h.cli(['discard', id]);
    expect(discard.code, discard.stderr).toBe(0);
    expect(existsSync(copyRoot)).toBe(false);
    expect(existsSync(agentState)).toBe(false);
    expect(read(h, 'README.md')).toBe(mine);
    expect((await h.cli(['apply', id])).code).toBe(EXIT.USAGE);
  });

  it('two sessions at once in one target: separate copies; the second applies three-way onto the first', async () => {
    h = new OrchestrateHarness({ agents: ['claude'], git: true, config: NO_REVIEW });
    gitTargetWithWork(h);
    const plan = planFile(h, [{ id: 'work', agent: 'claude' }]);
    const top = h.scenario('top', [{ shell: 'sed -i "1i first session" data/sales.csv' }]);
    const bottom = h.scenario('bottom', [{ shell: 'printf "second session\\n" >> data/sales.csv' }]);
    const [a, b] = await Promise.all([
      h.run(['--agents', 'claude', '--plan', plan, 'first task'], {
        FAKE_CLAUDE_SCENARIO: top,
        FAKE_AGENT_STATE_DIR: path.join(h.root, 'fa1'),
      }),
      h.run(['--agents', 'claude', '--plan', plan, 'second task'], {
        FAKE_CLAUDE_SCENARIO: bottom,
        FAKE_AGENT_STATE_DIR: path.join(h.root, 'fa2'),
      }),
    ]);
    expect([a.code, b.code]).toEqual([0, 0]);
    const sessions = h.sessionDirs().map((d) => JSON.parse(readFileSync(path.join(d, 'session.json'), 'utf8')));
    const first = sessions.find((s) => s.task === 'first task');
    const second = sessions.find((s) => s.task === 'second task');
    expect(first.copy.workDir).not.toBe(second.copy.workDir);
    const original = read(h, 'data/sales.csv');
    expect((await h.cli(['apply', first.id])).code).toBe(0);
    const applied = await h.cli(['apply', second.id]);
    expect(applied.code, applied.stderr).toBe(0);
    expect(read(h, 'data/sales.csv')).toBe(`first session\n${original}second session\n`);
  });

  it('a target that is not a git repository: a plain copy with a baseline, applied as files', async () => {
    h = new OrchestrateHarness({ agents: ['codex'], config: NO_REVIEW });
    const scenario = h.scenario('edit', [
      { shell: 'printf "more\\n" >> README.md && rm data/sales.csv' },
      { write: { path: 'src/new.js', content: 'export {};\n' } },
    ]);
    const readme = read(h, 'README.md');
    const exit = await h.run(['--agents', 'codex', '--plan', planFile(h, [{ id: 'work', agent: 'codex' }]), TASK], {
      FAKE_CODEX_SCENARIO: scenario,
    });
    expect(exit.code, exit.stderr).toBe(0);
    expect(h.json('session.json').copy.kind).toBe('plain');
    expect(existsSync(path.join(h.target, 'src/new.js'))).toBe(false);
    const apply = await h.cli(['apply', 'last']);
    expect(apply.code, apply.stderr).toBe(0);
    expect(read(h, 'README.md')).toBe(`${readme}more\n`);
    expect(read(h, 'src/new.js')).toBe('export {};\n');
    expect(existsSync(path.join(h.target, 'data/sales.csv'))).toBe(false);
    expect((await h.cli(['apply', '--undo', 'last'])).code).toBe(0);
    expect(existsSync(path.join(h.target, 'data/sales.csv'))).toBe(true);
  });

  it('parallel assignments get their own copies; a conflict between them is escalated with the exact file', async () => {
    h = new OrchestrateHarness({ agents: ['claude', 'codex'], git: true, config: NO_REVIEW });
    gitTargetWithWork(h);
    const plan = planFile(h, [
      { id: 'a-claude', agent: 'claude' },
      { id: 'b-codex', agent: 'codex' },
    ]);
    const claude = h.scenario('claude-shared', [
      { write: { path: 'shared.txt', content: 'claude wrote this\n' } },
      { write: { path: 'only-claude.txt', content: 'c\n' } },
    ]);
    const codex = h.scenario('codex-shared', [{ write: { path: 'shared.txt', content: 'codex wrote that\n' } }]);
    const exit = await h.run(['--agents', 'claude,codex', '--plan', plan, TASK], {
      FAKE_CLAUDE_SCENARIO: claude,
      FAKE_CODEX_SCENARIO: codex,
    });
    expect(exit.code).toBe(EXIT.ESCALATION);
    const session = h.json('session.json');
    const dirs = h
      .journal()
      .filter((e) => e.type === 'assignment.started')
      .map((e) => e['assignment']);
    expect(dirs.sort()).toEqual(['a-claude', 'b-codex']);
    // merged in plan order: a-claude first, b-codex conflicts on shared.txt
    expect(
      h
        .journal()
        .filter((e) => e.type === 'copy.merged')
        .map((e) => e['assignment']),
    ).toEqual(['a-claude']);
    const conflict = h.journal().find((e) => e.type === 'copy.merge_conflict');
    expect(conflict).toMatchObject({ assignment: 'b-codex', files: ['shared.txt'] });
    expect(
      h
        .json('summary.json')
        .blockers.map((b: { blocker: string }) => b.blocker)
        .join('\n'),
    ).toContain('shared.txt');
    expect(session.assignments['b-codex'].status).toBe('escalated');
    // the session branch holds a-claude's work only
    const diff = await h.cli(['diff', session.id, '--stat']);
    expect(diff.stdout).toContain('only-claude.txt');
    expect(existsSync(path.join(h.target, 'shared.txt'))).toBe(false);
  });
});
