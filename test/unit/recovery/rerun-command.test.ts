import { describe, expect, it } from 'vitest';
import { rerunCommand, shellQuote } from '../../../src/recovery/rerun-command.js';

describe('shellQuote', () => {
  it('leaves plain words alone and single-quotes the rest', () => {
    expect(shellQuote('--agents')).toBe('--agents');
    expect(shellQuote('/a/b.json')).toBe('/a/b.json');
    expect(shellQuote('')).toBe("''");
    expect(shellQuote('Add a --json flag')).toBe("'Add a --json flag'");
    expect(shellQuote("it's $HOME `x`")).toBe("'it'\\''s $HOME `x`'");
  });
});

describe('rerunCommand', () => {
  it('repeats the invocation, dropping and setting flags', () => {
    const inv = { argv: ['--no-trust', '--config', 'old.json', '--timeout', '45m', 'Fix it'], cwd: '/my project' };
    expect(rerunCommand(inv)).toBe("cd '/my project' && orchestrate --no-trust --config old.json --timeout 45m 'Fix it'");
    expect(rerunCommand(inv, { drop: ['--no-trust'], set: { '--config': '/etc/o.json' } })).toBe(
      "cd '/my project' && orchestrate --config /etc/o.json --timeout 45m 'Fix it'",
    );
    expect(rerunCommand({ argv: ['--config=a.json', 'x'] }, { set: { '--config': 'b.json' } })).toBe('orchestrate --config b.json x');
  });

  it('does not touch words after --', () => {
    expect(rerunCommand({ argv: ['--', '--no-trust'] }, { drop: ['--no-trust'] })).toBe('orchestrate -- --no-trust');
  });
});
