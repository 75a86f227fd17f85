import { describe, expect, it } from 'vitest';
import { PollBeat, pollBeat } from '../../../../src/safety/limits/poll-beat.js';
import { ManualClock } from '../../../helpers/manual-clock.js';

describe('PollBeat', () => {
  it('polls each run at once, then all of them on one shared timer every interval', () => {
    const clock = new ManualClock();
    const beat = new PollBeat(clock, 200);
    const seen: string[] = [];
    beat.add(() => seen.push(`a@${clock.now()}`));
    clock.advance(50);
    beat.add(() => seen.push(`b@${clock.now()}`));
    expect(clock.pending).toBe(1);
    clock.advance(500);
    // b joined between two beats: its second poll came at the next beat, 150 ms after its first
    expect(seen).toEqual(['a@0', 'b@50', 'a@200', 'b@200', 'a@400', 'b@400']);
  });

  it('stops polling a run that is removed, also from inside its own poll, and leaves no timer once none is left', () => {
    const clock = new ManualClock();
    const beat = new PollBeat(clock, 200);
    let polls = 0;
    const removeA = beat.add(() => {
      polls++;
      if (polls === 2) removeA();
    });
    let b = 0;
    const removeB = beat.add(() => b++);
    clock.advance(600);
    expect(polls).toBe(2);
    expect(b).toBe(4);
    removeB();
    expect(clock.pending).toBe(0);
    clock.advance(1000);
    expect(b).toBe(4);
  });

  it('is one beat per clock and interval', () => {
    const clock = new ManualClock();
    expect(pollBeat(clock, 200)).toBe(pollBeat(clock, 200));
    expect(pollBeat(clock, 200)).not.toBe(pollBeat(clock, 100));
    expect(pollBeat(new ManualClock(), 200)).not.toBe(pollBeat(clock, 200));
  });
});
