import { describe, expect, it } from 'vitest';
import { fallbackPrompt, freshSessionPrompt, interruptedPrompt, resumePrompt } from '../../../src/recovery/prompts.js';

const work = {
  failedAgent: 'claude' as const,
  reason: 'the model API kept failing',
  filesChanged: ['src/a.js', 'test/a.test.js'],
  lastMessages: ['MILESTONE: parser done', 'now the CLI flag'],
};

describe('recovery prompts', () => {
  it('say what changed and to continue', () => {
    const text = resumePrompt({ why: 'claude was refused a write to /data/x', flagDiff: ['+ --add-dir /data'] });
    expect(text).toContain('because claude was refused a write to /data/x');
    expect(text).toContain('  + --add-dir /data');
    expect(text).toMatch(/Continue the same task where you left off/);
    expect(interruptedPrompt()).toMatch(/interrupted[\s\S]*continue/i);
  });

  it('carry the work so far to another agent, after the original prompt', () => {
    const text = fallbackPrompt('Your role: implementation\nTask: add --json', work);
    expect(text.startsWith('Your role: implementation\nTask: add --json\n\n## Work so far\nclaude worked on this')).toBe(true);
    expect(text).toContain('- src/a.js\n- test/a.test.js');
    expect(text).toContain('> now the CLI flag');
    expect(freshSessionPrompt('Task: x', work)).toContain('earlier session that cannot be resumed');
  });

  it('stay bounded whatever the history', () => {
    const huge = {
      ...work,
      filesChanged: Array.from({ length: 500 }, (_, i) => `src/file-${i}.js`),
      lastMessages: Array.from({ length: 20 }, () => 'x'.repeat(50_000)),
    };
    const text = fallbackPrompt('Task: x', huge);
    expect(text.length).toBeLessThan(6_200);
    expect(text).toContain('Task: x');
  });
});
