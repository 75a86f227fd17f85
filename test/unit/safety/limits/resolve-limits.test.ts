import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../../../src/config/load.js';
import { ConfigError } from '../../../../src/errors.js';
import { DEFAULT_LIMITS, parseSize, resolveLimits } from '../../../../src/safety/limits/resolve-limits.js';

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;

describe('resolveLimits', () => {
  it('gives the defaults for an empty or absent section: 4 GiB, cpu unchecked, 3 samples, 2 s, 4096 processes, 1 GiB tmpfs', () => {
    expect(resolveLimits(undefined)).toEqual({ memoryBytes: 4 * GiB, samples: 3, intervalMs: 2000, processes: 4096, tmpBytes: GiB });
    expect(resolveLimits(parseConfigText('{}').limits)).toEqual(DEFAULT_LIMITS);
    expect(resolveLimits({}).cpuPercent).toBeUndefined();
  });

  it('reads every field of a validated config', () => {
    const config = parseConfigText(
      JSON.stringify({ limits: { memory: '512m', cpu: 150, samples: 2, interval: '500ms', processes: 256, tmp: '64m' } }),
    );
    expect(resolveLimits(config.limits)).toEqual({
      memoryBytes: 512 * MiB,
      cpuPercent: 150,
      samples: 2,
      intervalMs: 500,
      processes: 256,
      tmpBytes: 64 * MiB,
    });
  });

  it('names the field of a bad value', () => {
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ memory: '0m' }, /^limits\.memory: .*"0m"/],
      [{ memory: 'lots' }, /^limits\.memory: .*"lots"/],
      [{ cpu: 0 }, /^limits\.cpu: /],
      [{ samples: 0 }, /^limits\.samples: /],
      [{ samples: 1.5 }, /^limits\.samples: /],
      [{ interval: 'soon' }, /^limits\.interval: .*"soon"/],
      [{ interval: '10ms' }, /^limits\.interval: .*"10ms"/],
    ];
    for (const [limits, message] of cases) {
      const attempt = () => resolveLimits(limits as never);
      expect(attempt, JSON.stringify(limits)).toThrow(ConfigError);
      expect(attempt, JSON.stringify(limits)).toThrow(message);
    }
  });
});

describe('parseSize', () => {
  it('reads binary units, with or without b, any case; a bare number is bytes', () => {
    expect(parseSize('4g')).toBe(4 * GiB);
    expect(parseSize('4GB')).toBe(4 * GiB);
    expect(parseSize('1.5G')).toBe(1.5 * GiB);
    expect(parseSize('512m')).toBe(512 * MiB);
    expect(parseSize('64 kb')).toBe(64 * 1024);
    expect(parseSize('65536')).toBe(65536);
    expect(parseSize('4t')).toBeUndefined();
    expect(parseSize('-1g')).toBeUndefined();
  });
});
