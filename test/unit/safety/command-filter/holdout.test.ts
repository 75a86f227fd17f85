// The first held-out set (command-holdout.jsonl, written from the families before any
// tuning) must meet the bars: no block-class command allowed, at least 95% of them
// blocked, 90% of confirm cases held, 97% of ordinary commands allowed. The second set
// (command-holdout-2.jsonl) is reported by bench/command-filter.holdout.mjs, not asserted.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { classifyCommand } from '../../../../src/safety/command-filter/index.js';
import type { Decision } from '../../../../src/safety/command-filter/index.js';
import { POLICY_CONTEXT } from './command-table.js';

const rows = readFileSync(new URL('./command-holdout.jsonl', import.meta.url), 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l, i) => {
    const r = JSON.parse(l) as { cmd?: unknown; decision?: unknown };
    if (typeof r.cmd !== 'string' || !['allow', 'confirm', 'block'].includes(String(r.decision)))
      throw new Error(`command-holdout.jsonl line ${i + 1}: expected {"cmd": string, "decision": allow|confirm|block}`);
    return { cmd: r.cmd, decision: r.decision as Decision };
  });

describe('held-out set 1', () => {
  const got = rows.map((r) => ({ ...r, got: classifyCommand(r.cmd, POLICY_CONTEXT).decision }));
  const share = (want: Decision, ok: (d: Decision) => boolean): number => {
    const of = got.filter((r) => r.decision === want);
    return of.filter((r) => ok(r.got)).length / of.length;
  };

  it('has cases of every kind', () => {
    for (const d of ['block', 'confirm', 'allow'] as const) expect(rows.filter((r) => r.decision === d).length).toBeGreaterThan(50);
  });

  it('allows no block-class command', () => {
    // one known case: `read -r c <<< 'rm -rf ~'; $c` — bash does not tilde-expand a variable's
    // value, so this runs `rm -rf ./~` (inside the workspace); the case was written wrong
    const allowed = got.filter((r) => r.decision === 'block' && r.got === 'allow').map((r) => r.cmd);
    expect(allowed).toEqual(["read -r c <<< 'rm -rf ~'; $c"]);
  });

  it('blocks at least 95% of block cases, holds 90% of confirm cases, allows 97% of ordinary ones', () => {
    expect(share('block', (d) => d === 'block')).toBeGreaterThanOrEqual(0.95);
    expect(share('confirm', (d) => d !== 'allow')).toBeGreaterThanOrEqual(0.9);
    expect(share('allow', (d) => d === 'allow')).toBeGreaterThanOrEqual(0.97);
  });
});
