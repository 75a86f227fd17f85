import { describe, expect, it } from 'vitest';
import { buildCodexRules } from '../../../../src/safety/layer1/codex-rules.js';
import { codexExecpolicyLib } from './fake-enforcement.js';

const home = '/tmp/scratch/home';
const { parseRules, forbiddenRule } = await codexExecpolicyLib();

describe('codex execpolicy rules, as the simulated codex reads them', () => {
  const rules = parseRules(
    buildCodexRules({
      policy: { block: [{ prefix: 'terraform apply', reason: 'infra goes through CI' }], allow: [] },
      home,
      denyConfirmPrefixes: true,
    }),
  );

  it('are prefix_rule calls with decision forbidden', () => {
    expect(rules.length).toBeGreaterThan(10);
    expect(rules.every((r) => r.decision === 'forbidden')).toBe(true);
  });

  it('forbid block-class commands with the rule id as justification, also inside a compound line', () => {
    expect(forbiddenRule(rules, 'rm -rf "$HOME"')?.justification).toContain('block.recursive-delete-outside');
    expect(forbiddenRule(rules, `cd /x && rm -rf ${home}`)?.justification).toContain('block.recursive-delete-outside');
    expect(forbiddenRule(rules, 'git reset --hard')?.justification).toContain('block.git-destructive');
    expect(forbiddenRule(rules, 'terraform apply -auto-approve')?.justification).toBe(
      'infra goes through CI (orchestrate block.user-rule)',
    );
  });

  it('let ordinary commands through', () => {
    for (const cmd of ['ls', 'rm -rf build', 'rm -rf /tmp/x', 'git status', 'npm test'])
      expect(forbiddenRule(rules, cmd), cmd).toBeUndefined();
  });

  it('forbid the fixed confirm prefixes only when the session denies confirms and no allow rule waives them', () => {
    expect(forbiddenRule(rules, 'git push origin main')?.justification).toContain('confirm.external-action');
    const allowing = parseRules(buildCodexRules({ policy: { block: [], allow: [] }, home, denyConfirmPrefixes: false }));
    expect(forbiddenRule(allowing, 'git push origin main')).toBeUndefined();
    const waived = parseRules(
      buildCodexRules({ policy: { block: [], allow: [{ prefix: 'git push', reason: 'own branches' }] }, home, denyConfirmPrefixes: true }),
    );
    expect(forbiddenRule(waived, 'git push origin main')).toBeUndefined();
    expect(forbiddenRule(waived, 'sudo ls')).toBeDefined();
  });
});
