import { describe, expect, it } from 'vitest';
import { createConfirmDecider, type AskFn } from '../../../../src/safety/confirm/decider.js';
import type { ConfirmRequest } from '../../../../src/safety/confirm/types.js';

const request: ConfirmRequest = {
  agent: 'gemini',
  command: 'pip install x',
  rule: 'confirm.install',
  reason: 'installs third-party code',
  cwd: '/w',
};
const signal = new AbortController().signal;
const never: AskFn = () => {
  throw new Error('must not ask');
};

describe('createConfirmDecider', () => {
  it('headless: deny by policy unless the session says allow', async () => {
    await expect(createConfirmDecider({ headless: true, ask: never })(request, signal)).resolves.toEqual({ answer: 'deny', by: 'policy' });
    await expect(createConfirmDecider({ headless: true, onConfirm: 'allow', ask: never })(request, signal)).resolves.toEqual({
      answer: 'allow',
      by: 'policy',
    });
  });

  it('at a terminal: asks the person, showing the command and the rule', async () => {
    const asked: string[] = [];
    const ask =
      (reply: 'yes' | 'no' | 'timeout'): AskFn =>
      async (q) => (asked.push(`${q.detail}\n${q.question}`), reply);
    await expect(createConfirmDecider({ headless: false, onConfirm: 'allow', ask: ask('yes') })(request, signal)).resolves.toEqual({
      answer: 'allow',
      by: 'person',
    });
    await expect(createConfirmDecider({ headless: false, ask: ask('no') })(request, signal)).resolves.toEqual({
      answer: 'deny',
      by: 'person',
    });
    await expect(createConfirmDecider({ headless: false, onConfirm: 'allow', ask: ask('timeout') })(request, signal)).resolves.toEqual({
      answer: 'deny',
      by: 'timeout',
    });
    expect(asked[0]).toContain('pip install x');
    expect(asked[0]).toContain('confirm.install');
    expect(asked[0]).toContain('allow this command for gemini?');
  });
});
