import { describe, expect, it } from 'vitest';
import { createCommandGuard } from '../../../../src/safety/command-guard.js';
import { PreExecutionLedger, type LedgerAction } from '../../../../src/safety/hook/pre-execution-ledger.js';
import type { RunContext } from '../../../../src/safety/event-policy.js';
import { ManualClock } from '../../../helpers/manual-clock.js';

const CMD = 'git reset --hard';
const ctx = { cwd: '/w/p', workspaceRoots: ['/w/p'], home: '/w/h', tmpDirs: ['/tmp'] };

function setup(announcesBeforeHook = true) {
  const clock = new ManualClock();
  const ledger = new PreExecutionLedger({ announcesBeforeHook, graceMs: 2000, clock });
  const later: LedgerAction[] = [];
  ledger.attach((a) => later.push(...a));
  const run: RunContext = { agent: 'claude', assignmentId: 'a', cwd: '/w/p', ledger };
  const guard = createCommandGuard(() => ctx);
  const call = (toolId: string) => guard.onEvent(run, { type: 'agent.tool_call', tool: 'Bash', kind: 'shell', command: CMD, toolId });
  const result = (toolId: string) => guard.onEvent(run, { type: 'agent.tool_result', toolId, ok: true });
  const denied = (toolId: string) => guard.onEvent(run, { type: 'agent.permission_denied', toolId, message: 'hook' });
  return { clock, ledger, later, call, result, denied };
}

const stops = (actions: LedgerAction[]) => actions.filter((a) => a.type === 'stop');

describe('the stream guard with a live pre-execution hook (the run ledger)', () => {
  it('hook first: the announcement finds it prevented; nothing is stopped, no timer left', () => {
    const s = setup();
    s.ledger.hookDecided(CMD, 'block');
    const actions = s.call('t1');
    expect(actions).toEqual([
      {
        type: 'journal',
        entryType: 'safety.command',
        data: expect.objectContaining({ command: CMD, decision: 'block', preventedBy: 'hook' }),
      },
    ]);
    expect(s.clock.pending).toBe(0);
    expect(stops(s.result('t1'))).toEqual([]);
  });

  it('announcement first: pending until the hook refuses it; then nothing is stopped', () => {
    const s = setup();
    expect(s.call('t1')).toEqual([{ type: 'journal', entryType: 'safety.command', data: expect.objectContaining({ awaiting: 'hook' }) }]);
    s.ledger.hookDecided(CMD, 'block');
    expect(s.clock.pending).toBe(0);
    expect(stops(s.result('t1'))).toEqual([]);
    expect(s.later).toEqual([]);
  });

  it('announcement first, then the CLI shows a result without the hook refusing it: stopped at once', () => {
    const s = setup();
    s.call('t1');
    const actions = s.result('t1');
    expect(actions[0]).toMatchObject({
      type: 'journal',
      entryType: 'safety.violation',
      data: { layer: 'stream', action: 'stopped the agent', detail: 'the CLI ran it without the hook refusing it' },
    });
    expect(stops(actions)).toHaveLength(1);
  });

  it('announcement first, the CLI denies it itself (its own rules): no stop', () => {
    const s = setup();
    s.call('t1');
    expect(s.denied('t1')).toEqual([]);
    expect(s.clock.pending).toBe(0);
  });

  it('announcement first and no hook call within the grace: stopped by the timer', () => {
    const s = setup();
    s.call('t1');
    s.clock.advance(1999);
    expect(s.later).toEqual([]);
    s.clock.advance(1);
    expect(stops(s.later)).toHaveLength(1);
    expect(s.later[0]).toMatchObject({ data: { detail: 'the hook did not decide within 2000 ms' } });
  });

  it('the hook lets through what the stream guard blocks (another cwd, a person said yes): stopped', () => {
    const s = setup();
    s.call('t1');
    s.ledger.hookDecided(CMD, 'allow');
    expect(stops(s.later)).toHaveLength(1);
  });

  it('codex announces only what its hook let through: a block-class command in its stream is stopped at once', () => {
    const s = setup(false);
    s.ledger.hookDecided(CMD, 'block'); // never announced: codex shows no item for it
    expect(stops(s.call('t1'))).toHaveLength(1);
  });

  it('one refusal covers one announcement: the same command announced twice is pending the second time', () => {
    const s = setup();
    s.ledger.hookDecided(CMD, 'block');
    s.call('t1');
    expect(s.call('t2')[0]).toMatchObject({ data: { awaiting: 'hook' } });
  });

  it('close() cancels the timers: nothing fires after the run ended', () => {
    const s = setup();
    s.call('t1');
    s.ledger.close();
    s.clock.advance(5000);
    expect(s.later).toEqual([]);
  });

  it('without a ledger the guard stops a block-class command at once, as before', () => {
    const guard = createCommandGuard(() => ctx);
    const actions = guard.onEvent(
      { agent: 'gemini', assignmentId: 'a', cwd: '/w/p' },
      { type: 'agent.tool_call', tool: 'x', kind: 'shell', command: CMD },
    );
    expect(stops(actions)).toHaveLength(1);
  });
});
