import { afterEach, describe, expect, it } from 'vitest';
import { OrchestrateHarness } from '../helpers/orchestrate-harness.js';

let h: OrchestrateHarness;
afterEach(async () => h?.cleanup());

describe('known failures are named from the error catalogue', () => {
  it('an API 500 that outlasts the CLI retries is diagnosed with its fix', async () => {
    h = new OrchestrateHarness({ scenarios: { gemini: 'api-error-500' } });
    const exit = await h.run(['Add a --json flag to the report command']);
    expect(exit.code).toBe(5);
    const diagnosis = h.journal().find((e) => e.type === 'recovery.diagnosis');
    expect(diagnosis).toMatchObject({ agent: 'gemini', id: 'gemini.api-server-error', handling: 'retried' });
    const design = h.json('summary.json').assignments[0];
    expect(design.reason).toContain('gemini.api-server-error');
    expect(await h.waitNoProcesses()).toEqual([]);
  });
});
