import { describe, expect, it } from 'vitest';
import { confirmRouting } from '../../../src/supervisor/session-launch.js';

// Who answers a confirm-class command, for every combination of a terminal, the run's page and
// --on-confirm: the behaviour `orchestrate "<task>"` has always had, now decided in one place.
describe('confirmRouting', () => {
  it.each([
    // at a terminal the person is asked whatever --on-confirm says; CLIs that cannot wait get deny
    { terminal: true, page: false, onConfirm: undefined, asks: true, fallback: 'deny' },
    { terminal: true, page: true, onConfirm: 'allow', asks: true, fallback: 'deny' },
    { terminal: true, page: false, onConfirm: 'deny', asks: true, fallback: 'deny' },
    // headless with the page: asked there, unless --on-confirm says what to do
    { terminal: false, page: true, onConfirm: undefined, asks: true, fallback: 'deny' },
    { terminal: false, page: true, onConfirm: 'allow', asks: false, fallback: 'allow' },
    { terminal: false, page: true, onConfirm: 'deny', asks: false, fallback: 'deny' },
    // nobody to ask: the policy, default deny
    { terminal: false, page: false, onConfirm: undefined, asks: false, fallback: 'deny' },
    { terminal: false, page: false, onConfirm: 'allow', asks: false, fallback: 'allow' },
  ] as const)('terminal $terminal, page $page, --on-confirm $onConfirm: asks $asks, fallback $fallback', (c) => {
    expect(confirmRouting({ terminal: c.terminal, page: c.page }, c.onConfirm)).toEqual({ asks: c.asks, fallback: c.fallback });
  });
});
