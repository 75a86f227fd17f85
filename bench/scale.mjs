// Scale: 32 agents in parallel from a plan file, sandboxed, each printing recorded real claude
// lines at 200 a second for SECONDS, through the real orchestrate CLI. Reported: orchestrate's
// own CPU (its process and its spawn service, from /proc, not their children) as a share of one core over the run,
// and whether every line reached each run's stdout copy and every event its journal.
//
//   node bench/scale.mjs [--agents N] [--seconds S] [--rate R] [--no-sandbox] [--git-target] [--node-arg ARG ...]
// `--git-target`: the target is a git repository with one commit (agents then get a .git of their own).
// `--seconds 1` leaves mostly the fixed and per-launch cost. Profiling the orchestrate process:
// `--node-arg --cpu-prof --node-arg --cpu-prof-dir=/tmp/prof` (the bench's own folder is removed).
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { getAdapter } from '../dist/agents/registry.js';
import { writeRecordedStream } from './recorded-lines.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
/** USER_HZ: the unit of /proc/<pid>/stat times, 100 on Linux. */
const TICKS = 100;

function cpuTicks(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]); // utime + stime of the process itself
}

/** The spawn service orchestrate starts (src/process/spawn-service.ts): its child whose comm is `spawn-service`. */
function spawnServicePid(pid) {
  try {
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(' ').filter(Boolean);
    return children.find((c) => readFileSync(`/proc/${c}/comm`, 'utf8').trim() === 'spawn-service');
  } catch {
    return undefined; // exited
  }
}

