import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { meaningfulStderrLine } from '../../../src/events/stderr-reason.js';

describe('meaningfulStderrLine', () => {
  it("gives Node's error line, not the runtime footer, the stack or the error's properties", () => {
    const crash =
      "node:fs:581\n  return binding.open(\n                 ^\n\nError: EROFS: read-only file system, open '/t/src/format-json.js'\n    at Object.openSync (node:fs:581:18)\n    at main (file:///x/cli.js:1:1) {\n  errno: -30,\n  code: 'EROFS',\n  syscall: 'open',\n  path: '/t/src/format-json.js'\n}\n\nNode.js v20.20.2\n";
    expect(meaningfulStderrLine(crash)).toBe("Error: EROFS: read-only file system, open '/t/src/format-json.js'");
  });

  it('keeps the recorded one-line refusals as they are', () => {
    const stderr = readFileSync(new URL('../../../fixtures/streams/claude-root-bypass.stderr.txt', import.meta.url), 'utf8');
    expect(meaningfulStderrLine(stderr)).toBe(stderr.trim().split('\n').at(-1));
    expect(meaningfulStderrLine('\u001b[31mGemini CLI is not running in a trusted directory.\u001b[0m\n')).toBe(
      'Gemini CLI is not running in a trusted directory.',
    );
  });

  it('falls back to the last line that is not noise, and to nothing for empty stderr', () => {
    expect(meaningfulStderrLine('Reading prompt from stdin...\nsomething odd happened\n')).toBe('something odd happened');
    expect(meaningfulStderrLine('\n\n')).toBeUndefined();
  });
});
