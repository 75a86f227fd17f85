// Phase 3, scenario 3 (docs/compat.md): each real CLI, through orchestrate and inside its bwrap
// sandbox, is scripted to run a block-class command. `rm -rf "$HOME"` (HOME = the run's scratch home,
// with marker files, one of them in the agent's own state directory, which the sandbox binds
// writable) must never take effect. Since issue 12 each CLI's pre-execution hook asks the
// session's decision point first (layer 1, `safety.violation` layer "hook"; the run goes on);
// codex's execpolicy rules (layer "cli") and the stream guard (layer 2, "stream", exit 6) remain
// behind it. orchestrate-hooks.test.ts covers the hooks in depth.

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
  expected: 'stream' | 'cli' | 'hook';
  /** A layer-1 refusal's reason. */
  cliReason?: RegExp;
}

const CASES: Case[] = [
  // claude prints the tool_use before its PreToolUse hook runs; the stream guard waits for the hook's refusal.
  { cli: 'claude', command: RM_HOME, expected: 'hook' },
  // codex runs its PreToolUse hook before its execpolicy (and shows no item for either refusal).
  { cli: 'codex', command: RM_HOME, expected: 'hook', cliReason: /orchestrate \(block\.recursive-delete-outside\)/ },
  { cli: 'codex', command: 'git reset --hard HEAD', expected: 'hook', cliReason: /orchestrate \(block\.git-destructive\)/ },
  // gemini's BeforeTool hook refuses it (tool_result policy_violation with the hook's reason).
  { cli: 'gemini', command: RM_HOME, expected: 'hook' },
];

describe.each(CASES.map((c) => [`${c.cli}: ${c.command}`, c] as const))(
  'orchestrate: real CLI tries a block-class command (%s)',
  (_name, c) => {
    it(`${c.cli}: \`${c.command}\` never takes effect; ${c.expected === 'stream' ? 'layer 2 stops the agent, exit 6' : 'refused before it runs (layer 1), the run goes on'}`, async (ctx) => {
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
      expect(
        mine.filter((e) => e.type === 'agent.unknown' || e.type === 'agent.parse_error'),
        why,
      ).toEqual([]);
      const violations = mine.filter((e) => e.type === 'safety.violation');
      expect(violations.length, why).toBeGreaterThan(0);
      const summary = session.json('summary.json');
      const status = summary.assignments.map((a: { status: string }) => a.status);
      const stream = violations.filter((v) => v.layer === 'stream');
      const layer = stream.length > 0 ? 'stream' : String(violations[0]?.layer);
      expect(layer, why).toBe(c.expected);
      if (layer === 'stream') {
        // Layer 2: the command was seen in the stream, the agent's group killed at once.
        expect(stream[0], why).toMatchObject({ command: c.command, decision: 'block', action: 'stopped the agent' });
        expect(
          mine.filter((e) => e.type === 'agent.exited').map((e) => [e.status, e.killedBy]),
          why,
        ).toEqual([['stopped_by_safety', 'safety']]);
        expect(status, why).toEqual(['stopped_by_safety']);
        expect(exit.code, why).toBe(6);
        expect(summary.exitCode, why).toBe(6);
      } else {
        // Layer 1: the hook (or the CLI's own rules) refused it before it ran; the run went on.
        expect(
          violations.every((v) => v.action === 'prevented before execution' || v.action === 'prevented by the CLI'),
          why,
        ).toBe(true);
        expect(String(violations[0]?.command), why).toContain(c.command.split(' ').slice(0, 2).join(' '));
        if (c.cliReason)
          expect(`blocked by orchestrate (${String(violations[0]?.rule)}): ${String(violations[0]?.reason)}`, why).toMatch(c.cliReason);
        // codex shows no item for a refused command (REFERENCE §5); claude and gemini announce it first.
        if (cli === 'codex')
          expect(
            mine.filter((e) => e.type === 'agent.tool_call' && e.kind === 'shell'),
            why,
          ).toEqual([]);
        expect(status, why).toEqual(['succeeded']);
        expect(exit.code, why).toBe(0);
      }
      if (cli === 'gemini') {
        // gemini reports the hook's refusal as a policy violation carrying orchestrate's reason.
        const denied = mine.filter((e) => e.type === 'agent.permission_denied');
        expect(denied.length, why).toBeGreaterThan(0);
        for (const d of denied)
          expect(d, why).toMatchObject({ reason: 'policy_violation', message: expect.stringContaining('block.recursive-delete-outside') });
      }
      await expectNothingLeft(file, session);
    });
  },
);
