/**
 * How one agent run ended, as the summary reports it. Here at the top of src/ because the
 * supervisor decides it and recovery plans from it.
 */
export type RunStatus =
  'succeeded' | 'failed' | 'timed_out' | 'stalled' | 'interrupted' | 'stopped_by_safety' | 'escalated' | 'ceiling_reached';
