import { describe, expect, it } from 'vitest';
import { DEFAULT_MATRIX, reviewerChain } from '../../../src/review/matrix.js';

const summary = (steps: ReturnType<typeof reviewerChain>) => steps.map((s) => `${s.tier}:${s.reviewer}${s.degraded ? '!' : ''}`);

describe('reviewerChain', () => {
  it('defaults to a ring: codex reviews claude, claude reviews gemini, gemini reviews codex', () => {
    expect(DEFAULT_MATRIX).toEqual({ claude: 'codex', gemini: 'claude', codex: 'gemini' });
  });

  it('tries the preferred reviewer, the other agents, the author itself, then orchestrate', () => {
    expect(summary(reviewerChain('claude', ['gemini', 'claude', 'codex']))).toEqual([
      'preferred:codex',
      'other:gemini',
      'self:claude!',
      'mechanical:orchestrate!',
    ]);
  });

  it('skips an unavailable preferred reviewer and says why', () => {
    const steps = reviewerChain('claude', ['gemini', 'claude']);
    expect(summary(steps)).toEqual(['other:gemini', 'self:claude!', 'mechanical:orchestrate!']);
    expect(steps[0]?.reason).toContain("codex (the matrix's reviewer for claude) is not available");
  });

  it('takes the other agents in the order of `available`', () => {
    expect(summary(reviewerChain('codex', ['claude', 'codex'], { codex: 'gemini' }))).toEqual([
      'other:claude',
      'self:codex!',
      'mechanical:orchestrate!',
    ]);
    expect(summary(reviewerChain('gemini', ['codex', 'claude', 'gemini'], { gemini: 'gemini' }))).toEqual([
      'other:codex',
      'other:claude',
      'self:gemini!',
      'mechanical:orchestrate!',
    ]);
  });

  it('follows the configured matrix', () => {
    expect(summary(reviewerChain('claude', ['gemini', 'claude', 'codex'], { claude: 'gemini' }))).toEqual([
      'preferred:gemini',
      'other:codex',
      'self:claude!',
      'mechanical:orchestrate!',
    ]);
  });

  it('alone: only the degraded tiers', () => {
    expect(summary(reviewerChain('gemini', ['gemini']))).toEqual(['self:gemini!', 'mechanical:orchestrate!']);
    expect(summary(reviewerChain('gemini', []))).toEqual(['mechanical:orchestrate!']);
  });
});
