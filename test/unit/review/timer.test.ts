import { describe, expect, it } from 'vitest';
import { nextTimerAt, timerDue } from '../../../src/review/timer.js';

describe('review timer', () => {
  it('is due once timerMs has passed since the last review', () => {
    expect(timerDue(1_000, 900_999, 900_000)).toBe(false);
    expect(timerDue(1_000, 901_000, 900_000)).toBe(true);
    expect(nextTimerAt(1_000, 900_000)).toBe(901_000);
  });

  it('is off at 0', () => {
    expect(timerDue(0, Number.MAX_SAFE_INTEGER, 0)).toBe(false);
    expect(nextTimerAt(0, 0)).toBeUndefined();
  });
});
