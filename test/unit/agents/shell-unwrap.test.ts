import { describe, expect, it } from 'vitest';
import { decodeShellWord, unwrapShellCommand } from '../../../src/agents/adapters/shell-unwrap.js';

describe('unwrapShellCommand', () => {
  it.each([
    ["/bin/bash -lc 'echo hello > out.txt'", 'echo hello > out.txt'],
    ["/bin/bash -lc 'ls /nonexistent-dir-xyz'", 'ls /nonexistent-dir-xyz'],
    ["/bin/bash -lc 'echo '\\''it'\\''s'\\'' > q.txt'", "echo 'it's' > q.txt"],
    ['/bin/bash -lc \'printf "%s\\n" a\'', 'printf "%s\\n" a'],
    ["bash -lc 'a && b'", 'a && b'],
    ["/bin/zsh -lc 'git status'", 'git status'],
    ["/bin/sh -c 'x | y'", 'x | y'],
    ['/bin/bash -lc ls', 'ls'],
    ['/bin/bash -lc "echo \\"hi\\""', 'echo "hi"'],
    ["/bin/bash -lc 'line1\nline2'", 'line1\nline2'],
  ])('%s → %s', (wrapped, inner) => {
    expect(unwrapShellCommand(wrapped)).toBe(inner);
  });

  it.each([
    'git status',
    "/bin/bash -lc 'a' 'b'",
    "/bin/bash -lc 'unterminated",
    '/bin/bash -lc "echo $HOME"',
    '/bin/bash -lc $(whoami)',
    "/bin/bash -x 'ls'",
  ])('leaves %s as it is', (command) => {
    expect(unwrapShellCommand(command)).toBe(command);
  });
});

describe('decodeShellWord', () => {
  it('joins adjacent quoted and escaped parts into one word', () => {
    expect(decodeShellWord(`'a'"b"\\ c`)).toBe('ab c');
  });

  it('rejects two words', () => {
    expect(decodeShellWord(`'a' 'b'`)).toBeUndefined();
  });
});
