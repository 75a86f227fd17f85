/**
 * How one agent run ended, as the summary reports it. Here at the top of src/ because the
 * supervisor decides it and recovery plans from it.
 */
export type RunStatus =
  'succeeded' | 'failed' | 'timed_out' | 'stalled' | 'interrupted' | 'stopped_by_safety' | 'escalated' | 'ceiling_reached';

/**
 * An assignment's statuses after which it will not run again (every RunStatus, and `skipped`):
 * the scheduler stops waiting on it, the budget stops reserving for it.
 */
export const FINAL_STATUSES: ReadonlySet<string> = new Set<RunStatus | 'skipped'>([
  'succeeded',
  'failed',
  'timed_out',
  'stalled',
  'interrupted',
  'stopped_by_safety',
  'skipped',
  'escalated',
  'ceiling_reached',
]);
