import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { pidAlive } from '../../src/process/kill-group.js';
import { isZombie, listProcessTree, processStartTime, readProcStat } from '../../src/process/process-tree.js';
import { until } from '../helpers/until.js';

// A child that starts a grandchild in a new session and group (what bwrap --new-session does to the
// agent), prints the grandchild's pid, and then both wait until killed.
const PARENT = `
const { spawn } = require('node:child_process');
const g = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1e6)'], { detached: true, stdio: 'ignore' });
process.stdout.write(g.pid + '\\n');
setInterval(() => {}, 1e6);
`;

const spawned: number[] = [];
const children: ChildProcess[] = [];

afterEach(async () => {
  for (const pid of spawned.splice(0)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  for (const child of children.splice(0)) child.kill('SIGKILL');
  // wait for the kernel to take them away, so no test leaves a process behind
  await until(() => spawned.every((pid) => !pidAlive(pid)), { what: 'spawned processes to die' });
});

async function spawnTree(): Promise<{ parent: number; grandchild: number }> {
  const child = spawn(process.execPath, ['-e', PARENT], { stdio: ['ignore', 'pipe', 'ignore'] });
  children.push(child);
  spawned.push(child.pid!);
  let out = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const grandchild = await until(() => (out.includes('\n') ? Number(out.trim()) : undefined), { what: 'the grandchild pid' });
  spawned.push(grandchild);
  return { parent: child.pid!, grandchild };
}

describe('listProcessTree', () => {
  it('finds a grandchild that left the parent’s session and process group', async () => {
    const { parent, grandchild } = await spawnTree();
    expect(readProcStat(grandchild)!.pgid).not.toBe(readProcStat(parent)!.pgid);
    expect(readProcStat(grandchild)!.sid).not.toBe(readProcStat(parent)!.sid);

    expect(listProcessTree(parent)).toEqual([parent, grandchild]);
    // from higher up the tree (this test process) both are still descendants
    expect(listProcessTree(process.pid)).toEqual(expect.arrayContaining([process.pid, parent, grandchild]));
  });

  it('lists only the subtree below the pid it is given', async () => {
    const { parent, grandchild } = await spawnTree();
    expect(listProcessTree(grandchild)).toEqual([grandchild]);
    expect(listProcessTree(grandchild)).not.toContain(parent);
  });

  it('is empty for a pid that does not exist, and shrinks when a descendant dies', async () => {
    const { parent, grandchild } = await spawnTree();
    process.kill(grandchild, 'SIGKILL');
    await until(() => !listProcessTree(parent).includes(grandchild), { what: 'the grandchild to leave the tree' });
    expect(listProcessTree(parent)).toEqual([parent]);
    expect(listProcessTree(2 ** 22 + 1)).toEqual([]); // above pid_max's ceiling: never a process
  });
});

describe('processStartTime', () => {
  it('is stable for one process and differs between processes started apart', async () => {
    const first = await spawnTree();
    const start = processStartTime(first.parent);
    expect(start).toBeGreaterThan(0);
    expect(processStartTime(first.parent)).toBe(start);
    expect(processStartTime(first.grandchild)).toBeGreaterThanOrEqual(start!);
    expect(processStartTime(2 ** 22 + 1)).toBeUndefined();
  });
});

describe('isZombie', () => {
  it('is true for an exited child its parent never waits for', async () => {
    // bash starts a background sleep, then execs another sleep, which never reaps it: once killed,
    // the background sleep stays a zombie.
    const child = spawn('bash', ['-c', 'sleep 30 & exec sleep 31'], { stdio: 'ignore' });
    children.push(child);
    spawned.push(child.pid!);
    // only once bash has become `sleep 31` is nobody left to reap the background sleep
    const comm = (pid: number) => readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
    const background = await until(
      () => {
        const [root, bg] = listProcessTree(child.pid!);
        return comm(root!) === 'sleep' && bg !== undefined && comm(bg) === 'sleep' && bg;
      },
      { what: 'bash to exec sleep, with the background sleep running' },
    );
    expect(isZombie(background)).toBe(false);
    process.kill(background, 'SIGKILL');
    await until(() => isZombie(background), { what: 'the killed sleep to become a zombie' });
    expect(pidAlive(background)).toBe(false);
    expect(isZombie(child.pid!)).toBe(false);
    expect(listProcessTree(child.pid!)).toEqual([child.pid, background]);
  });
});
