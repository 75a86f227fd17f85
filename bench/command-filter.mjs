#!/usr/bin/env node
// Throughput and latency of the command filter, against the built dist/ (npm run build).
// Classifies every command of test/unit/safety/command-filter/command-table.json N times and, in the same
// loop, parses the same lines with the bare parser (mvdan-sh) as a baseline.
// With --baseline DIR (another build's dist/, e.g. main's), that build's classifyCommand is timed
// in the same loop too, and the JSON line carries the ratios to it (the "at most 2x").
// Usage: node bench/command-filter.mjs [iterations] [--baseline DIR]   → one JSON line on stdout.
import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';
import { BENCH_FILTER_CONTEXT } from './filter-context.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const filter = await import(new URL('../dist/safety/command-filter/index.js', import.meta.url).href);
const { classifyCommand, parseShell, warmUpShellParser, parseCommandPolicy } = filter;

const argv = process.argv.slice(2);
const baseAt = argv.indexOf('--baseline');
const baseDir = baseAt >= 0 ? path.resolve(argv[baseAt + 1]) : undefined;
const positional = argv.filter((a, i) => !a.startsWith('--') && argv[i - 1] !== '--baseline');
const iterations = Number(positional[0] ?? process.env.CF_BENCH_ITERATIONS ?? 20);
const base = baseDir ? await import(pathToFileURL(path.join(baseDir, 'safety/command-filter/index.js')).href) : undefined;
const rows = JSON.parse(readFileSync(`${root}test/unit/safety/command-filter/command-table.json`, 'utf8'));
const ctx = BENCH_FILTER_CONTEXT;
const cases = rows.map((r) => ({
  cmd: r.cmd,
  policy: r.policy === undefined ? undefined : parseCommandPolicy(r.policy),
  basePolicy: r.policy === undefined || !base ? undefined : base.parseCommandPolicy(r.policy),
}));

const loadMs = warmUpShellParser();
base?.warmUpShellParser();
const parse = (cmd) => {
  try {
    parseShell(cmd);
  } catch {
    /* unparseable rows are part of the workload */
  }
};
for (let w = 0; w < 3; w++)
  for (const c of cases) {
    classifyCommand(c.cmd, ctx, c.policy);
    base?.classifyCommand(c.cmd, ctx, c.basePolicy);
    parse(c.cmd);
  }

const now = () => process.hrtime.bigint();
const classifyUs = [];
const parseUs = [];
const baseUs = [];
let baseTotal = 0n;
let classifyTotal = 0n;
let parseTotal = 0n;
for (let i = 0; i < iterations; i++) {
  for (const c of cases) {
    let t0 = now();
    classifyCommand(c.cmd, ctx, c.policy);
    let dt = now() - t0;
    classifyTotal += dt;
    classifyUs.push(Number(dt) / 1000);
    if (base) {
      t0 = now();
      base.classifyCommand(c.cmd, ctx, c.basePolicy);
      dt = now() - t0;
      baseTotal += dt;
      baseUs.push(Number(dt) / 1000);
    }
    t0 = now();
    parse(c.cmd);
    dt = now() - t0;
    parseTotal += dt;
    parseUs.push(Number(dt) / 1000);
  }
}
const stats = (xs, total) => {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p) => Number(s[Math.min(s.length - 1, Math.floor(p * s.length))].toFixed(1));
  const seconds = Number(total) / 1e9;
  return {
    perSec: Math.round(xs.length / seconds),
    p50Us: q(0.5),
    p90Us: q(0.9),
    p99Us: q(0.99),
    meanUs: Number(((seconds * 1e6) / xs.length).toFixed(1)),
    maxUs: q(1 - 1e-12),
  };
};
const classify = stats(classifyUs, classifyTotal);
const bare = stats(parseUs, parseTotal);
const baseline = base ? stats(baseUs, baseTotal) : undefined;
console.log(
  JSON.stringify({
    bench: 'command-filter',
    node: process.version,
    commands: cases.length,
    iterations,
    samples: classifyUs.length,
    parserLoadMs: Number(loadMs.toFixed(1)),
    classify,
    bareParse: bare,
    ratioMean: Number((classify.meanUs / bare.meanUs).toFixed(2)),
    ratioP50: Number((classify.p50Us / bare.p50Us).toFixed(2)),
    ...(baseline && {
      baseline,
      vsBaselineP50: Number((classify.p50Us / baseline.p50Us).toFixed(2)),
      vsBaselineP99: Number((classify.p99Us / baseline.p99Us).toFixed(2)),
      vsBaselineMean: Number((classify.meanUs / baseline.meanUs).toFixed(2)),
    }),
  }),
);
