import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { OrchestrateHarness, SANDBOX_USABLE } from '../helpers/orchestrate-harness.js';

let h: OrchestrateHarness;
afterEach(async () => h?.cleanup());

/** A scenario whose agent announces `rm -rf "$HOME"` and runs it 1.5 s later, as a slow CLI might. */
function blockScenario(h: OrchestrateHarness): string {
  // In the log dir: the one scratch folder the sandbox lets agents see (config sandbox.allowWrite).
  const file = path.join(h.logDir, 'block-late.json');
  writeFileSync(
    file,
    JSON.stringify({
      steps: [
        { say: 'MILESTONE: cleaning up' },
        { shell: 'rm -rf "$HOME"', guardHome: true, runAfterMs: 1500 },
        { say: 'DONE: cleaned up' },
      ],
    }),
  );
  return file;
}

describe('safety layer 2: the stream guard', () => {
  // Unsandboxed, gemini has no hook (its settings could not be kept from it): nothing but the
  // guard stands between the agent and the home directory.
  it('stops an agent that announces a block-class command before it runs (--no-sandbox: no gemini hook)', async () => {
    h = new OrchestrateHarness();
    const keep = path.join(h.home, 'keep.txt');
    writeFileSync(keep, 'precious\n');
    const exit = await h.run(['--no-sandbox', 'Add a --json flag to the report command'], { FAKE_GEMINI_SCENARIO: blockScenario(h) });
    expect(exit.code).toBe(6);
    expect(existsSync(keep)).toBe(true);
    expect(h.fakeLog('gemini').some((r) => r.kind === 'ran')).toBe(false);
    const violation = h.journal().find((e) => e.type === 'safety.violation');
    expect(violation).toMatchObject({
      agent: 'gemini',
      command: 'rm -rf "$HOME"',
      rule: 'block.recursive-delete-outside',
      layer: 'stream',
    });
    const summary = h.json('summary.json');
    expect(summary).toMatchObject({ exitCode: 6, outcome: 'stopped by safety' });
    expect(summary.assignments[0]).toMatchObject({ status: 'stopped_by_safety' });
    expect(await h.waitNoProcesses()).toEqual([]);
  });

  // Sandboxed, gemini's BeforeTool hook asks the decision point first; the guard sees the
  // announcement, finds it pending or prevented, and leaves the run alone.
  it.runIf(SANDBOX_USABLE)('leaves to the hook what the hook prevents: no stop, the command never ran', async () => {
    h = new OrchestrateHarness();
    const keep = path.join(h.home, 'keep.txt');
    writeFileSync(keep, 'precious\n');
    const exit = await h.run(['Add a --json flag to the report command'], { FAKE_GEMINI_SCENARIO: blockScenario(h) });
    const journal = h.journal();
    const why = JSON.stringify(
      journal.filter((e) => e.type.startsWith('safety.') || e.type === 'agent.exited'),
      null,
      1,
    );
    expect(existsSync(keep)).toBe(true);
    expect(
      h.fakeLog('gemini').some((r) => r.kind === 'ran'),
      why,
    ).toBe(false);
    expect(
      journal.filter((e) => e.type === 'safety.violation'),
      why,
    ).toEqual([
      expect.objectContaining({ agent: 'gemini', command: 'rm -rf "$HOME"', layer: 'hook', action: 'prevented before execution' }),
    ]);
    expect(exit.code, why).toBe(0);
    expect(await h.waitNoProcesses()).toEqual([]);
  });

  it('journals the decision for every shell command and lets allowed ones run', async () => {
    h = new OrchestrateHarness();
    expect((await h.run(['Add a --json flag to the report command'])).code).toBe(0);
    const decisions = h.journal().filter((e) => e.type === 'safety.command');
    expect(decisions.length).toBeGreaterThan(0);
    expect(decisions.every((d) => d['decision'] === 'allow')).toBe(true);
  });
});
