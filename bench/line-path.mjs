// The in-process cost of one streamed line, through the real path of a run: 10-line chunks of
// recorded claude lines into runAgent (line splitting, the priced claude adapter, the run's fold
// and stop watch, the session's command and path guards), the journal on disk, and the journal's
// subscribers of a headless session (the headless reporter, the review coordinator with review
// off). Only the process is faked (an injected spawner hands runAgent the chunks), so no fork,
// no pipe, no /proc. CPU is process.cpuUsage(): V8's GC and compiler threads count.
//
//   node bench/line-path.mjs [--baseline DIST] [--lines N] [--rounds N]
// `--baseline DIST`: another build's dist folder (e.g. main's, copied), measured in the same
// process, rounds interleaved; best of N for each. Figures are reported, never asserted.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { recordedClaudeLines } from './recorded-lines.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const CHUNK_LINES = 10;

async function loadBuild(dist) {
  const at = (p) => import(pathToFileURL(path.join(dist, p)).href);
  const [
    { runAgent },
    { getAdapter },
    { pricedAdapter },
    { Journal },
    { systemClock },
    { sessionPolicies },
    config,
    reporter,
    reviews,
    paths,
  ] = await Promise.all([
    at('supervisor/agent-run.js'),
    at('agents/registry.js'),
    at('budget/priced-parser.js'),
    at('session/journal.js'),
    at('clock.js'),
    at('supervisor/session-launch.js'),
    at('config/load.js'),
    at('dashboard/headless-reporter.js'),
    at('supervisor/review-coordinator.js'),
    at('session/paths.js'),
  ]);
  return {
    dist,
    runAgent,
    adapter: pricedAdapter(getAdapter('claude'), undefined, {}),
    Journal,
    clock: systemClock,
    policies: (env) => sessionPolicies({ config: config.parseConfigText('{}'), env }),
    createHeadlessReporter: reporter.createHeadlessReporter,
    ReviewCoordinator: reviews.ReviewCoordinator,
    runPaths: (dir, run) => paths.runPaths(paths.sessionPaths(dir), 'claude', run),
  };
}

/** One run of `chunks` through `build`; returns CPU and wall milliseconds and what reached the journal. */
async function oneRun(build, chunks, dir, round) {
  const file = path.join(dir, `events-${round}.jsonl`);
  const journal = new build.Journal(file, build.clock);
  let printed = 0;
  journal.subscribe(build.createHeadlessReporter(() => printed++, false));
  const coordinator = new build.ReviewCoordinator(journal, { enabled: false, timerMs: 0 });
  coordinator.start({ journal, opts: { clock: build.clock }, stop: { stopped: false } }, new Map());
  const env = { PATH: process.env.PATH ?? '', HOME: os.homedir() };
  const spawner = async (options) => {
    for (const chunk of chunks) options.onStdout(chunk);
    return {
      pid: 2 ** 22 + 1,
      exited: Promise.resolve({ code: 0, signal: null }),
      stderrTail: () => '',
      stop: async () => {},
      kill: () => {},
    };
  };
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await build.runAgent(
    {
      agent: 'claude',
      assignmentId: 'bench',
      run: `r${round}`,
      adapter: build.adapter,
      command: { file: 'none', args: [], env: {} },
      agentArgv: ['none'],
      env,
      cwd: dir,
      prompt: '',
      paths: build.runPaths(dir, `r${round}`),
      journal,
      clock: build.clock,
      policies: build.policies(env),
      timeoutMs: 600_000,
      stallMs: 0,
      killGraceMs: 1000,
      signal: new AbortController().signal,
    },
    spawner,
  );
  journal.close();
  const cpu = process.cpuUsage(cpu0);
  const wallMs = performance.now() - t0;
  const entries = readFileSync(file, 'utf8').split('\n').filter(Boolean).length;
  return { cpuMs: (cpu.user + cpu.system) / 1000, wallMs, entries, printed };
}

export async function runLinePath({ lines = 64_000, rounds = 5, baseline } = {}) {
  const recorded = recordedClaudeLines();
  const all = Array.from({ length: lines }, (_, i) => recorded[i % recorded.length]);
  const chunks = [];
  for (let i = 0; i < all.length; i += CHUNK_LINES) chunks.push(Buffer.from(`${all.slice(i, i + CHUNK_LINES).join('\n')}\n`));
  const builds = [await loadBuild(path.join(here, '..', 'dist'))];
  if (baseline) builds.push(await loadBuild(path.resolve(baseline)));
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-line-path-'));
  const best = builds.map(() => ({ cpuMs: Infinity, wallMs: Infinity }));
  const seen = builds.map(() => undefined);
  try {
    // one warm-up round each, then interleaved rounds
    for (let round = -1; round < rounds; round++) {
      // the order alternates, so neither build always runs right after the other's garbage
      for (const b of round % 2 === 0 ? builds.keys() : [...builds.keys()].reverse()) {
        const r = await oneRun(builds[b], chunks, dir, `${b}-${round}`);
        if (round < 0) continue;
        best[b] = { cpuMs: Math.min(best[b].cpuMs, r.cpuMs), wallMs: Math.min(best[b].wallMs, r.wallMs) };
        seen[b] = { entries: r.entries, printed: r.printed };
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const us = (ms) => Math.round((ms * 1000 * 100) / lines) / 100;
  const out = { benchmark: 'line-path', lines, chunkLines: CHUNK_LINES, rounds };
  builds.forEach((b, i) => {
    out[i === 0 ? 'this' : 'baseline'] = {
      dist: path.relative(process.cwd(), b.dist) || '.',
      cpuUsPerLine: us(best[i].cpuMs),
      wallUsPerLine: us(best[i].wallMs),
      journalEntries: seen[i].entries,
      linesPrinted: seen[i].printed,
    };
  });
  if (baseline) {
    out.cpuRatio = Math.round((best[0].cpuMs / best[1].cpuMs) * 100) / 100;
    out.wallRatio = Math.round((best[0].wallMs / best[1].wallMs) * 100) / 100;
  }
  return out;
}

function optionsFromArgv(argv) {
  const options = {};
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i];
    if (name === '--baseline' && argv[i + 1]) options.baseline = argv[++i];
    else if (['--lines', '--rounds'].includes(name) && Number(argv[i + 1]) > 0) options[name.slice(2)] = Number(argv[++i]);
    else throw new Error(`bench/line-path.mjs: unknown or incomplete option ${name} (see the comment at the top)`);
  }
  return options;
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(JSON.stringify(await runLinePath(optionsFromArgv(process.argv.slice(2)))));
