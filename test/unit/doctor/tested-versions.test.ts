import { describe, expect, it } from 'vitest';
import { compareVersions, versionIn } from '../../../src/doctor/compare-version.js';
import { TESTED_VERSIONS } from '../../../src/doctor/tested-versions.js';
// @ts-expect-error: a plain .mjs script without types
import { COMPAT_SETS } from '../../../scripts/install-compat-clis.mjs';

describe('the versions doctor compares against', () => {
  it("are the compat suite's pinned and newest sets", () => {
    const sets = COMPAT_SETS as Record<'pinned' | 'newest', Record<string, { pkg: string; version: string }>>;
    for (const [agent, tested] of Object.entries(TESTED_VERSIONS)) {
      expect(tested).toEqual({ pkg: sets.pinned[agent]!.pkg, pinned: sets.pinned[agent]!.version, newest: sets.newest[agent]!.version });
    }
  });

  it("reads each CLI's --version line and orders versions numerically", () => {
    expect(versionIn('2.1.330 (Claude Code)')).toBe('2.1.330');
    expect(versionIn('codex-cli 0.169.0')).toBe('0.169.0');
    expect(versionIn('0.61.0')).toBe('0.61.0');
    expect(versionIn('dev build')).toBeUndefined();
    expect(compareVersions('0.61.0', '0.9.9')).toBeGreaterThan(0);
    expect(compareVersions('2.1.330', '2.1.330')).toBe(0);
    expect(compareVersions('2.0.14', '2.1.330')).toBeLessThan(0);
  });
});
