import { describe, expect, it } from 'vitest';
import { buildGeminiPolicy, rmHomeOrRootRegex } from '../../../../src/safety/layer1/gemini-policy.js';
import type { CommandPolicy } from '../../../../src/config/command-policy.js';
import { geminiPolicyLib } from './fake-enforcement.js';

const home = '/tmp/scratch/home';
const none: CommandPolicy = { block: [], allow: [] };
const { parsePolicyToml, decideTool } = await geminiPolicyLib();
const decide = (toml: string, command: string) => decideTool(parsePolicyToml(toml), 'run_shell_command', { command, description: 'x' });

/** gemini 0.61's check on a rule regex (bundle: policy/utils.ts isSafeRegExp): no quantified group. */
function geminiAcceptsRegex(pattern: string): boolean {
  return pattern.length <= 2048 && !/\([^)]*[*+?{].*\)[*+?{]/.test(pattern);
}

/** How gemini 0.61 applies commandRegex: `"command":"<regex>` over the JSON of the call's args. */
function realGeminiMatches(regex: string, command: string): boolean {
  return new RegExp(`"command":"${regex}`).test(JSON.stringify({ command, description: 'x' }));
}

describe('gemini --policy TOML, as the simulated gemini reads it', () => {
  const toml = buildGeminiPolicy({
    policy: { block: [{ prefix: 'terraform apply', reason: 'infra goes through CI' }], allow: [] },
    home,
    denyConfirmPrefixes: true,
  });

  it('denies block-class commands with the rule id and reason, also inside a compound line', () => {
    expect(decide(toml, 'rm -rf "$HOME"')).toEqual({
      decision: 'deny',
      message: expect.stringContaining('block.recursive-delete-outside'),
    });
    expect(decide(toml, 'cd src && git reset --hard HEAD')).toMatchObject({
      decision: 'deny',
      message: expect.stringContaining('block.git-destructive'),
    });
    expect(decide(toml, 'git push --force origin main').message).toContain('block.git-force-push');
    expect(decide(toml, 'shutdown -h now').decision).toBe('deny');
  });

  it('carries the config block prefixes over', () => {
    expect(decide(toml, 'terraform apply -auto-approve')).toEqual({
      decision: 'deny',
      message: 'Tool execution denied by policy. infra goes through CI (orchestrate block.user-rule)',
    });
    expect(decide(toml, 'terraform plan').decision).toBe('allow');
  });

  it('lets ordinary workspace commands through', () => {
    for (const cmd of ['ls -la', 'rm -rf ./build', 'rm -rf /tmp/x', 'npm test', 'git status', 'git push-helper'])
      expect(decide(toml, cmd).decision, cmd).toBe('allow');
  });

  it('denies the fixed confirm prefixes unless the session allows confirms, or a config allow rule waives them', () => {
    expect(decide(toml, 'git push origin main')).toMatchObject({
      decision: 'deny',
      message: expect.stringContaining('confirm.external-action'),
    });
    const allowing = buildGeminiPolicy({ policy: none, home, denyConfirmPrefixes: false });
    expect(decide(allowing, 'git push origin main').decision).toBe('allow');
    expect(decide(allowing, 'git push --force').decision).toBe('deny');
    const waived = buildGeminiPolicy({
      policy: { block: [], allow: [{ prefix: 'git push', reason: 'own branches' }] },
      home,
      denyConfirmPrefixes: true,
    });
    expect(decide(waived, 'git push origin main').decision).toBe('allow');
    expect(decide(waived, 'pip install x').decision).toBe('deny');
  });
});

describe('the recursive-delete regex, as the real gemini 0.61 applies it', () => {
  const regex = rmHomeOrRootRegex(home);

  it('passes gemini’s regex safety check', () => {
    expect(geminiAcceptsRegex(regex)).toBe(true);
  });

  it('matches home and root, quoted or not, in the JSON form', () => {
    for (const cmd of [
      'rm -rf "$HOME"',
      'rm -rf ~',
      'rm -r /',
      'rm -rf /*',
      `rm -fr ${home}`,
      `rm -rf '${home}/'`,
      'rm --recursive ${HOME}',
    ]) {
      expect(realGeminiMatches(regex, cmd), cmd).toBe(true);
    }
  });

  it('does not match paths below them or data', () => {
    for (const cmd of ['rm -rf ./build', 'rm -rf /tmp/x', `rm -rf ${home}/project/build`, 'rm -f ~', 'echo rm -rf /']) {
      expect(realGeminiMatches(regex, cmd), cmd).toBe(false);
    }
  });
});
