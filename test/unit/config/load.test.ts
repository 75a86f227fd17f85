import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../../src/config/load.js';
import { parseDuration } from '../../../src/config/duration.js';
import { ConfigError, EXIT } from '../../../src/errors.js';

describe('parseConfigText', () => {
  it('accepts a full config', () => {
    const config = parseConfigText(
      JSON.stringify({
        agents: { claude: { executable: '/opt/claude', model: 'opus', args: ['--x'], env: { A: 'b' } }, gemini: { enabled: false } },
        roles: { design: ['claude'] },
        weights: { design: 0.5 },
        timeout: '45m',
        sandbox: { allowWrite: ['/data'] },
      }),
    );
    expect(config.agents.claude?.executable).toBe('/opt/claude');
    expect(config.agents.gemini?.enabled).toBe(false);
    expect(config.agents.gemini?.args).toEqual([]);
  });

  it.each([
    [{ agents: { gpt: {} } }, /agents: Unrecognized key/i],
    [{ agents: { claude: { exe: 'x' } } }, /agents\.claude: Unrecognized key/i],
    [{ agents: { claude: { args: 'not-a-list' } } }, /agents\.claude\.args/],
    [{ weights: { design: 2 } }, /weights\.design/],
    [{ roles: { design: ['gpt'] } }, /roles\.design\.0/],
    [{ timeout: 'soon' }, /timeout: not a duration: "soon"/],
    [{ sandbox: { allowWrite: ['relative/dir'] } }, /sandbox\.allowWrite\.0: must be an absolute path/],
  ])('names the field of %j', (raw, message) => {
    expect(() => parseConfigText(JSON.stringify(raw), 'orchestrate.config.json')).toThrow(message);
  });

  it('reports bad JSON with the config exit code', () => {
    try {
      parseConfigText('{', 'x.json');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).exitCode).toBe(EXIT.CONFIG);
      expect((error as ConfigError).message).toMatch(/^x\.json:1:2: not valid JSON/);
    }
  });
});

describe('parseDuration', () => {
  it.each([
    ['90s', 90_000],
    ['15m', 900_000],
    ['1h30m', 5_400_000],
    ['500ms', 500],
    ['2', 2000],
  ])('%s → %d ms', (text, ms) => expect(parseDuration(text)).toBe(ms));
  it.each(['', 'abc', '5 minutes', '-1s', '0s'])('rejects %j', (text) => expect(parseDuration(text)).toBeUndefined());
});
