/**
 * The fallback review timer, as pure arithmetic: the supervisor keeps `lastReviewAt` per running
 * assignment (its start, then each review's decision), asks its injected Clock, and journals a
 * `review.timer` entry when one is due; the trigger itself comes from that entry (triggers.ts).
 */

/** True when `timerMs` (> 0) has passed since `lastReviewAt`. A timer of 0 is off. */
export function timerDue(lastReviewAt: number, now: number, timerMs: number): boolean {
  return timerMs > 0 && now - lastReviewAt >= timerMs;
}

/** When the timer fires next (ms since the epoch), or undefined when it is off. */
export function nextTimerAt(lastReviewAt: number, timerMs: number): number | undefined {
  return timerMs > 0 ? lastReviewAt + timerMs : undefined;
}
