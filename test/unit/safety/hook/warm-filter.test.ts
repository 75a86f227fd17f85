import { describe, expect, it } from 'vitest';
import { warmAdapters } from '../../../../src/agents/warm-adapters.js';
import { warmFilter } from '../../../../src/safety/hook/warm-filter.js';
import { warmGuards } from '../../../../src/safety/warm-guards.js';

describe('warmFilter', () => {
  it('warms once per process: after the event path warmed it at a session start, the hook server finds it warm', () => {
    warmGuards(warmAdapters()); // what the session's warmEventPath does first
    expect(warmFilter()).toBe(0); // what startHookServer calls next
  });
});
