import { describe, expect, it } from 'vitest';
import { classifyCommand, type FilterContext } from '../../../../src/safety/command-filter/index.js';
import { expandPattern, rmHomeOrRootRule, STATIC_BLOCK_RULES, STATIC_CONFIRM_RULES } from '../../../../src/safety/layer1/static-rules.js';

// Layer 1 must never refuse more than the policy: every fixed prefix a CLI is given is one the
// filter itself blocks (or confirms), checked on each rule's example and on every expansion.
const ctx: FilterContext = {
  cwd: '/workspace/project',
  workspaceRoots: ['/workspace/project'],
  home: '/home/dev',
  tmpDirs: ['/tmp', '/var/tmp'],
};

describe('the fixed prefixes given to the CLIs agree with the command filter', () => {
  it.each([...STATIC_BLOCK_RULES, rmHomeOrRootRule('/home/dev')].map((r) => [r.example, r] as const))('block: %s', (example, r) => {
    expect(classifyCommand(example, ctx)).toMatchObject({ decision: 'block', rule: r.rule });
  });

  it.each(STATIC_CONFIRM_RULES.map((r) => [r.example, r] as const))('confirm: %s', (example, r) => {
    expect(classifyCommand(example, ctx)).toMatchObject({ decision: 'confirm', rule: r.rule });
  });

  it('every word sequence a pattern stands for, with an operand, gets the same decision', () => {
    const rules = [...STATIC_BLOCK_RULES, rmHomeOrRootRule('/home/dev'), ...STATIC_CONFIRM_RULES];
    for (const r of rules) {
      const decision = r.rule.startsWith('block.') ? 'block' : 'confirm';
      for (const words of expandPattern(r.pattern)) {
        const cmd = `${words.join(' ')} x`;
        expect(classifyCommand(cmd, ctx).decision, cmd).toBe(decision);
      }
    }
  });

  it('expands alternatives in order', () => {
    expect(expandPattern([['a', 'b'], 'c'])).toEqual([
      ['a', 'c'],
      ['b', 'c'],
    ]);
  });
});