export async function runScale({ agents = 32, rate = 200, seconds = 20, sandbox = true, gitTarget = false, nodeArgs = [] } = {}) {
  const root = mkdtempSync(path.join(os.homedir(), '.cache', 'bench-scale-'));
  const target = path.join(root, 'target');
  mkdirSync(target);
  if (gitTarget) {
    writeFileSync(path.join(target, 'README.md'), '# bench\n');
    const env = { ...process.env, GIT_AUTHOR_NAME: 'b', GIT_AUTHOR_EMAIL: 'b@x', GIT_COMMITTER_NAME: 'b', GIT_COMMITTER_EMAIL: 'b@x' };
    for (const args of [
      ['init', '-q'],
      ['add', '-A'],
      ['commit', '-qm', 'bench'],
    ])
      spawnSync('git', args, { cwd: target, env });
  }
  const stream = path.join(root, 'stream.jsonl');
  const lines = writeRecordedStream(stream, rate * seconds);
  const parser = getAdapter('claude').createParser();
  let expectedEvents = 0;
  for (const line of readFileSync(stream, 'utf8').split('\n')) if (line) expectedEvents += parser.parseLine(line).length;
  expectedEvents += parser.flush().length;
  const config = path.join(root, 'orchestrate.config.json');
  writeFileSync(
    config,
    JSON.stringify({
      agents: { claude: { executable: path.join(here, 'stream-agent.mjs'), env: { STREAM_FILE: stream, STREAM_RATE: String(rate) } } },
      review: { enabled: false },
      stallTimeout: '0',
    }),
  );
  const plan = path.join(root, 'plan.json');
  writeFileSync(
    plan,
    JSON.stringify({
      assignments: Array.from({ length: agents }, (_, i) => ({ id: `a${i}`, agent: 'claude', title: `stream ${i}`, weight: 1 })),
    }),
  );
  const args = [
    path.join(here, '..', 'bin', 'orchestrate.js'),
    '--headless',
    '--target',
    target,
    '--config',
    config,
    '--plan',
    plan,
    '--agents',
    'claude',
    '--timeout',
    '120m',
    ...(sandbox ? [] : ['--no-sandbox']),
    'scale bench',
  ];
  const t0 = performance.now();
  const child = spawn(process.execPath, [...nodeArgs, ...args], {
    cwd: root,
    env: { ...process.env, HOME: path.join(root, 'home') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  mkdirSync(path.join(root, 'home'), { recursive: true });
  let last = 0;
  // the spawn service runs orchestrate's git commands for it: its own CPU (not git's) counts as orchestrate's
  let service;
  let serviceLast = 0;
  /** [wall clock ms, CPU ticks of orchestrate and its service]: the streaming window's CPU is read from these after the run. */
  const timeline = [];
  const sampler = setInterval(() => {
    try {
      last = cpuTicks(child.pid);
      service ??= spawnServicePid(child.pid);
      if (service) serviceLast = cpuTicks(service);
      timeline.push([Date.now(), last + serviceLast]);
    } catch {
      // exited
    }
  }, 200);
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  child.stdout.resume();
  const code = await new Promise((resolve) => child.on('close', resolve));
  clearInterval(sampler);
  const wallS = (performance.now() - t0) / 1000;
  const sessions = path.join(target, '.orchestrate', 'sessions');
  const dir = path.join(sessions, readdirSync(sessions)[0]);
  const journal = readFileSync(path.join(dir, 'events.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
  const streamTypes = (e) =>
    e.type.startsWith('agent.') &&
    !['agent.launched', 'agent.exited', 'agent.stopping', 'agent.probe', 'agent.start_failed'].includes(e.type);
  const lost = [];
  for (let i = 0; i < agents; i++) {
    const events = journal.filter((e) => e.assignment === `a${i}` && streamTypes(e)).length;
    const runDir = path.join(dir, 'agents', 'claude', `a${i}`);
    const copied = readFileSync(path.join(runDir, 'stdout.jsonl'), 'utf8').split('\n').filter(Boolean).length;
    if (events !== expectedEvents || copied !== lines) lost.push({ agent: `a${i}`, events, copied });
  }
  const exited = journal.filter((e) => e.type === 'agent.exited');
  // from the session's first entry to the last agent launched: how long the person waits for all to start
  const launched = journal.filter((e) => e.type === 'agent.launched').map((e) => Date.parse(e.time));
  const launchSpan = launched.length ? (Math.max(...launched) - Date.parse(journal[0].time)) / 1000 : undefined;
  // while every agent streams (from the last launch to the first exit): the per-line cost alone,
  // without the launches, whose forks vary most from run to run on a shared machine
  const firstExit = exited.length ? Math.min(...exited.map((e) => Date.parse(e.time))) : undefined;
  const streaming = launched.length && firstExit !== undefined ? cpuBetween(timeline, Math.max(...launched), firstExit) : undefined;
  rmSync(root, { recursive: true, force: true });
  return {
    benchmark: 'scale',
    agents,
    linesPerSecondEach: rate,
    linesEach: lines,
    sandboxed: sandbox,
    ...(gitTarget ? { gitTarget } : {}),
    exitCode: code,
    runsEnded: exited.length,
    ...(launchSpan !== undefined ? { allLaunchedAfterSeconds: Math.round(launchSpan * 10) / 10 } : {}),
    wallSeconds: Math.round(wallS * 10) / 10,
    orchestrateCpuSeconds: Math.round(((last + serviceLast) / TICKS) * 10) / 10,
    spawnServiceCpuSeconds: service ? Math.round((serviceLast / TICKS) * 100) / 100 : 'no spawn service',
    orchestrateCpuShareOfOneCore: Math.round(((last + serviceLast) / TICKS / wallS) * 1000) / 10,
    ...(streaming ? { streamingSeconds: streaming.seconds, streamingCpuPerSecond: streaming.cpuPerSecond } : {}),
    linesLost: lost.length === 0 ? 0 : lost,
    ...(lost.length ? { endings: [...new Set(exited.map((e) => `${e.status}: ${e.reason}`))].slice(0, 5) } : {}),
  };
}

/** orchestrate's CPU-seconds per second between two wall-clock times (ms), from the 200 ms samples inside them. */
function cpuBetween(timeline, from, to) {
  const inside = timeline.filter(([at]) => at >= from && at <= to);
  if (inside.length < 2) return undefined;
  const [[t0, c0], [t1, c1]] = [inside[0], inside[inside.length - 1]];
  const seconds = (t1 - t0) / 1000;
  return { seconds: Math.round(seconds * 10) / 10, cpuPerSecond: Math.round(((c1 - c0) / TICKS / seconds) * 1000) / 1000 };
}

/** `--agents 8 --seconds 1 --node-arg --cpu-prof --no-sandbox` as runScale's options. */
function optionsFromArgv(argv) {
  const options = { nodeArgs: [] };
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i];
    if (name === '--no-sandbox') options.sandbox = false;
    else if (name === '--git-target') options.gitTarget = true;
    else if (name === '--node-arg') options.nodeArgs.push(argv[++i]);
    else if (['--agents', '--seconds', '--rate'].includes(name) && Number(argv[i + 1]) > 0) options[name.slice(2)] = Number(argv[++i]);
    else throw new Error(`bench/scale.mjs: unknown or incomplete option ${name} (see the comment at the top)`);
  }
  return options;
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(JSON.stringify(await runScale(optionsFromArgv(process.argv.slice(2)))));
