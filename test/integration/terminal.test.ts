import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { OrchestrateHarness } from '../helpers/orchestrate-harness.js';
import { PTY_PROVIDER, startInPty, type PtyRun } from '../helpers/pty-run.js';

// orchestrate at a real terminal (a pseudo-terminal, no --headless): it asks the person, and the
// answer typed decides. Every wait is for the question or the exit, failing at once if orchestrate
// ends first; under load a session takes what it takes, so the only time bound is each test's
// generous timeout. Every process started is killed and proven gone.

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const TASK = 'Add a --json flag to the report command';

let h: OrchestrateHarness | undefined;
let pty: PtyRun | undefined;
afterEach(async () => {
  await pty?.kill();
  pty = undefined;
  await h?.cleanup();
  h = undefined;
});

type Entry = Record<string, any> & { type: string };

describe('at a terminal, orchestrate asks the person', { timeout: 300_000 }, () => {
  it('has a pseudo-terminal provider (util-linux script or python3)', () => {
    expect(PTY_PROVIDER, 'install util-linux (script) or python3 to run the terminal tests').toBeDefined();
  });

  it.each([
    { typed: 'n', ran: false },
    { typed: 'y', ran: true },
  ])('a confirm-class command from claude: answer $typed', async ({ typed, ran }) => {
    h = new OrchestrateHarness({ agents: ['claude'], scenarios: { claude: 'confirm-command' }, git: true });
    pty = startInPty(h, ['--agents', 'claude', '--no-review', '--plan', writePlan(h), TASK]);
    await pty.waitFor('allow this command for claude? [y/N]');
    expect(pty.output()).toContain('git push origin main');
    pty.type(`${typed}\n`);
    const exit = await pty.waitExit();
    expect(exit.code).toBe(0);
    const answered = (h.journal() as Entry[]).filter((e) => e.type === 'safety.confirm_answered');
    expect(answered).toEqual([expect.objectContaining({ command: 'git push origin main', answer: ran ? 'allow' : 'deny', by: 'person' })]);
    const pushes = h.fakeLog('claude').filter((r) => r.kind === 'ran' && r.command === 'git push origin main');
    expect(pushes.length).toBe(ran ? 1 : 0);
    expect(await h.waitNoProcesses()).toEqual([]);
  });

  // Unsandboxed root: claude gets acceptEdits and refuses a Write outside its dirs (the recorded
  // claude-outside denial); recovery asks whether to add the dir. (In the sandbox claude runs in
  // bypass mode and bubblewrap itself stops such writes: nothing to recover.)
  // KNOWN GAP (it.fails, so this turns red once fixed: then make it a plain `it`): the refused
  // Write ends in a successful run (exit 0, as recorded for claude-outside) and recovery never
  // asks; the session ends with a path violation and no question. See the report of issue 4.
  (isRoot ? it.fails : it.skip)(
    'a recovery escalation (claude writing outside the allowed roots): answer y → relaunched with the dir, the file lands',
    async () => {
      h = new OrchestrateHarness({ agents: ['claude'], scenarios: { claude: 'recovery-claude-write-outside' } });
      const outside = path.join(h.root, 'outside');
      mkdirSync(outside, { recursive: true });
      pty = startInPty(h, ['--no-sandbox', '--agents', 'claude', '--no-review', '--plan', writePlan(h), TASK]);
      await pty.waitFor(/allow writing \S+ for claude\?/);
      expect(pty.output()).toContain(outside);
      expect(existsSync(path.join(outside, 'claude.txt'))).toBe(false);
      pty.type('y\n');
      const exit = await pty.waitExit();
      const journal = h.journal() as Entry[];
      expect(journal.find((e) => e.type === 'recovery.answered')).toMatchObject({ agent: 'claude' });
      expect(journal.some((e) => e.type === 'recovery.relaunch')).toBe(true);
      expect(readFileSync(path.join(outside, 'claude.txt'), 'utf8')).toBe('hello\n');
      expect(exit.code).toBe(0);
      expect(await h.waitNoProcesses()).toEqual([]);
    },
  );

  it('a review escalation (the reviewer blocks): answer n → exit 8', async () => {
    h = new OrchestrateHarness({ agents: ['claude', 'codex'], scenarios: { codex: 'review-block' }, git: true });
    pty = startInPty(h, ['--agents', 'claude,codex', '--plan', writePlan(h), TASK]);
    await pty.waitFor(/go on\? \[y\/N\]/);
    pty.type('n\n');
    const exit = await pty.waitExit();
    expect(exit.code).toBe(8);
    const journal = h.journal() as Entry[];
    expect(journal.some((e) => e.type === 'review.escalated')).toBe(true);
    expect(journal.find((e) => e.type === 'review.escalation_answered')).toBeDefined();
    expect(h.json('summary.json').exitCode).toBe(8);
    expect(existsSync(path.join(h.sessionDir(), 'summary.md'))).toBe(true);
    expect(await h.waitNoProcesses()).toEqual([]);
  });

  it.each([
    { typed: '', applied: false },
    { typed: 'y', applied: true },
  ])('a successful session ends with the diff stat and asks whether to apply: answer "$typed"', async ({ typed, applied }) => {
    h = new OrchestrateHarness({ agents: ['claude'], scenarios: { claude: 'success' }, git: true });
    pty = startInPty(h, ['--agents', 'claude', '--no-review', '--plan', writePlan(h), TASK]);
    await pty.waitFor('Apply these changes to');
    expect(pty.output()).toContain('fake-success.txt');
    pty.type(`${typed}\n`);
    const exit = await pty.waitExit();
    expect(exit.code).toBe(0);
    expect(existsSync(path.join(h.target, 'fake-success.txt'))).toBe(applied);
    expect(pty.output()).toContain(applied ? 'orchestrate apply --undo' : 'orchestrate apply ');
    expect(await h.waitNoProcesses()).toEqual([]);
  });
});

/** One implementation assignment for claude: one question per test, nothing else to wait for. */
function writePlan(harness: OrchestrateHarness): string {
  const file = path.join(harness.root, 'plan.json');
  writeFileSync(
    file,
    JSON.stringify({ assignments: [{ id: 'impl', agent: 'claude', role: 'implementation', title: 'Add the flag', weight: 1 }] }),
  );
  return file;
}
