import { describe, expect, it } from 'vitest';
import { AGENT_IDS } from '../../../src/agents/agent-id.js';
import { ADAPTERS, getAdapter } from '../../../src/agents/registry.js';

describe('adapter registry', () => {
  it.each(AGENT_IDS)('holds the %s adapter under its own id', (id) => {
    expect(getAdapter(id)).toBe(ADAPTERS[id]);
    expect(getAdapter(id).id).toBe(id);
    expect(getAdapter(id).defaultExecutable).toBe(id);
  });

  it('creates a fresh parser per run', () => {
    const adapter = getAdapter('gemini');
    expect(adapter.createParser()).not.toBe(adapter.createParser());
  });
});
