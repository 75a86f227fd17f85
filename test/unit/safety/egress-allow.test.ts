import { describe, expect, it } from 'vitest';
import { allowedEndpoints, isAllowed, loopbackPorts } from '../../../src/safety/network/egress-allow.js';

describe("an agent's network allow list", () => {
  it("is its CLI's configured base URL (a local one included), not the others'", () => {
    const env = {
      ANTHROPIC_BASE_URL: 'http://127.0.0.1:4100/s/ok',
      OPENAI_BASE_URL: 'https://other.example',
      GOOGLE_GEMINI_BASE_URL: 'https://g.example',
    };
    expect(allowedEndpoints('claude', env, [], [])).toEqual([{ host: '127.0.0.1', port: 4100 }]);
    expect(allowedEndpoints('gemini', env, [], [])).toEqual([{ host: 'g.example', port: 443 }]);
  });

  it('codex: the base_url of its -c model provider; without one, its public API', () => {
    expect(allowedEndpoints('codex', {}, ['-c', 'model_providers.s.base_url="http://127.0.0.1:4200/s/ok/v1"'], [])).toEqual([
      { host: '127.0.0.1', port: 4200 },
    ]);
    expect(allowedEndpoints('codex', {}, [], []).map((e) => e.host)).toContain('api.openai.com');
  });

  it("adds orchestrate's confirm broker and the person's hosts", () => {
    const allow = allowedEndpoints(
      'claude',
      { ORCHESTRATE_CONFIRM: '127.0.0.1:5555:abcdefabcdefabcdef' },
      [],
      ['registry.npmjs.org', 'git.corp:8443', '.pkg.dev'],
    );
    expect(isAllowed(allow, '127.0.0.1', 5555)).toBe(true);
    expect(isAllowed(allow, 'registry.npmjs.org', 443)).toBe(true);
    expect(isAllowed(allow, 'git.corp', 8443)).toBe(true);
    expect(isAllowed(allow, 'git.corp', 443)).toBe(false);
    expect(isAllowed(allow, 'europe-npm.pkg.dev', 443)).toBe(true);
    expect(isAllowed(allow, 'pkg.dev.evil.com', 443)).toBe(false);
    expect(isAllowed(allow, 'api.anthropic.com', 443)).toBe(true);
    expect(isAllowed(allow, '127.0.0.1', 8080)).toBe(false);
    expect(loopbackPorts(allow)).toEqual([5555]);
  });
});
