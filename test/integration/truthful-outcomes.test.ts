import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { OrchestrateHarness } from '../helpers/orchestrate-harness.js';

// A session that did nothing, or whose tools the environment refused, never says success.
const TASK = 'Add a --json flag to the report command';
let h: OrchestrateHarness;
afterEach(async () => h?.cleanup());

const of = (h: OrchestrateHarness, type: string): Array<Record<string, unknown>> => h.journal().filter((e) => e.type === type);

describe('environment failures are never a success', () => {
  it('writes refused with EROFS, then a crash: failed with the real error line (not the Node.js footer), escalated headless', async () => {
    h = new OrchestrateHarness({ agents: ['claude'], scenarios: { claude: 'erofs-layout' } });
    const exit = await h.run(['--agents', 'claude', TASK]);
    expect(exit.code, exit.stderr).toBe(8);
    const exited = of(h, 'agent.exited')[0];
    expect(exited).toMatchObject({ agent: 'claude', status: 'failed', finalEvent: false });
    expect(String(exited?.['reason'])).toContain("EROFS: read-only file system, open '/home/agent/.claude.json'");
    expect(String(exited?.['reason'])).not.toContain('Node.js v20');
    expect(of(h, 'recovery.diagnosis').map((d) => d['id'])).toEqual(['claude.file-write-refused', 'claude.crash-file-refused']);
    const summary = h.json('summary.json');
    expect(summary.outcome).toBe('escalation needed');
    // the agent writes in the session's copy of the target, so the refused path is the copy's
    const workDir = h.json('session.json').copy.workDir as string;
    expect(summary.blockers[0].blocker).toContain(
      `could not write ${path.join(workDir, 'src/format-json.js')}: EROFS: read-only file system`,
    );
    expect(exit.stdout).toContain('EROFS: read-only file system');
    expect(await h.waitNoProcesses()).toEqual([]);
  });

  it('a run whose writes all failed but which says "All done" (exit 0, ok result) is a failure, not a success', async () => {
    h = new OrchestrateHarness({ agents: ['claude'], scenarios: { claude: 'erofs-layout' } });
    // the second run of the scenario: every write refused, then a successful final event
    const first = await h.run(['--agents', 'claude', TASK]);
    expect(first.code).toBe(8);
    const again = await h.run(['--agents', 'claude', TASK]);
    expect(again.code, again.stderr).toBe(8);
    const exited = of(h, 'agent.exited')[0];
    expect(exited).toMatchObject({ agent: 'claude', status: 'failed', finalEvent: true, code: 0 });
    expect(String(exited?.['reason'])).toContain("EROFS: read-only file system, open '");
    expect(h.json('summary.json').exitCode).toBe(8);
  });

  it('codex\'s nested sandbox failing (bwrap: execvp …): the "All done" run fails, handed to the next agent', async () => {
    h = new OrchestrateHarness({ agents: ['claude', 'codex'], scenarios: { codex: 'nested-sandbox-fails' } });
    const exit = await h.run(['--agents', 'claude,codex', TASK]);
    expect(exit.code, exit.stderr).toBe(0);
    const codexExit = of(h, 'agent.exited').find((e) => e.agent === 'codex' && e['assignment'] === '3-validation-codex');
    expect(codexExit).toMatchObject({ code: 0, finalEvent: true, status: 'failed' });
    expect(String(codexExit?.['reason'])).toContain('bwrap: execvp codex-linux-sandbox: No such file or directory');
    expect(of(h, 'recovery.fallback')).toEqual([
      expect.objectContaining({ from: 'codex', to: 'claude', cause: 'codex.sandbox-start-failed' }),
    ]);
    expect(h.json('summary.json').assignments[2]).toMatchObject({
      id: '3-validation-codex',
      agent: 'claude',
      status: 'succeeded',
      fallbackFrom: ['codex'],
    });
  });

  it("alone, the same codex ends the session escalated with bwrap's line in the blocker", async () => {
    h = new OrchestrateHarness({ agents: ['codex'], scenarios: { codex: 'nested-sandbox-fails' } });
    const exit = await h.run(['--agents', 'codex', TASK]);
    expect(exit.code, exit.stderr).toBe(8);
    expect(h.json('summary.json').blockers[0].blocker).toContain('bwrap: execvp codex-linux-sandbox: No such file or directory');
  });
});

describe('an implementation that changed nothing', () => {
  it('says so in the outcome, the summary and --json; the reviewer is told the diff is empty', async () => {
    h = new OrchestrateHarness({ agents: ['claude', 'codex'], scenarios: { claude: 'no-change' } });
    const exit = await h.run(['--agents', 'claude,codex', '--json', TASK]);
    expect(exit.code, exit.stderr).toBe(0);
    const summary = h.json('summary.json');
    expect(summary.outcome).toBe('success, nothing changed');
    expect(summary.nothingChanged).toBe(true);
    expect(summary.notes[0]).toContain('Nothing changed: the implementation (2-implementation-claude)');
    const last = JSON.parse(exit.stdout.trim().split('\n').at(-1) ?? '{}');
    expect(last).toMatchObject({ type: 'session.completed', outcome: 'success, nothing changed', nothingChanged: true });
    expect(h.json('session.json').outcome).toBe('success, nothing changed');
    const review = of(h, 'review.reviewer').find((r) => r['assignment'] === '2-implementation-claude' && r['reviewer'] === 'codex');
    expect(review).toBeDefined();
    const prompts = readFileSync(
      path.join(h.sessionDir(), 'reviews', `${String(review?.['review']).padStart(3, '0')}-codex-reviews-claude.prompt.md`),
      'utf8',
    );
    expect(prompts).toContain('The diff is EMPTY: no file was changed.');
  });
});
