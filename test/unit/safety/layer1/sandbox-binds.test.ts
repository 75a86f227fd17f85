import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bwrapSandboxPlan } from '../../../../src/supervisor/create-sandbox-plan.js';

// codex's generated rules are shown over $CODEX_HOME/rules; the state dir itself is bound
// writable, so the rules bind must come after it to win.
const root = mkdtempSync(path.join(os.tmpdir(), 'sandbox-binds-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const home = path.join(root, 'home');
const target = path.join(root, 'project');
const workspace = path.join(target, '.orchestrate');
const rules = path.join(workspace, 'sessions', 's1', 'policy', 'codex', 'codex-rules');
for (const d of [home, rules]) mkdirSync(d, { recursive: true });

const plan = bwrapSandboxPlan({
  bwrap: 'bwrap',
  reason: 'test',
  target,
  workspace,
  allowWrite: [],
  home,
  stateRoot: path.join(root, 'state'),
  runAsRoot: false,
});

describe('extra read-only binds', () => {
  it('come after the writable state dir and the workspace, as --ro-bind source dest', () => {
    const dest = path.join(home, '.codex', 'rules');
    const { args } = plan.wrap(
      { file: 'codex', args: ['exec'], env: {} },
      {
        agent: 'codex',
        env: { HOME: home },
        sessionDir: path.join(workspace, 'sessions', 's1'),
        extraReadOnlyBinds: [{ source: rules, dest }],
      },
    );
    const at = (...seq: string[]): number => args.findIndex((_, i) => seq.every((s, j) => args[i + j] === s));
    const state = at('--bind', path.join(root, 'state', 's1', 'codex', '0-.codex'), path.join(home, '.codex'));
    const ws = at('--ro-bind', workspace, workspace);
    const bind = at('--ro-bind', rules, dest);
    expect(state).toBeGreaterThanOrEqual(0);
    expect(bind).toBeGreaterThan(state);
    expect(bind).toBeGreaterThan(ws);
    expect(bind).toBeLessThan(args.indexOf('--'));
  });

  it('skip a source that does not exist (bwrap would refuse to start)', () => {
    const { args } = plan.wrap(
      { file: 'codex', args: [], env: {} },
      {
        agent: 'codex',
        env: { HOME: home },
        sessionDir: path.join(root, 's2'),
        extraReadOnlyBinds: [{ source: path.join(root, 'missing'), dest: '/x' }],
      },
    );
    expect(args).not.toContain(path.join(root, 'missing'));
  });
});
