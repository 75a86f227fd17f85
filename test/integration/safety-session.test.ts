import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { FakeCli } from '../helpers/fake-agents.js';
import { OrchestrateHarness, SANDBOX_USABLE } from '../helpers/orchestrate-harness.js';
import { WAIT_CEILING_MS } from '../helpers/until.js';

// Issue 4 "done when", end to end through the orchestrate CLI (headless, built dist/), on the
// simulated agents: block-class commands, confirm-class commands, resource limits, writes
// outside the allowed roots, and what summary.json / summary.md say about them.

let h: OrchestrateHarness | undefined;
afterEach(async () => {
  await h?.cleanup();
  h = undefined;
});

const TASK = 'Add a --json flag to the report command';
const BLOCKED = 'rm -rf "$HOME"';

type Entry = Record<string, any> & { type: string };

/** A scratch HOME holding a marker file: the block-command scenario really deletes HOME if it runs. */
function withMarker(harness: OrchestrateHarness): string {
  const marker = path.join(harness.home, 'marker.txt');
  writeFileSync(marker, 'still here\n');
  return marker;
}

/** The first run directory of `agent` in the newest session. */
function firstRun(harness: OrchestrateHarness, agent: FakeCli): string {
  const summary = harness.json('summary.json');
  const dir = summary.assignments.find((a: any) => a.agent === agent)?.runs?.[0] ?? summary.assignments[0]?.runs?.[0];
  if (typeof dir === 'string') return path.join(harness.sessionDir(), dir);
  return path.join(harness.sessionDir(), 'agents', agent, `1-design-${agent}`);
}

