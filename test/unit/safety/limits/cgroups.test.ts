import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AgentCgroup, detectCgroups } from '../../../../src/safety/limits/cgroups.js';

// The cgroup files as the kernel lays them out, in a scratch folder (the real hierarchy is used by
// test/integration/sandbox-holds.test.ts).
const root = mkdtempSync(path.join(os.tmpdir(), 'cgroups-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function tree(name: string, files: Record<string, string>): string {
  const base = path.join(root, name);
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(base, rel)), { recursive: true });
    writeFileSync(path.join(base, rel), text);
  }
  return base;
}

describe('finding a cgroup hierarchy orchestrate may use', () => {
  it('cgroup v2: enables pids, memory and cpu for the children of its own cgroup', () => {
    const fs = tree('v2', {
      'cgroup.controllers': 'cpu memory pids',
      'svc/cgroup.controllers': 'cpu memory pids',
      'svc/cgroup.subtree_control': '',
    });
    expect(detectCgroups(fs, '0::/svc\n')).toEqual({ kind: 'cgroup2', parent: path.join(fs, 'svc') });
    expect(readFileSync(path.join(fs, 'svc', 'cgroup.subtree_control'), 'utf8')).toBe('+pids +memory +cpu');
  });

  it('cgroup v2 without the pids controller: none, saying why', () => {
    const fs = tree('v2-nopids', { 'cgroup.controllers': 'cpu memory', 'cgroup.subtree_control': '' });
    expect(detectCgroups(fs, '0::/\n')).toMatchObject({ kind: 'none', reason: expect.stringContaining('pids and memory') });
  });

  it('a hybrid host: the v1 pids, memory and cpu hierarchies at the paths /proc/self/cgroup names', () => {
    const fs = tree('v1', { 'pids/cgroup.procs': '', 'memory/m/x/cgroup.procs': '', 'cpu/cgroup.procs': '' });
    const support = detectCgroups(fs, '8:pids:/\n4:memory:/m/x\n1:cpu,cpuacct:/\n0::/\n');
    expect(support).toEqual({
      kind: 'cgroup1',
      parents: { pids: path.join(fs, 'pids'), memory: path.join(fs, 'memory', 'm', 'x'), cpu: path.join(fs, 'cpu') },
    });
  });

  it("creates a run's cgroup with its limits and reads the kernel's counters", () => {
    const fs = tree('v1-run', { 'pids/cgroup.procs': '', 'memory/cgroup.procs': '', 'cpu/cgroup.procs': '' });
    const support = detectCgroups(fs, '8:pids:/\n4:memory:/\n1:cpu:/\n');
    if (support.kind !== 'cgroup1') throw new Error(JSON.stringify(support));
    const cg = AgentCgroup.create(support, 'orchestrate-1-claude-1', { pidsMax: 64, memoryBytes: 1024, cpuPercent: 150 });
    const dir = (h: string) => path.join(fs, h, 'orchestrate-1-claude-1');
    expect(readFileSync(path.join(dir('pids'), 'pids.max'), 'utf8')).toBe('64');
    expect(readFileSync(path.join(dir('memory'), 'memory.limit_in_bytes'), 'utf8')).toBe('1024');
    expect(readFileSync(path.join(dir('cpu'), 'cpu.cfs_quota_us'), 'utf8')).toBe('150000');
    expect(cg.procsFiles()).toEqual([
      path.join(dir('pids'), 'cgroup.procs'),
      path.join(dir('memory'), 'cgroup.procs'),
      path.join(dir('cpu'), 'cgroup.procs'),
    ]);
    writeFileSync(path.join(dir('pids'), 'pids.events'), 'max 3\n');
    writeFileSync(path.join(dir('pids'), 'pids.current'), '64\n');
    writeFileSync(path.join(dir('memory'), 'memory.oom_control'), 'oom_kill_disable 0\nunder_oom 0\noom_kill 1\n');
    expect(cg.counters()).toEqual({ pidsMaxHits: 3, pids: 64, oomKills: 1, memoryBytes: 0 });
  });
});
