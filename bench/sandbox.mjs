// Sandbox start-up cost: spawning `true` in (a) the old plain bwrap layout (ro /, private /tmp, the
// target writable), (b) orchestrate's full plan (mount plan with the private home and state
// copy, sized temp dirs, the sh prelude joining a cgroup where there is one, the seccomp filter)
// and (c) the same with the network allow list (own namespace, host proxy, node forwarder).
// Reported as medians and their ratio, measured in the same process; never asserted.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bwrapSandboxPlan } from '../dist/supervisor/create-sandbox-plan.js';
import { createSandboxRuntime } from '../dist/safety/sandbox-runtime.js';
import { detectCgroups } from '../dist/safety/limits/cgroups.js';

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function time(runs, once) {
  const ms = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    once();
    ms.push(performance.now() - t);
  }
  return median(ms);
}

export function runSandboxBench({ runs = 30 } = {}) {
  const root = mkdtempSync(path.join(os.tmpdir(), 'bench-sandbox-'));
  try {
    const target = path.join(root, 'project');
    const home = path.join(root, 'home');
    for (const d of [target, path.join(home, '.claude')]) mkdirSync(d, { recursive: true });
    const plain = [
      '--unshare-user',
      '--cap-drop',
      'ALL',
      '--die-with-parent',
      '--new-session',
      '--unshare-pid',
      '--ro-bind',
      '/',
      '/',
      '--dev',
      '/dev',
      '--proc',
      '/proc',
      '--tmpfs',
      '/tmp',
      '--bind',
      target,
      target,
      '--',
      '/bin/true',
    ];
    const baselineMs = time(runs, () => spawnSync('bwrap', plain, { stdio: 'ignore' }));
    const cgroups = detectCgroups();
    const extras = createSandboxRuntime({
      cgroups,
      pidsMax: 4096,
      memoryBytes: 4 * 1024 ** 3,
      tmpSizeBytes: 1024 ** 3,
      dir: path.join(root, 'seccomp'),
      runAsRoot: process.getuid?.() === 0,
      writableRoots: () => [target],
      exclude: [],
    });
    // the same plan twice: without, then with the network namespace and its proxy
    const planInput = {
      bwrap: 'bwrap',
      reason: 'bench',
      target,
      workspace: path.join(target, '.orchestrate'),
      allowWrite: [],
      home,
      stateRoot: path.join(root, 'state'),
      runAsRoot: process.getuid?.() === 0,
      tmpSizeBytes: 1024 ** 3,
      extras,
    };
    const plan = bwrapSandboxPlan(planInput);
    const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home };
    let n = 0;
    const fullMs = time(runs, () => {
      const w = plan.wrap({ file: '/bin/true', args: [], env: {} }, { agent: 'claude', env, sessionDir: path.join(root, `s${n++ % 3}`) });
      spawnSync(w.file, w.args, { stdio: 'ignore', env: { ...env, ...w.env } });
      w.afterRun?.();
    });
    const network = {
      allowHosts: [],
      node: process.execPath,
      forwarder: fileURLToPath(new URL('../dist/process/net-forwarder-main.js', import.meta.url)),
    };
    const netPlan = bwrapSandboxPlan({
      ...planInput,
      network,
      orchestrateInstall: [path.dirname(process.execPath), fileURLToPath(new URL('..', import.meta.url))],
    });
    const netMs = time(runs, () => {
      const w = netPlan.wrap(
        { file: '/bin/true', args: [], env: {} },
        { agent: 'claude', env, sessionDir: path.join(root, `s${n++ % 3}`) },
      );
      spawnSync(w.file, w.args, { stdio: 'ignore', env: { ...env, ...w.env } });
      w.afterRun?.();
    });
    return {
      bench: 'sandbox-start',
      runs,
      cgroups: cgroups.kind,
      baselineMedianMs: +baselineMs.toFixed(2),
      fullMedianMs: +fullMs.toFixed(2),
      ratio: +(fullMs / baselineMs).toFixed(2),
      withNetworkMedianMs: +netMs.toFixed(2),
      networkRatio: +(netMs / baselineMs).toFixed(2),
    };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
