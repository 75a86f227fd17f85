// Dashboard cost: CPU of the dashboard process (a child, read from /proc/<pid>/stat)
// (1) idle: nothing connected, and three pages' event streams open on a quiet running session;
// (2) a session journaling 200 events/s streamed to three open event streams;
// against a baseline measured in the same run: a bare journal follower (no HTTP) on the same writes.
import { spawn } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';

const here = path.dirname(fileURLToPath(import.meta.url));
const TICKS = 100; // USER_HZ on Linux
const ID = '20261205-000000-bench';

function cpuSeconds(pid) {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(f[11]) + Number(f[12])) / TICKS; // utime + stime
}

/** Percent of one core `pid` used while `during` ran. */
async function measure(pid, during) {
  const c0 = cpuSeconds(pid);
  const t0 = performance.now();
  await during();
  return Math.round(((cpuSeconds(pid) - c0) / ((performance.now() - t0) / 1000)) * 1000) / 10;
}

function child(mode, workspace, dir) {
  const p = spawn(process.execPath, [path.join(here, 'dashboard-child.mjs'), mode, workspace, dir], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const firstLine = new Promise((resolve) => p.stdout.once('data', (c) => resolve(String(c).trim())));
  return { p, firstLine };
}

/** Appends `rate` entries a second for `seconds`, in 20 ms batches, like a busy session. */
async function write(file, from, rate, seconds) {
  let seq = from;
  const per = rate / 50;
  const start = performance.now();
  for (let tick = 1; tick <= seconds * 50; tick++) {
    let text = '';
    for (let i = 0; i < per; i++) {
      seq += 1;
      text += `${JSON.stringify({ seq, time: new Date().toISOString(), type: 'agent.message', agent: 'claude', assignment: 'a', text: `line ${seq} ${'x'.repeat(120)}` })}\n`;
    }
    appendFileSync(file, text);
    await sleep(Math.max(0, start + tick * 20 - performance.now()));
  }
  return seq;
}

/** An open event stream that counts the entries it got. */
function stream(url, token) {
  const c = new AbortController();
  const got = { entries: 0, last: 0 };
  const done = fetch(url, { headers: { 'x-orchestrate-token': token }, signal: c.signal })
    .then(async (res) => {
      const reader = res.body.getReader();
      const dec = new TextDecoder();
      let buf = '';
      for (;;) {
        const { value, done: end } = await reader.read();
        if (end) return;
        buf += dec.decode(value, { stream: true });
        let i;
        while ((i = buf.indexOf('\n\n')) !== -1) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          const id = /^id: (\d+)$/m.exec(block);
          if (id) {
            got.entries += 1;
            got.last = Number(id[1]);
          }
        }
      }
    })
    .catch((e) => {
      if (e.name !== 'AbortError') throw e;
    });
  return {
    got,
    close: () => {
      c.abort();
      return done;
    },
  };
}

export async function runDashboardBench({ rate = 200, seconds = 10, idleSeconds = 5, pages = 3 } = {}) {
  const workspace = mkdtempSync(path.join(os.tmpdir(), 'bench-dashboard-'));
  const dir = path.join(workspace, 'sessions', ID);
  mkdirSync(dir, { recursive: true });
  // a running session whose "supervisor" is this process
  writeFileSync(
    path.join(dir, 'session.json'),
    JSON.stringify({
      version: 1,
      id: ID,
      task: 'bench',
      state: 'running',
      startedAt: new Date().toISOString(),
      supervisorPid: process.pid,
      agents: ['claude'],
      processes: [],
      assignments: {},
      options: {},
    }),
  );
  const events = path.join(dir, 'events.jsonl');
  writeFileSync(
    events,
    `${JSON.stringify({ seq: 1, time: new Date().toISOString(), type: 'session.started', sessionId: ID, pid: process.pid })}\n`,
  );
  let seq = 1;

  // baseline: a bare follower on the same writes
  const base = child('follow', workspace, dir);
  await base.firstLine;
  const followPct = await measure(base.p.pid, async () => {
    seq = await write(events, seq, rate, seconds);
  });
  base.p.kill('SIGTERM');

  const dash = child('dashboard', workspace, dir);
  const url = await dash.firstLine;
  const { origin, searchParams } = new URL(url);
  const token = searchParams.get('token');
  await sleep(500);
  const idleNoPagesPct = await measure(dash.p.pid, () => sleep(idleSeconds * 1000));
  const streams = Array.from({ length: pages }, () => stream(`${origin}/api/sessions/${ID}/events`, token));
  // the pages catch up with what is there before the quiet phase starts
  while (streams.some((s) => s.got.last < seq)) await sleep(20);
  const idlePagesPct = await measure(dash.p.pid, () => sleep(idleSeconds * 1000));
  const from = seq;
  const streamingPct = await measure(dash.p.pid, async () => {
    seq = await write(events, seq, rate, seconds);
  });
  const deadline = Date.now() + 10_000;
  while (streams.some((s) => s.got.last < seq) && Date.now() < deadline) await sleep(20);
  const delivered = streams.map((s) => s.got.last === seq);
  await Promise.all(streams.map((s) => s.close()));
  dash.p.kill('SIGTERM');
  rmSync(workspace, { recursive: true, force: true });
  return {
    benchmark: 'dashboard',
    rate,
    seconds,
    pages,
    entries: seq - from,
    everyPageGotEverything: delivered.every(Boolean),
    cpuPercentOfOneCore: {
      idleNoPages: idleNoPagesPct,
      idleThreePagesOpen: idlePagesPct,
      streaming: streamingPct,
      baselineBareFollower: followPct,
    },
    streamingVsBaseline: followPct > 0 ? Math.round((streamingPct / followPct) * 10) / 10 : null,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(JSON.stringify(await runDashboardBench()));
