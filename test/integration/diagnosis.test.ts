import { afterEach, describe, expect, it } from 'vitest';
import { OrchestrateHarness } from '../helpers/orchestrate-harness.js';

let h: OrchestrateHarness;
afterEach(async () => h?.cleanup());

describe('known failures are named from the error catalogue', () => {
  it('an API 500 that outlasts the CLI retries is diagnosed with its fix', async () => {
    // gemini alone: its retries (recovery.maxAttempts, 2) run out and nobody can take over
    h = new OrchestrateHarness({ agents: ['gemini'], scenarios: { gemini: 'api-error-500' } });
    const exit = await h.run(['--agents', 'gemini', 'Add a --json flag to the report command']);
    expect(exit.code).toBe(5);
    const diagnoses = h.journal().filter((e) => e.type === 'recovery.diagnosis');
    expect(diagnoses).toHaveLength(3);
    for (const d of diagnoses) expect(d).toMatchObject({ agent: 'gemini', id: 'gemini.api-server-error', handling: 'retried' });
    const decided = h.journal().filter((e) => e.type === 'recovery.relaunch' || e.type === 'recovery.gave_up');
    expect(decided.map((e) => `${e.type} ${e['cause']}`)).toEqual([
      'recovery.relaunch gemini.api-server-error',
      'recovery.relaunch gemini.api-server-error',
      'recovery.gave_up gemini.api-server-error',
    ]);
    const design = h.json('summary.json').assignments[0];
    expect(design.reason).toContain('gemini.api-server-error');
    expect(await h.waitNoProcesses()).toEqual([]);
  });
});
