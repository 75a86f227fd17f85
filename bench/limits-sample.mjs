// The cost of one limits reading of a run, in this process: a real run-shaped tree (sh joined to a
// fresh cgroup, as the sandbox's prelude does, exec'ing a node process that starts another node,
// both with their usual threads) sampled N times by this build's tree sampler with the run's
// cgroup members, by the same sampler walking /proc, and by another build's sampler (`--baseline
// DIST`), interleaved, best of 5; and one kernel-limits poll of the run (cgroup hits, insider,
// tmpfs) by each build. Needs root and a cgroup hierarchy orchestrate may use. Reported, never asserted.
//
//   node bench/limits-sample.mjs [--baseline DIST] [--samples N]
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const option = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const samples = Number(option('--samples') ?? 2000);
const load = async (dist) => ({
  sampler: await import(pathToFileURL(path.join(dist, 'safety/limits/tree-sampler.js')).href),
  kernel: await import(pathToFileURL(path.join(dist, 'safety/limits/kernel-limits.js')).href),
});
const mine = await load(path.join(here, '..', 'dist'));
const base = option('--baseline') ? await load(path.resolve(option('--baseline'))) : undefined;
const { AgentCgroup, detectCgroups } = await import('../dist/safety/limits/cgroups.js');

const support = detectCgroups();
if (support.kind === 'none') throw new Error(`bench/limits-sample.mjs needs a cgroup: ${support.reason}`);
const cg = AgentCgroup.create(support, `orchestrate-${process.pid}-bench-${Date.now()}`, { pidsMax: 256, memoryBytes: 1024 ** 3 });
const inner = 'setInterval(() => {}, 1e6)';
const root = spawn(
  'sh',
  [
    '-c',
    'for f in $0; do echo $$ > "$f"; done; exec "$@"',
    cg.procsFiles().join(' '),
    process.execPath,
    '-e',
    `require('node:child_process').spawn(process.execPath, ['-e', ${JSON.stringify(inner)}], { stdio: 'ignore' }); setInterval(() => {}, 1e6)`,
  ],
  { stdio: 'ignore' },
);
try {
  while ((cg.members() ?? []).length < 2) await new Promise((r) => setTimeout(r, 20));
  await new Promise((r) => setTimeout(r, 300)); // both node processes up with their threads
  const limitsInput = {
    cgroup: cg,
    mechanism: support.kind,
    pidsMax: 256,
    memoryBytes: 1024 ** 3,
    tmpfs: ['/tmp', '/var/tmp', '/dev/shm'],
    tmpSizeBytes: 1024 ** 3,
  };
  const ways = {
    'sampler: cgroup members (this)': () => {
      const s = mine.sampler.createTreeSampler(root.pid, undefined, () => cg.members());
      return () => s();
    },
    'sampler: /proc walk (this)': () => {
      const s = mine.sampler.createTreeSampler(root.pid);
      return () => s();
    },
    ...(base
      ? {
          'sampler: /proc walk (baseline)': () => {
            const s = base.sampler.createTreeSampler(root.pid);
            return () => s();
          },
        }
      : {}),
    'kernel poll (this)': () => {
      const l = mine.kernel.runLimits(limitsInput);
      return () => l.poll(root.pid);
    },
    ...(base
      ? {
          'kernel poll (baseline)': () => {
            const l = base.kernel.runLimits(limitsInput);
            return () => l.poll(root.pid);
          },
        }
      : {}),
  };
  const best = {};
  for (let round = 0; round < 5; round++) {
    for (const [name, make] of Object.entries(ways)) {
      const fn = make();
      fn();
      const t0 = process.cpuUsage();
      for (let i = 0; i < samples; i++) fn();
      const t = process.cpuUsage(t0);
      best[name] = Math.min(best[name] ?? Infinity, (t.user + t.system) / samples);
    }
  }
  const pids = mine.sampler.createTreeSampler(root.pid, undefined, () => cg.members())().pids;
  console.log(
    JSON.stringify({
      benchmark: 'limits-sample',
      processes: pids,
      samples,
      cpuUsPerReading: Object.fromEntries(Object.entries(best).map(([k, v]) => [k, Math.round(v * 10) / 10])),
    }),
  );
} finally {
  root.kill('SIGKILL');
  cg.remove();
}
