import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { classifyCommand, RULES, WRAPPERS } from '../../../../src/safety/command-filter/index.js';
import type { Verdict } from '../../../../src/safety/command-filter/index.js';
import { loadCommandTable, POLICY_CONTEXT, SOURCES } from './command-table.js';

const rows = loadCommandTable();
const verdicts = new Map<number, Verdict>();
const verdictOf = (i: number): Verdict => {
  let v = verdicts.get(i);
  if (v === undefined) {
    const row = rows[i];
    if (row === undefined) throw new Error(`no row ${i}`);
    v = classifyCommand(row.cmd, POLICY_CONTEXT, row.policy);
    verdicts.set(i, v);
  }
  return v;
};

describe('command table', () => {
  it('has at least 400 rows from the policy and the four peer test suites', () => {
    expect(rows.length).toBeGreaterThanOrEqual(400);
    const families = new Set(rows.map((r) => r.source.split(':')[0]));
    for (const s of ['policy', 'dcg', 'safety-net', 'codex', 'gemini']) expect(families).toContain(s);
    expect([...families].every((f) => f !== undefined && f in SOURCES)).toBe(true);
  });

  it.each(rows.map((r, i) => [i, r.decision, r.rule ?? '', r.cmd] as const))('row %i: %s (%s) %j', (i, decision, rule) => {
    const v = verdictOf(i);
    // the reason is part of the compared object so a failure shows why the filter decided
    expect({ decision: v.decision, rule: v.rule, reason: v.reason }).toMatchObject(rule === '' ? { decision } : { decision, rule });
    expect(v.reason).not.toMatch(/\n/);
  });

  it('hits every rule id of the rule table at least once', () => {
    const hit = new Set(rows.map((_, i) => verdictOf(i).rule));
    const missing = RULES.map((r) => r.id).filter((id) => !hit.has(id));
    expect(missing).toEqual([]);
  });

  it('uses every wrapper of the policy list in at least one row', () => {
    const missing = WRAPPERS.filter((w) => !rows.some((r) => w.sample.test(r.cmd))).map((w) => w.id);
    expect(missing).toEqual([]);
  });

  it('covers every obfuscation class of the policy', () => {
    const reasons = rows
      .map((_, i) => verdictOf(i))
      .filter((v) => v.rule === 'block.obfuscation')
      .map((v) => v.reason);
    for (const cls of ['$IFS', 'brace expansion', 'ANSI-C', 'decoded']) {
      expect(
        reasons.some((r) => r.includes(cls)),
        cls,
      ).toBe(true);
    }
  });
});

describe('docs/command-policy.md', () => {
  const doc = readFileSync(new URL('../../../../docs/command-policy.md', import.meta.url), 'utf8');

  it('names every rule id of the rule table', () => {
    expect(RULES.map((r) => r.id).filter((id) => !doc.includes(`\`${id}\``))).toEqual([]);
  });

  it('lists every wrapper', () => {
    // a table row per wrapper; markdown escapes `|` as `\|`, prettier pads the cells
    const escape = (id: string): string => id.replaceAll('|', '\\|').replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const listed = (id: string): boolean => new RegExp(`^\\| \`${escape(id)}\` +\\|`, 'm').test(doc);
    expect(WRAPPERS.map((w) => w.id).filter((id) => !listed(id))).toEqual([]);
  });
});
