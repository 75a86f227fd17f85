import { describe, expect, it } from 'vitest';
import { resolveClockTime } from '../../../src/recovery/clock-time.js';
import { findRateLimitReset } from '../../../src/recovery/rate-limit-reset.js';

// codex prints a usage limit's reset as local wall-clock time (chrono `%-I:%M %p`, `%b %-d`).
const NOW = new Date(2026, 11, 5, 14, 0).getTime();

describe('resolveClockTime', () => {
  it.each([
    ['3:15 PM', new Date(2026, 11, 5, 15, 15)],
    ['1:05 PM', new Date(2026, 11, 6, 13, 5)], // already past today: tomorrow
    ['12:00 AM', new Date(2026, 11, 6, 0, 0)],
    ['Dec 29 10:15 PM', new Date(2026, 11, 29, 22, 15)],
    ['Dec 29th, 2026 10:15 PM', new Date(2026, 11, 29, 22, 15)],
    ['Jan 2 9:00 AM', new Date(2027, 0, 2, 9, 0)], // a month already past: next year
  ])('%s', (text, expected) => {
    expect(resolveClockTime(text, NOW)).toBe(expected.getTime());
  });

  it('is undefined for anything else', () => {
    expect(resolveClockTime('soon', NOW)).toBeUndefined();
    expect(resolveClockTime('Foo 3 1:00 PM', NOW)).toBeUndefined();
  });

  it("finds codex's usage-limit text in its final error", () => {
    const hint = findRateLimitReset({
      events: [
        {
          type: 'agent.result',
          ok: false,
          error:
            'You’ve hit your usage limit. Visit https://chatgpt.com/codex/settings/usage to purchase more credits or try again at 3:15 PM.',
        },
      ],
      stderr: '',
    });
    expect(hint).toEqual({ resetClock: '3:15 PM', source: 'try again at' });
  });
});
