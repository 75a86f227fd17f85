import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listProcessTree, readProcStat } from '../../src/process/process-tree.js';
import { resumeTree, suspendTree } from '../../src/process/suspend-tree.js';
import { killProcessesWithEnv, SANDBOX_USABLE } from '../helpers/orchestrate-harness.js';
import { until } from '../helpers/until.js';

// Real processes: a parent that keeps a child writing a counter line every 5 ms. A second,
// unpaused counter (the witness) measures that time passed, so "the file stopped growing" is
// checked against real progress elsewhere rather than a sleep.
const COUNTER = `import { appendFileSync } from 'node:fs';
let n = 0;
setInterval(() => appendFileSync(process.argv[2], n++ + '\\n'), 5);
`;
const PARENT = `import { spawn } from 'node:child_process';
spawn(process.execPath, [process.argv[2], process.argv[3]], { stdio: 'ignore' });
setInterval(() => {}, 1 << 30);
`;

let dir: string;
let marker: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'orch-suspend-'));
  marker = `ORCH_SUSPEND_MARKER=${randomUUID()}`;
  writeFileSync(path.join(dir, 'counter.mjs'), COUNTER);
  writeFileSync(path.join(dir, 'parent.mjs'), PARENT);
});
afterEach(async () => {
  await killProcessesWithEnv(marker);
  rmSync(dir, { recursive: true, force: true });
});

function start(command: string, args: string[]): number {
  const [name, value] = marker.split('=') as [string, string];
  const child = spawn(command, args, { detached: true, stdio: 'ignore', env: { ...process.env, [name]: value } });
  child.unref();
  return child.pid as number;
}

function lines(file: string): number {
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').length - 1 : 0;
}

/** Waits until the witness wrote `n` more lines, i.e. at least n × 5 ms of real time passed. */
async function witnessAdvances(witnessFile: string, n: number): Promise<void> {
  const from = lines(witnessFile);
  await until(() => lines(witnessFile) >= from + n, { what: `the witness to write ${n} lines` });
}

async function pauseAndResume(rootPid: number, file: string, witnessFile: string): Promise<void> {
  await until(() => lines(file) >= 3, { what: 'the counter to start writing' });
  const tree = listProcessTree(rootPid);
  expect(tree.length).toBeGreaterThanOrEqual(2);

  const paused = await suspendTree(rootPid);
  expect(paused.notStopped).toEqual([]);
  expect(new Set(paused.signalled)).toEqual(new Set(listProcessTree(rootPid)));
  for (const pid of listProcessTree(rootPid)) expect(readProcStat(pid)?.state).toBe('T');
  const frozen = lines(file);
  await witnessAdvances(witnessFile, 20);
  expect(lines(file)).toBe(frozen);
  await witnessAdvances(witnessFile, 20);
  expect(lines(file)).toBe(frozen);

  const resumed = resumeTree(rootPid);
  expect(new Set(resumed.signalled)).toEqual(new Set(tree));
  await until(() => lines(file) >= frozen + 5, { what: 'the counter to write again after resume' });
  for (const pid of listProcessTree(rootPid)) expect(readProcStat(pid)?.state).not.toBe('T');
}

describe('suspendTree / resumeTree', () => {
  it('stops every process of the tree (the file stops growing) and continues them (it grows again)', async () => {
    const file = path.join(dir, 'count.txt');
    const witness = path.join(dir, 'witness.txt');
    start(process.execPath, [path.join(dir, 'counter.mjs'), witness]);
    const root = start(process.execPath, [path.join(dir, 'parent.mjs'), path.join(dir, 'counter.mjs'), file]);
    await pauseAndResume(root, file, witness);
  });

  // Where bubblewrap is not usable this one is reported as skipped; the test above still runs.
  it.skipIf(!SANDBOX_USABLE)(
    'reaches an agent inside bwrap --new-session --unshare-pid, which a group signal would miss (needs bubblewrap)',
    async () => {
      const file = path.join(dir, 'count.txt');
      const witness = path.join(dir, 'witness.txt');
      start(process.execPath, [path.join(dir, 'counter.mjs'), witness]);
      const bwrap = ['--unshare-user', '--die-with-parent', '--new-session', '--unshare-pid', '--dev-bind', '/', '/', '--proc', '/proc'];
      const root = start('bwrap', [...bwrap, process.execPath, path.join(dir, 'parent.mjs'), path.join(dir, 'counter.mjs'), file]);
      await until(() => lines(file) >= 1, { what: 'the sandboxed counter to start writing' });
      const counterPid = listProcessTree(root).at(-1) as number;
      // the point of the test: the counter is in another process group than the bwrap leader
      expect(readProcStat(counterPid)?.pgid).not.toBe(root);
      await pauseAndResume(root, file, witness);
    },
  );
});
