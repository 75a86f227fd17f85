// Ingest through a whole run: a process prints 200,000 recorded real claude lines as fast as it
// can; orchestrate's run pipeline (line splitting, the claude adapter, both safety guards with
// their per-run contexts, the journal on disk) takes them all. Baseline in the same command: the
// same process read by a bare readline + JSON.parse. Ratio = baseline time / pipeline time
// (higher is better; the bar is >= 0.5).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { getAdapter } from '../dist/agents/registry.js';
import { Journal } from '../dist/session/journal.js';
import { runPaths, sessionPaths } from '../dist/session/paths.js';
import { systemClock } from '../dist/clock.js';
import { runAgent } from '../dist/supervisor/agent-run.js';
import { createCommandGuard } from '../dist/safety/command-guard.js';
import { createPathGuard, allowedWriteRoots } from '../dist/safety/path-guard.js';
import { filterContextFor } from '../dist/supervisor/launch-context.js';
import { writeRecordedStream } from './recorded-lines.mjs';

/** Journal entries made from the stream (not orchestrate's own agent.launched / agent.exited). */
const STREAM_TYPES = /^\{"seq":\d+,"time":"[^"]+","type":"agent\.(?!launched|exited|stopping)/;

function baseline(file) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn('cat', [file], { stdio: ['ignore', 'pipe', 'ignore'] });
    let n = 0;
    const rl = readline.createInterface({ input: child.stdout, crlfDelay: Infinity });
    rl.on('line', (line) => (JSON.parse(line) ? n++ : n++));
    rl.on('close', () => resolve({ ms: performance.now() - t0, lines: n }));
    child.on('error', reject);
  });
}

async function pipeline(dir, file, round) {
  const target = path.join(dir, 'target');
  const env = { PATH: process.env.PATH ?? '', HOME: os.homedir() };
  const journal = new Journal(path.join(dir, `events-${round}.jsonl`), systemClock);
  const policies = [
    createCommandGuard(() => filterContextFor(target, [], env)),
    createPathGuard((run) => ({
      allowedRoots: allowedWriteRoots({ agent: run.agent, target, allowWrite: [], env, home: env.HOME }),
      home: env.HOME,
    })),
  ];
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const result = await runAgent({
    agent: 'claude',
    assignmentId: 'bench',
    run: `r${round}`,
    adapter: getAdapter('claude'),
    command: { file: 'cat', args: [file], env: {} },
    agentArgv: ['cat', file],
    env,
    cwd: dir,
    prompt: '',
    paths: runPaths(sessionPaths(dir), 'claude', `r${round}`),
    journal,
    clock: systemClock,
    policies,
    timeoutMs: 600_000,
    stallMs: 0,
    killGraceMs: 1000,
    signal: new AbortController().signal,
  });
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  journal.close();
  const journaled = readFileSync(path.join(dir, `events-${round}.jsonl`), 'utf8')
    .split('\n')
    .filter(Boolean);
  const fromStream = journaled.filter((l) => STREAM_TYPES.test(l)).length;
  return {
    ms,
    status: result.status,
    killedBy: result.exit?.signal ?? null,
    journaledLines: journaled.length,
    agentEvents: fromStream,
    cpuMs: (cpu.user + cpu.system) / 1000,
  };
}

export async function runSessionIngest({ lines = 200_000, rounds = 3 } = {}) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-session-ingest-'));
  const file = path.join(dir, 'stream.jsonl');
  const count = writeRecordedStream(file, lines);
  // Every event the adapter makes of these lines must reach the journal: counted offline once.
  const parser = getAdapter('claude').createParser();
  let expectedEvents = 0;
  for (const line of readFileSync(file, 'utf8').split('\n')) if (line) expectedEvents += parser.parseLine(line).length;
  expectedEvents += parser.flush().length;
  let best = { baseline: Infinity, pipeline: Infinity };
  let last;
  for (let round = 0; round < rounds; round++) {
    const b = await baseline(file);
    if (b.lines !== count) throw new Error(`baseline read ${b.lines} of ${count} lines`);
    const p = await pipeline(dir, file, round);
    // The recordings hold denials, so the outcome may be "failed"; the run must not have been stopped.
    if (p.killedBy) throw new Error(`pipeline run was stopped: ${p.status}`);
    if (p.agentEvents !== expectedEvents) throw new Error(`journaled ${p.agentEvents} agent events of ${expectedEvents}`);
    best = { baseline: Math.min(best.baseline, b.ms), pipeline: Math.min(best.pipeline, p.ms) };
    last = p;
  }
  rmSync(dir, { recursive: true, force: true });
  return {
    benchmark: 'session-ingest',
    lines: count,
    journaledEntries: last.journaledLines,
    streamEventsJournaled: `${last.agentEvents} of ${expectedEvents}`,
    pipelineMs: Math.round(best.pipeline),
    baselineReadlineJsonParseMs: Math.round(best.baseline),
    speedVsBaseline: Math.round((best.baseline / best.pipeline) * 100) / 100,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(JSON.stringify(await runSessionIngest()));
