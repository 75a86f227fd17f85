// A session's sandbox plan computes some parts once (the CLIs' install roots): every launch must
// still get exactly the bwrap argv a plan made fresh for it would give, and what an agent could
// change between two runs (roots appearing or going in writable places) must show at the next one.
import { chmodSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AgentId } from '../../../src/agents/agent-id.js';
import { bwrapSandboxPlan, type BwrapPlanInput } from '../../../src/supervisor/create-sandbox-plan.js';
import type { WrapContext } from '../../../src/supervisor/sandbox-plan.js';
import { sandboxLayout } from '../../helpers/sandbox-layout.js';

const { root, home, target, workspace, stateRoot } = sandboxLayout('sandbox-plan-session-');
const granted = path.join(root, 'granted');

// a CLI as npm installs it: a PATH entry with a symlink into a package whose script names node through env
const pkg = path.join(root, 'prefix', 'lib', 'node_modules', 'cli');
const bin = path.join(root, 'prefix', 'bin');
const nodeDir = path.join(root, 'node', 'bin');
for (const d of [pkg, bin, nodeDir]) mkdirSync(d, { recursive: true });
writeFileSync(path.join(pkg, 'cli.js'), '#!/usr/bin/env node\n');
chmodSync(path.join(pkg, 'cli.js'), 0o755);
symlinkSync(path.join(pkg, 'cli.js'), path.join(bin, 'cli'));
writeFileSync(path.join(nodeDir, 'node'), '');
const cli = path.join(bin, 'cli');
const PATH = `${nodeDir}:${bin}:/usr/bin`;

const input: BwrapPlanInput = {
  bwrap: 'bwrap',
  reason: 'test',
  target,
  workspace,
  allowWrite: [granted],
  home,
  stateRoot,
  runAsRoot: false,
};

type Launch = { agent: AgentId; file: string; ctx?: Partial<WrapContext> };
const LAUNCHES: Launch[] = [
  { agent: 'claude', file: cli },
  { agent: 'codex', file: cli, ctx: { extraWritable: [path.join(root, 'extra')] } },
  { agent: 'gemini', file: '/usr/bin/env' },
  { agent: 'claude', file: cli, ctx: { env: { HOME: home, PATH, TMPDIR: path.join(home, '.claude', 'tmp') } } },
  {
    agent: 'codex',
    file: cli,
    ctx: { workDir: path.join(root, 'copy'), extraReadOnlyBinds: [{ source: pkg, dest: path.join(home, '.codex', 'rules') }] },
  },
];

function argvOf(plan: ReturnType<typeof bwrapSandboxPlan>, l: Launch): string[] {
  const ctx: WrapContext = { agent: l.agent, env: { HOME: home, PATH }, sessionDir: path.join(workspace, 'sessions', 's1'), ...l.ctx };
  const wrapped = plan.wrap({ file: l.file, args: ['-p', 'hi'], env: {} }, ctx);
  return [wrapped.file, ...wrapped.args];
}

describe("a session's sandbox plan, launch after launch", () => {
  it('gives every launch the argv a plan made fresh for it gives, for several layouts, twice over', () => {
    const session = bwrapSandboxPlan(input);
    for (let round = 0; round < 2; round++)
      for (const l of LAUNCHES) expect(argvOf(session, l)).toEqual(argvOf(bwrapSandboxPlan(input), l));
    // the install roots are in it: the package, the PATH entry and node's folder
    const args = argvOf(session, LAUNCHES[0]!);
    for (const d of [path.join(root, 'prefix', 'lib'), bin, nodeDir]) expect(args.join('\n')).toContain(`\n${d}\n`);
  });

  it('sees a writable root appear and go between two runs, and an install root that went', () => {
    const session = bwrapSandboxPlan(input);
    const bound = (args: string[]): boolean => args.some((a, i) => a === '--bind' && args[i + 1] === granted);
    expect(bound(argvOf(session, LAUNCHES[0]!))).toBe(false);
    mkdirSync(granted);
    const withRoot = argvOf(session, LAUNCHES[0]!);
    expect(bound(withRoot)).toBe(true);
    expect(withRoot).toEqual(argvOf(bwrapSandboxPlan(input), LAUNCHES[0]!));
    rmSync(granted, { recursive: true });
    expect(bound(argvOf(session, LAUNCHES[0]!))).toBe(false);
    // node's folder is gone: no longer shown, as a fresh plan would not show it
    rmSync(path.join(root, 'node'), { recursive: true });
    const after = argvOf(session, LAUNCHES[0]!);
    expect(after).not.toContain(nodeDir);
    expect(after).toEqual(argvOf(bwrapSandboxPlan(input), LAUNCHES[0]!));
  });
});
