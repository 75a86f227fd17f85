import { describe, expect, it } from 'vitest';
import { createCommandGuard } from '../../../src/safety/command-guard.js';
import type { RunContext } from '../../../src/safety/event-policy.js';

// a delete inside the workspace is allowed; the same text from a run whose workspace is elsewhere is blocked
const CMD = 'rm -rf /w/p/build';
const contexts: Record<string, { cwd: string; workspaceRoots: string[]; home: string; tmpDirs: string[] }> = {
  inside: { cwd: '/w/p', workspaceRoots: ['/w/p'], home: '/w/h', tmpDirs: ['/tmp'] },
  outside: { cwd: '/w/q', workspaceRoots: ['/w/q'], home: '/w/h', tmpDirs: ['/tmp'] },
};

describe('the stream guard keeps a run’s recent verdicts', () => {
  it('a repeated command gets the same verdict, and each run its own context’s verdict', () => {
    let asked = 0;
    const guard = createCommandGuard((run) => {
      asked++;
      return contexts[run.assignmentId]!;
    });
    const inside: RunContext = { agent: 'claude', assignmentId: 'inside', cwd: '/w/p' };
    const outside: RunContext = { agent: 'claude', assignmentId: 'outside', cwd: '/w/q' };
    const decide = (run: RunContext) => {
      const [first] = guard.onEvent(run, { type: 'agent.tool_call', tool: 'Bash', kind: 'shell', command: CMD, toolId: 't' });
      return first?.type === 'journal' ? first.data['decision'] : 'stopped';
    };
    expect([decide(inside), decide(inside)]).toEqual(['allow', 'allow']);
    expect([decide(outside), decide(outside)]).toEqual(['block', 'block']);
    expect(decide(inside)).toBe('allow');
    expect(asked).toBe(2);
  });
});
