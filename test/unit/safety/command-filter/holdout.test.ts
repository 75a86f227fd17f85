// The held-out sets (written from the families and outside sources before the filter was
// scored on them; each then used to find families, so no longer unseen) must meet the issue's
// bars: no block-class command allowed, at least 95% of them blocked, 90% of confirm cases held,
// 97% of ordinary commands allowed. bench/command-filter.holdout.mjs prints the same figures.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { classifyCommand } from '../../../../src/safety/command-filter/index.js';
import type { Decision } from '../../../../src/safety/command-filter/index.js';
import { POLICY_CONTEXT } from './command-table.js';

function readSet(file: string): { cmd: string; decision: Decision }[] {
  return readFileSync(new URL(`./${file}`, import.meta.url), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l, i) => {
      const r = JSON.parse(l) as { cmd?: unknown; decision?: unknown };
      if (typeof r.cmd !== 'string' || !['allow', 'confirm', 'block'].includes(String(r.decision)))
        throw new Error(`${file} line ${i + 1}: expected {"cmd": string, "decision": allow|confirm|block}`);
      return { cmd: r.cmd, decision: r.decision as Decision };
    });
}

const SETS = [
  {
    name: 'held-out set 1',
    file: 'command-holdout.jsonl',
    // one known case: `read -r c <<< 'rm -rf ~'; $c` — bash does not tilde-expand a variable's
    // value, so this runs `rm -rf ./~` (inside the workspace); the case was written wrong
    allowedBlocks: ["read -r c <<< 'rm -rf ~'; $c"],
  },
  { name: 'held-out set 2', file: 'command-holdout-2.jsonl', allowedBlocks: [] },
  { name: 'held-out set 3', file: 'command-holdout-3.jsonl', allowedBlocks: [] },
  // written from the families, GTFOBins, dcg's false-negative reports and bash/git docs;
  // before its fixes: 94.8% blocked, 5 block-class commands allowed, 93.4% confirms held, 98.4% allowed
  { name: 'held-out set 4', file: 'command-holdout-4.jsonl', allowedBlocks: [] },
  // written by an engineer who never read the filter, its table or sets 1-4, from COMMAND-POLICY.md,
  // the families, GTFOBins, dcg's corpora and ordinary workflows; scored but never used for
  // fixes: on main before round 4, 99.1% blocked, 0 allowed, 100% held, 99.4% allowed; after, 99.5/0/100/99.4;
  // then its one block miss was read and its family fixed (a program's \n escapes): 100/0/100/99.4
  { name: 'held-out set 5', file: 'command-holdout-5.jsonl', allowedBlocks: [] },
];

for (const set of SETS) {
  describe(set.name, () => {
    const rows = readSet(set.file);
    const got = rows.map((r) => ({ ...r, got: classifyCommand(r.cmd, POLICY_CONTEXT).decision }));
    const share = (want: Decision, ok: (d: Decision) => boolean): number => {
      const of = got.filter((r) => r.decision === want);
      return of.filter((r) => ok(r.got)).length / of.length;
    };

    it('has cases of every kind, ordinary ones at least a third', () => {
      for (const d of ['block', 'confirm', 'allow'] as const) expect(rows.filter((r) => r.decision === d).length).toBeGreaterThan(40);
      if (set.file === 'command-holdout-3.jsonl')
        expect(rows.filter((r) => r.decision === 'allow').length * 3).toBeGreaterThanOrEqual(rows.length);
    });

    it('allows no block-class command', () => {
      const allowed = got.filter((r) => r.decision === 'block' && r.got === 'allow').map((r) => r.cmd);
      expect(allowed).toEqual(set.allowedBlocks);
    });

    it('blocks at least 95% of block cases, holds 90% of confirm cases, allows 97% of ordinary ones', () => {
      expect(share('block', (d) => d === 'block')).toBeGreaterThanOrEqual(0.95);
      expect(share('confirm', (d) => d !== 'allow')).toBeGreaterThanOrEqual(0.9);
      expect(share('allow', (d) => d === 'allow')).toBeGreaterThanOrEqual(0.97);
    });
  });
}
