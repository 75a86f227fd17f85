// What one git command costs orchestrate's process: through Node's execFile (a fork of the whole
// process, page tables and all) against through the session's spawn service (src/process/
// spawn-service.ts: a pipe write and a few reads here, posix_spawn in the service). The process
// holds ~150 MB like orchestrate at scale (fork cost grows with it). The service's own CPU is
// counted with ours; git's is neither's. Rounds interleave both ways; medians per command.
//
//   node bench/spawn-service.mjs [--commands N] [--rounds R] [--mb M]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runSafeGitAsync } from '../dist/process/safe-git.js';
import { SpawnService, useSpawnService } from '../dist/process/spawn-service.js';

const opt = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const commands = opt('commands', 100);
const rounds = opt('rounds', 3);
const ballast = Array.from({ length: opt('mb', 120) }, () => Buffer.alloc(1 << 20, 1)); // resident, like orchestrate's heap

function ticks(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(f[11]) + Number(f[12]); // utime + stime, not the children's
}

const root = mkdtempSync(path.join(os.tmpdir(), 'bench-spawnsvc-'));
const repo = path.join(root, 'repo');
spawnSync('git', ['init', '-q', repo]);
writeFileSync(path.join(repo, 'a.txt'), 'a\n');
const env = { ...process.env, GIT_AUTHOR_NAME: 'b', GIT_AUTHOR_EMAIL: 'b@x', GIT_COMMITTER_NAME: 'b', GIT_COMMITTER_EMAIL: 'b@x' };
spawnSync('git', ['add', '-A'], { cwd: repo, env });
spawnSync('git', ['commit', '-qm', 'b'], { cwd: repo, env });
const service = await SpawnService.start(path.join(root, 'spawn'), process.env.PATH);
if (!service) throw new Error('bench/spawn-service.mjs: the spawn service did not build (no C compiler?)');

/** CPU ms per command of this process (plus the service's), running `commands` git commands 4 at a time. */
async function measure(viaService) {
  const done = viaService ? useSpawnService(service) : () => undefined;
  const c0 = process.cpuUsage();
  const s0 = ticks(service.pid);
  const t0 = performance.now();
  for (let i = 0; i < commands; i += 4)
    await Promise.all(
      [0, 1, 2, 3].map(() =>
        runSafeGitAsync(['cat-file', '-p', 'HEAD'], { cwd: repo }).then((r) => r.ok || (console.error(r), process.exit(1))),
      ),
    );
  const wall = performance.now() - t0;
  const c = process.cpuUsage(c0);
  const serviceMs = (ticks(service.pid) - s0) * 10;
  done();
  return { cpuMs: (c.user + c.system) / 1000 / commands + serviceMs / commands, serviceMs: serviceMs / commands, wallMs: wall / commands };
}

const node = [];
const svc = [];
await measure(false); // warm both
await measure(true);
for (let r = 0; r < rounds; r++) {
  node.push(await measure(false));
  svc.push(await measure(true));
}
await service.close();
rmSync(root, { recursive: true, force: true });
const med = (xs, k) => xs.map((x) => x[k]).sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const round = (x) => Math.round(x * 100) / 100;
console.log(
  JSON.stringify({
    benchmark: 'spawn-service',
    commands,
    rounds,
    rssMb: Math.round(process.memoryUsage().rss / 2 ** 20),
    nodeSpawnCpuMsPerCommand: round(med(node, 'cpuMs')),
    serviceCpuMsPerCommand: round(med(svc, 'cpuMs')),
    ofWhichInService: round(med(svc, 'serviceMs')),
    ratio: round(med(svc, 'cpuMs') / med(node, 'cpuMs')),
    wallMsPerCommand: { node: round(med(node, 'wallMs')), service: round(med(svc, 'wallMs')) },
    ballastMb: ballast.length,
  }),
);
