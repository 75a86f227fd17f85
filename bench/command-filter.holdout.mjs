#!/usr/bin/env node
// Scores the command filter on a JSONL case file ({"cmd", "decision"} a line; default: the held-out
// set test/unit/safety/command-filter/command-holdout.jsonl), against the built dist/ or another build (--dist DIR).
// Prints the rates the issue asks for and, with --misses, every case that did not get its decision.
// Usage: node bench/command-filter.holdout.mjs [file.jsonl] [--dist DIR] [--misses]
import { readFileSync } from 'node:fs';
import { pathToFileURL, fileURLToPath } from 'node:url';
import path from 'node:path';
import { BENCH_FILTER_CONTEXT } from './filter-context.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const distAt = args.indexOf('--dist');
const dist = distAt >= 0 ? path.resolve(args[distAt + 1]) : path.join(root, 'dist');
const file =
  args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--dist') ?? `${root}test/unit/safety/command-filter/command-holdout.jsonl`;
const { classifyCommand } = await import(pathToFileURL(path.join(dist, 'safety/command-filter/index.js')).href);
const ctx = BENCH_FILTER_CONTEXT;
const rows = readFileSync(file, 'utf8')
  .split('\n')
  .filter((l) => l.trim())
  .map((l) => JSON.parse(l));
const counts = {};
const misses = [];
for (const r of rows) {
  const v = classifyCommand(r.cmd, ctx);
  const key = `${r.decision}->${v.decision}`;
  counts[key] = (counts[key] ?? 0) + 1;
  if (v.decision !== r.decision) misses.push({ expect: r.decision, got: v.decision, rule: v.rule, cmd: r.cmd });
}
const n = (d) => rows.filter((r) => r.decision === d).length;
const pct = (a, b) => (b === 0 ? 100 : Number(((100 * a) / b).toFixed(1)));
const c = (k) => counts[k] ?? 0;
console.log(
  JSON.stringify({
    file: path.relative(root, file),
    rows: rows.length,
    blockAllowed: c('block->allow'),
    blockBlockedPct: pct(c('block->block'), n('block')),
    confirmHeldPct: pct(c('confirm->confirm') + c('confirm->block'), n('confirm')),
    allowAllowedPct: pct(c('allow->allow'), n('allow')),
    counts,
  }),
);
if (args.includes('--misses')) for (const m of misses) console.log(JSON.stringify(m));
