import { describe, expect, it } from 'vitest';
import { decideOutcome } from '../../../src/supervisor/run-outcome.js';
import { exitCodeFor } from '../../../src/supervisor/supervisor.js';
import { EXIT } from '../../../src/errors.js';

const ok = { code: 0, signal: null };

describe('decideOutcome', () => {
  it('succeeds only with an ok final event and exit 0', () => {
    expect(decideOutcome({ exit: ok, final: { ok: true } }).status).toBe('succeeded');
  });
  it('fails a run that exits 0 without its final event (gemini after SIGTERM to the group)', () => {
    const o = decideOutcome({ exit: ok });
    expect(o.status).toBe('failed');
    expect(o.reason).toMatch(/without its final event \(exit code 0\)/);
  });
  it('fails a false success: exit 0 with an error result', () => {
    const o = decideOutcome({ exit: ok, final: { ok: false, error: 'API Error: 500' } });
    expect(o.status).toBe('failed');
    expect(o.reason).toContain('API Error: 500');
  });
  it('fails a non-zero exit after an ok result', () => {
    expect(decideOutcome({ exit: { code: 1, signal: null }, final: { ok: true } }).status).toBe('failed');
  });
  it('names the startup refusal from stderr', () => {
    const o = decideOutcome({
      exit: { code: 1, signal: null },
      stderrLastLine: 'Not inside a trusted directory and --skip-git-repo-check was not specified.',
    });
    expect(o.reason).toContain('--skip-git-repo-check');
  });
  it.each([
    ['timeout', 'timed_out'],
    ['stall', 'stalled'],
    ['interrupt', 'interrupted'],
    ['safety', 'stopped_by_safety'],
  ] as const)('a stop by %s is %s whatever the stream said', (by, status) => {
    expect(decideOutcome({ exit: { code: null, signal: 'SIGKILL' }, final: { ok: true }, stoppedBy: by }).status).toBe(status);
  });
});

describe('exitCodeFor', () => {
  it('takes the strictest outcome', () => {
    expect(exitCodeFor(['succeeded', 'succeeded'], false)).toBe(EXIT.OK);
    expect(exitCodeFor(['succeeded', 'failed', 'skipped'], false)).toBe(EXIT.AGENT_FAILED);
    expect(exitCodeFor(['failed', 'stopped_by_safety'], false)).toBe(EXIT.SAFETY);
    expect(exitCodeFor(['stopped_by_safety', 'interrupted'], false)).toBe(EXIT.INTERRUPTED);
    expect(exitCodeFor(['succeeded'], true)).toBe(EXIT.INTERRUPTED);
  });
});
