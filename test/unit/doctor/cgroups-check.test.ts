import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkCgroups } from '../../../src/doctor/sandbox.js';
import { detectCgroups } from '../../../src/safety/limits/cgroups.js';

// doctor's cgroups check on cgroup trees laid out in a temp dir: what a session would have, or
// the warning (a session goes on, sampling instead) with the fix.
const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});
const tree = (controllers?: string): string => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'orch-cgroups-'));
  roots.push(root);
  if (controllers !== undefined) writeFileSync(path.join(root, 'cgroup.controllers'), controllers);
  return root;
};

describe('doctor: cgroups', () => {
  it('a cgroup v2 tree with pids and memory: ok, naming where the agents go', () => {
    const fs = tree('cpu pids memory');
    expect(checkCgroups(detectCgroups(fs, '0::/\n'))).toMatchObject({
      id: 'sandbox.cgroups',
      status: 'ok',
      summary: `cgroup v2 per agent under ${fs}`,
    });
  });

  it('no usable cgroup: a warning that says what is lost, with the fix', () => {
    for (const [fs, why] of [
      [tree('cpu'), 'does not offer the pids and memory controllers'],
      [tree(), 'no cgroup v2 with controllers and no cgroup v1 pids and memory hierarchies'],
    ] as const) {
      const check = checkCgroups(detectCgroups(fs, '0::/\n'));
      expect(check).toMatchObject({ id: 'sandbox.cgroups', status: 'warn' });
      expect(check.summary).toContain(why);
      expect(check.summary).toContain('process count and memory are sampled instead');
      expect(check.fix).toContain('Delegate=yes');
    }
  });
});
