// Phase 3, scenario 3 (docs/compat.md): each real CLI, through orchestrate and inside its bwrap
// sandbox, is scripted to run a block-class command. `rm -rf "$HOME"` (HOME = the run's scratch home,
// with marker files, one of them in the agent's own state directory, which the sandbox binds
// writable) must never take effect: stopped by orchestrate's stream guard (layer 2:
// `safety.violation` layer "stream", exit 6) or refused by the CLI's own enforcement point that
// orchestrate generated (layer 1: claude's PreToolUse hook, gemini's --policy TOML, codex's
// execpolicy rules under $CODEX_HOME/rules; a layer-1 refusal lets the run go on).

import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CliId } from './real-clis.js';
import { expectNothingLeft, reviewAware, useCompatFile } from './orchestrate-common.js';

const file = useCompatFile();
const RM_HOME = 'rm -rf "$HOME"';
const STATE_DIR = { claude: '.claude', codex: '.codex', gemini: '.gemini' } as const;

interface Case {
  cli: CliId;
  command: string;
  /** What stops it today (pinned; the other outcome is still accepted if it is complete). */
  expected: 'stream' | 'cli';
  /** A layer-1 refusal's reason. */
  cliReason?: RegExp;
}

const CASES: Case[] = [
  // claude's tool_use reaches the stream before its PreToolUse hook has answered: layer 2 wins the race.
  { cli: 'claude', command: RM_HOME, expected: 'stream' },
  // codex shows no item for a command its execpolicy rejects (REFERENCE §5): only the stderr line.
  // Difference X1: codex 0.169's own default.rules forbids `rm -f`-style commands before
  // orchestrate's rules file is consulted ("rm -f style commands are not permitted…").
  { cli: 'codex', command: RM_HOME, expected: 'cli', cliReason: /rm -f style commands are not permitted|orchestrate block\.recursive-delete-outside/ },
  // A block-class prefix that codex's defaults do not forbid: only orchestrate's generated rules
  // (bound over $CODEX_HOME/rules) can refuse it. Harmless if it leaked: the target is no git repo.
  { cli: 'codex', command: 'git reset --hard HEAD', expected: 'cli', cliReason: /orchestrate block\.git-destructive/ },
  // gemini's policy denies it (tool_result policy_violation) and the tool_use event also reaches layer 2.
  { cli: 'gemini', command: RM_HOME, expected: 'stream' },
];

describe.each(CASES.map((c) => [`${c.cli}: ${c.command}`, c] as const))('orchestrate: real CLI tries a block-class command (%s)', (_name, c) => {
  it(`${c.cli}: \`${c.command}\` never takes effect; ${c.expected === 'stream' ? 'layer 2 stops the agent, exit 6' : 'the CLI refuses it (layer 1), the run goes on'}`, async (ctx) => {
    const { cli } = c;
    const scenario = `orch-${cli}-block-${c.command.split(' ')[0]}`;
    file.server.register(scenario, reviewAware({ turns: [{ shell: c.command }, { text: `DONE: ${cli} tried` }] }));
    const session = file.newSession({
      label: scenario,
      agents: { [cli]: scenario },
      extraArgs: cli === 'codex' ? { codex: file.codexArgs(ctx) } : {},
      config: { review: { enabled: false } },
    });
    const markers = [join(session.dirs.home, 'compat-marker.txt'), join(session.dirs.home, STATE_DIR[cli], 'compat-marker.txt')];
    for (const m of markers) {
      mkdirSync(join(m, '..'), { recursive: true });
      writeFileSync(m, 'keep me\n');
    }
    const run = `${cli}-block`;
    const plan = session.writePlan({ assignments: [{ id: run, agent: cli, role: 'implementation', title: 'Clean up', weight: 1 }] });
    const exit = await session.run('Clean up', ['--plan', plan]);
    const why = session.explain(exit);
    expect(exit.timedOut, why).toBe(false);
    for (const m of markers) expect(existsSync(m), `${m} was deleted\n${why}`).toBe(true);

    const mine = session.journal().filter((e) => e.agent === cli);
    expect(mine.filter((e) => e.type === 'agent.unknown' || e.type === 'agent.parse_error'), why).toEqual([]);
    const violations = mine.filter((e) => e.type === 'safety.violation');
    expect(violations.length, why).toBeGreaterThan(0);
    const summary = session.json('summary.json');
    const status = summary.assignments.map((a: { status: string }) => a.status);
    const stream = violations.filter((v) => v.layer === 'stream');
    const layer = stream.length > 0 ? 'stream' : 'cli';
    if (layer !== c.expected) void ctx.annotate(`stopped by layer ${layer}, expected ${c.expected} (both keep the command from running)`);
    if (layer === 'stream') {
      // Layer 2: the command was seen in the stream, the agent's group killed at once.
      expect(stream[0], why).toMatchObject({ command: c.command, decision: 'block', action: 'stopped the agent' });
      expect(mine.filter((e) => e.type === 'agent.exited').map((e) => [e.status, e.killedBy]), why).toEqual([['stopped_by_safety', 'safety']]);
      expect(status, why).toEqual(['stopped_by_safety']);
      expect(exit.code, why).toBe(6);
      expect(summary.exitCode, why).toBe(6);
    } else {
      // Layer 1: the CLI refused it and told the model; orchestrate journaled the refusal, the run went on.
      expect(violations.every((v) => v.layer === 'cli' && v.action === 'prevented by the CLI'), why).toBe(true);
      expect(String(violations[0]?.command), why).toContain(c.command.split(' ').slice(0, 2).join(' '));
      if (c.cliReason) expect(String(violations[0]?.reason), why).toMatch(c.cliReason);
      expect(mine.filter((e) => e.type === 'agent.tool_call' && e.kind === 'shell'), why).toEqual([]); // REFERENCE §5 blind spot
      expect(status, why).toEqual(['succeeded']);
      expect(exit.code, why).toBe(0);
    }
    if (cli === 'gemini') {
      // gemini's own policy (layer 1) refused it too, with orchestrate's reason, if its result came before the kill.
      const denied = mine.filter((e) => e.type === 'agent.permission_denied');
      for (const d of denied) expect(d, why).toMatchObject({ reason: 'policy_violation', message: expect.stringContaining('orchestrate block.recursive-delete-outside') });
    }
    await expectNothingLeft(file, session);
  });
});
