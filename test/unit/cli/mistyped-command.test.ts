import { describe, expect, it } from 'vitest';
import { editDistance, refuseMistypedCommand } from '../../../src/cli/mistyped-command.js';

const COMMANDS = ['sessions', 'show', 'logs', 'check-command', 'ctl', 'replay', 'resume', 'hook', 'diff', 'apply', 'discard'];

describe('refuseMistypedCommand', () => {
  it.each(['sesions', 'session', 'Sessions', 'shwo', 'log', 'replya', 'resmue', 'discrad', 'aply', 'help', 'HELP', '?'])(
    'refuses "%s"',
    (word) => {
      expect(() => refuseMistypedCommand(word, COMMANDS)).toThrow(/did you mean "orchestrate /);
    },
  );

  it.each(['Fix the flaky date test', 'refactor', 'lint', 'upgrade', 'document', 'tests'])('lets the task "%s" through', (task) => {
    expect(() => refuseMistypedCommand(task, COMMANDS)).not.toThrow();
  });

  it('uses the registered names it is given, so a new subcommand is covered', () => {
    expect(() => refuseMistypedCommand('exprot', COMMANDS)).not.toThrow();
    expect(() => refuseMistypedCommand('exprot', [...COMMANDS, 'export'])).toThrow(/"export"/);
  });

  it('counts a swap of neighbours as one edit', () => {
    expect(editDistance('shwo', 'show')).toBe(1);
    expect(editDistance('sesions', 'sessions')).toBe(1);
    expect(editDistance('tests', 'show')).toBe(5);
  });
});