describe('block-class commands never take effect (layer 1 and layer 2)', () => {
  it('claude: the PreToolUse hook asks the decision point and prevents it before it runs; the run goes on; the marker survives', async () => {
    h = new OrchestrateHarness({ agents: ['claude'], scenarios: { claude: 'block-command' } });
    const marker = withMarker(h);
    const exit = await h.run(['--agents', 'claude', '--no-review', TASK]);
    const journal = h.journal() as Entry[];
    const why = JSON.stringify(
      journal.filter((e) => e.type.startsWith('safety.') || e.type === 'agent.exited'),
      null,
      1,
    );
    expect(readFileSync(marker, 'utf8')).toBe('still here\n');
    expect(h.fakeLog('claude').filter((r) => r.kind === 'ran')).toEqual([]);
    // Each of the three claude assignments tries it once; the hook refuses every one.
    const blocked = h.fakeLog('claude').filter((r) => r.kind === 'blocked');
    expect(
      blocked.map((r) => r.by),
      why,
    ).toEqual(['hook', 'hook', 'hook']);
    // Layer 1 decided before execution; layer 2 saw each announcement and left the run alone.
    const violations = journal.filter((e) => e.type === 'safety.violation');
    expect(violations.length, why).toBe(3);
    for (const v of violations)
      expect(v, why).toMatchObject({
        agent: 'claude',
        command: BLOCKED,
        decision: 'block',
        rule: 'block.recursive-delete-outside',
        layer: 'hook',
        action: 'prevented before execution',
      });
    const audit = journal.filter((e) => e.type === 'safety.command' && e.command === BLOCKED);
    expect(audit.length, why).toBe(3);
    for (const a of audit) expect(a.preventedBy === 'hook' || a.awaiting === 'hook', why).toBe(true);
    expect(
      journal.find((e) => e.type === 'safety.hooks_ready'),
      why,
    ).toBeDefined();
    expect(exit.code, why).toBe(0);
    const summary = h.json('summary.json');
    expect(summary.safety.violations.map((v: any) => v.command)).toContain(BLOCKED);

    // The hook of this very session: claude got --settings with the session's hook client and
    // --setting-sources "" (no project or user file can switch it off); fed the same tool call
    // while the session's socket is gone, it still blocks (fail closed: exit 2 with a reason).
    const command = JSON.parse(readFileSync(path.join(firstRun(h, 'claude'), 'command.json'), 'utf8'));
    const argv: string[] = command.agentArgv ?? command.argv;
    expect(argv[argv.indexOf('--setting-sources') + 1]).toBe('');
    const settings = JSON.parse(readFileSync(argv[argv.indexOf('--settings') + 1]!, 'utf8'));
    expect(settings.disableAllHooks).toBe(false);
    expect(settings.hooks.PreToolUse.map((m: any) => m.matcher)).toEqual(['Bash', 'Write|Edit|MultiEdit|NotebookEdit']);
    const hook = settings.hooks.PreToolUse[0].hooks[0].command as string;
    expect(hook).toMatch(/hooks\/hook-client(\.pl)?'? /);
    const input = JSON.stringify({
      hook_event_name: 'PreToolUse',
      tool_name: 'Bash',
      tool_input: { command: 'ls' },
      cwd: h.target,
      session_id: 's',
      tool_use_id: 't',
    });
    const ran = spawnSync('/bin/sh', ['-c', hook], { input, encoding: 'utf8', env: h.env(), timeout: WAIT_CEILING_MS });
    expect(ran.status).toBe(2);
    expect(ran.stderr).toMatch(/orchestrate hook failed closed: cannot reach the supervisor/);
    expect(await h.waitNoProcesses()).toEqual([]);
  });

  it.each(['codex', 'gemini'] as const)(
    '%s: its pre-execution hook asks the decision point and prevents it; the run goes on; the marker survives',
    async (cli) => {
      h = new OrchestrateHarness({ agents: [cli], scenarios: { [cli]: 'block-command' } });
      const marker = withMarker(h);
      const exit = await h.run(['--agents', cli, '--no-review', TASK]);
      const journal = h.journal() as Entry[];
      const why = JSON.stringify(
        journal.filter((e) => e.type.startsWith('safety.') || e.type === 'agent.exited'),
        null,
        1,
      );
      expect(readFileSync(marker, 'utf8')).toBe('still here\n');
      expect(
        h.fakeLog(cli).filter((r) => r.kind === 'ran'),
        why,
      ).toEqual([]);
      const blocked = h.fakeLog(cli).filter((r) => r.kind === 'blocked');
      expect(blocked.length, why).toBeGreaterThan(0);
      for (const b of blocked) expect(b.by, why).toBe('hook');
      const violations = journal.filter((e) => e.type === 'safety.violation');
      expect(violations.length, why).toBe(blocked.length);
      for (const v of violations)
        expect(v, why).toMatchObject({
          agent: cli,
          command: BLOCKED,
          decision: 'block',
          rule: 'block.recursive-delete-outside',
          layer: 'hook',
          action: 'prevented before execution',
        });
      // codex prints nothing for a blocked call; gemini announces it first and layer 2 leaves it to the hook.
      const stream = journal.filter((e) => e.type === 'safety.command' && e.command === BLOCKED);
      if (cli === 'codex') expect(stream, why).toEqual([]);
      else for (const a of stream) expect(a.preventedBy === 'hook' || a.awaiting === 'hook', why).toBe(true);
      expect(exit.code, why).toBe(0);
      const summary = h.json('summary.json');
      expect(summary.safety.violations.map((v: any) => v.command)).toContain(BLOCKED);
      expect(await h.waitNoProcesses()).toEqual([]);
    },
  );
});

describe('confirm-class commands headless', () => {
  it.each([
    { flags: [] as string[], answer: 'deny' },
    { flags: ['--on-confirm', 'allow'], answer: 'allow' },
  ])('$flags: the broker answers $answer by policy', async ({ flags, answer }) => {
    h = new OrchestrateHarness({ agents: ['claude'], scenarios: { claude: 'confirm-command' }, git: true });
    const exit = await h.run(['--agents', 'claude', '--no-review', ...flags, TASK]);
    expect(exit.code).toBe(0);
    const journal = h.journal() as Entry[];
    const answered = journal.filter((e) => e.type === 'safety.confirm_answered');
    expect(answered.length).toBeGreaterThan(0);
    for (const a of answered)
      expect(a).toMatchObject({ agent: 'claude', command: 'git push origin main', rule: 'confirm.external-action', answer, by: 'policy' });
    const pushes = h.fakeLog('claude').filter((r) => r.kind === 'ran' && r.command === 'git push origin main');
    const held = h.fakeLog('claude').filter((r) => r.kind === 'blocked' && r.by === 'hook');
    if (answer === 'deny') {
      expect(pushes).toEqual([]);
      expect(held.length).toBe(answered.length);
    } else {
      expect(pushes.length).toBe(answered.length);
      expect(pushes[0]!.exitCode).not.toBe(0); // no remote: fails harmlessly, but it ran
      expect(held).toEqual([]);
    }
    const summary = h.json('summary.json');
    expect(summary.safety.confirmations.filter((c: any) => c.kind === 'confirm_answered').map((c: any) => c.answer)).toEqual(
      answered.map(() => answer),
    );
    const md = readFileSync(path.join(h.sessionDir(), 'summary.md'), 'utf8');
    expect(md).toContain('git push origin main');
    expect(await h.waitNoProcesses()).toEqual([]);
  });
});

describe('resource limits', () => {
  it('warns, then stops a run whose tree holds more memory than limits.memory, with the figures; exit 6', async () => {
    h = new OrchestrateHarness({
      agents: ['claude'],
      scenarios: { claude: 'memory-hog' },
      config: { limits: { memory: '64m', interval: '100ms', samples: 2 } },
    });
    const exit = await h.run(['--agents', 'claude', '--no-review', TASK]);
    expect(exit.code).toBe(6);
    const journal = h.journal() as Entry[];
    const limits = journal.filter((e) => e.type === 'safety.limit_warning' || e.type === 'safety.limit_exceeded');
    expect(limits.map((e) => e.type)).toEqual(['safety.limit_warning', 'safety.limit_exceeded']);
    const max = 64 * 1024 ** 2;
    expect(limits[0]).toMatchObject({ agent: 'claude', limit: 'memory', max, samples: 1, needed: 2 });
    expect(limits[1]).toMatchObject({ agent: 'claude', limit: 'memory', max, samples: 2, needed: 2 });
    for (const l of limits) expect(l.value).toBeGreaterThan(max);
    const summary = h.json('summary.json');
    expect(summary.exitCode).toBe(6);
    expect(summary.assignments[0]).toMatchObject({ status: 'stopped_by_safety' });
    expect(summary.safety.limits.length).toBeGreaterThan(0);
    expect(await h.waitNoProcesses()).toEqual([]);
  });
});

describe('writes outside the allowed roots', () => {
  it('are journaled as a path violation even though the sandbox kept the file off the host', async () => {
    h = new OrchestrateHarness({ agents: ['claude'], scenarios: { claude: 'write-outside' } });
    const exit = await h.run(['--agents', 'claude', '--no-review', TASK]);
    const outsideFile = path.join(h.root, 'outside', 'write-outside.txt');
    const violations = (h.journal() as Entry[]).filter((e) => e.type === 'safety.violation');
    expect(violations.length).toBeGreaterThan(0);
    expect(violations[0]).toMatchObject({ agent: 'claude', kind: 'path', tool: 'Write', resolved: outsideFile });
    // the host never sees the file: bubblewrap (private /tmp, read-only /) or claude's own refusal
    expect(existsSync(outsideFile)).toBe(false);
    if (!SANDBOX_USABLE) expect(exit.code).not.toBe(1);
    const summary = h.json('summary.json');
    expect(summary.safety.violations.some((v: any) => v.kind === 'path' && v.path === violations[0]!.path)).toBe(true);
    expect(await h.waitNoProcesses()).toEqual([]);
  });
});

describe('the summary tells the safety story', () => {
  it('summary.json and summary.md show the sandbox state, the violations and the confirmations', async () => {
    h = new OrchestrateHarness({ agents: ['claude', 'gemini'], git: true });
    const marker = withMarker(h);
    const exit = await h.run(['--agents', 'gemini,claude', '--no-review', TASK], {
      FAKE_GEMINI_SCENARIO: 'confirm-command',
      FAKE_CLAUDE_SCENARIO: 'confirm-command',
    });
    // the confirmations are asked before the commands run (layer 1) and denied headless, so the runs go
    // on; without the sandbox gemini has no hook and its stream guard stops it
    expect(exit.code, exit.stdout + exit.stderr).toBe(SANDBOX_USABLE ? 0 : 6);
    const summary = h.json('summary.json');
    expect(summary.sandbox).toMatchObject({ active: SANDBOX_USABLE });
    expect(typeof summary.sandbox.reason).toBe('string');
    const md = readFileSync(path.join(h.sessionDir(), 'summary.md'), 'utf8');
    expect(md).toMatch(SANDBOX_USABLE ? /Sandbox: bubblewrap/ : /Sandbox: (off|none|disabled|not)/i);
    expect(md).toMatch(/## Safety/);
    for (const c of summary.safety.confirmations) expect(md).toContain(c.command);
    expect(summary.safety.confirmations.length).toBeGreaterThan(0);
    expect(readFileSync(marker, 'utf8')).toBe('still here\n');

    // and a violation (prevented by gemini's hook before it ran), in both files
    await h.cleanup();
    h = new OrchestrateHarness({ agents: ['gemini'], scenarios: { gemini: 'block-command' } });
    withMarker(h);
    expect((await h.run(['--agents', 'gemini', '--no-review', TASK])).code).toBe(SANDBOX_USABLE ? 0 : 6);
    const blocked = h.json('summary.json');
    expect(blocked.safety.violations[0]).toMatchObject({
      command: BLOCKED,
      rule: 'block.recursive-delete-outside',
      layer: SANDBOX_USABLE ? 'hook' : 'stream',
    });
    const blockedMd = readFileSync(path.join(h.sessionDir(), 'summary.md'), 'utf8');
    expect(blockedMd).toMatch(/## Safety/);
    expect(blockedMd).toContain(BLOCKED);
    expect(await h.waitNoProcesses()).toEqual([]);
  });
});
