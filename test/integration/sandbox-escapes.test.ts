import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chmodSync, chownSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { bwrapSandboxPlan } from '../../src/supervisor/create-sandbox-plan.js';
import { SANDBOX_USABLE } from '../helpers/orchestrate-harness.js';
import { WAIT_CEILING_MS } from '../helpers/until.js';

// Real escape attempts inside the sandbox orchestrate builds for an agent. Each one must fail and
// leave the host unchanged. Runs as this test's user; as root the agent is uid 1000 inside.
const root = mkdtempSync(path.join(os.tmpdir(), 'escape-'));
const home = path.join(root, 'home');
const target = path.join(root, 'project');
const workspace = path.join(target, '.orchestrate');
const session = path.join(workspace, 'sessions', 's1');
const outside = path.join(root, 'outside');
for (const d of [home, session, outside, path.join(home, '.ssh')]) mkdirSync(d, { recursive: true });
writeFileSync(path.join(session, 'events.jsonl'), '{"seq":1}\n');
writeFileSync(path.join(home, '.ssh', 'id_ed25519'), 'SECRET KEY\n');
symlinkSync(outside, path.join(target, 'link-out'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

interface World {
  root: string;
  home: string;
  target: string;
  workspace: string;
  session: string;
  outside: string;
}

const main: World = { root, home, target, workspace, session, outside };

/** Runs `script` in the sandbox built for claude in `w`; as `uid` (setpriv) when given. */
function runInSandbox(script: string, runAsRoot: boolean, w: World = main, uid?: number): { status: number | null; out: string } {
  const plan = bwrapSandboxPlan({
    bwrap: 'bwrap',
    reason: 'test',
    target: w.target,
    workspace: w.workspace,
    allowWrite: [],
    home: w.home,
    runAsRoot,
  });
  const cmd = plan.wrap(
    { file: '/bin/bash', args: ['-c', script], env: {} },
    { agent: 'claude', env: { HOME: w.home }, sessionDir: w.session },
  );
  // the private state copies were made by this (root) process: the user bwrap runs as owns them
  if (uid !== undefined) spawnSync('chown', ['-R', `${uid}:${uid}`, path.join(w.home, '.local')]);
  const [file, args] =
    uid === undefined
      ? [cmd.file, cmd.args]
      : ['setpriv', [`--reuid=${uid}`, `--regid=${uid}`, '--clear-groups', '--', cmd.file, ...cmd.args]];
  const r = spawnSync(file, args, { env: { PATH: '/usr/bin:/bin', HOME: w.home, ...cmd.env }, encoding: 'utf8', timeout: WAIT_CEILING_MS });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

/** The escape attempts of one world; each prints ESCAPED if it worked. */
function escapeScript(w: World): string {
  const attempts = [
    `echo x > ${w.outside}/direct.txt`,
    `echo x > ${w.target}/link-out/via-symlink.txt`,
    `echo x > ${w.target}/../outside/dotdot.txt`,
    `echo x > /etc/orchestrate-escape`,
    `echo '{"seq":2,"forged":true}' >> ${w.session}/events.jsonl`,
    `rm -f ${w.session}/events.jsonl`,
    `mount -o remount,rw / && echo x > /etc/orchestrate-escape-remount`,
    `cat ${w.home}/.ssh/id_ed25519`,
  ];
  return [
    ...attempts.map((a) => `(${a}) 2>/dev/null && echo "ESCAPED: ${a.replace(/"/g, '\\"')}"`),
    `echo ok > ${w.target}/inside.txt`,
    'echo done',
  ].join('\n');
}

function expectHeld(w: World, r: { out: string }): void {
  expect(r.out).toContain('done');
  expect(r.out).not.toContain('ESCAPED');
  expect(r.out).not.toContain('SECRET KEY');
  for (const f of ['direct.txt', 'via-symlink.txt', 'dotdot.txt']) expect(existsSync(path.join(w.outside, f))).toBe(false);
  expect(existsSync('/etc/orchestrate-escape')).toBe(false);
  expect(existsSync('/etc/orchestrate-escape-remount')).toBe(false);
  expect(readFileSync(path.join(w.session, 'events.jsonl'), 'utf8')).toBe('{"seq":1}\n');
  // the allowed root stays writable
  expect(readFileSync(path.join(w.target, 'inside.txt'), 'utf8')).toBe('ok\n');
}

const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;

describe.skipIf(!SANDBOX_USABLE)('the agent sandbox holds against escape attempts', () => {
  it.each(asRoot ? [true, false] : [false])(
    'writes outside, through a symlink, via .., to /etc, to the journal, remount; runAsRoot=%s',
    (runAsRoot) => {
      expectHeld(main, runInSandbox(escapeScript(main), runAsRoot));
    },
  );
});

// The same attempts by an unprivileged user (as the agents run on a developer's machine): bwrap is
// not setuid here, so it needs unprivileged user namespaces. The user owns every directory of its
// world, outside and the journal included: only the sandbox stands between it and them.
const UNPRIVILEGED_UID = 65534; // nobody
const setprivAvailable = spawnSync('setpriv', ['--version'], { stdio: 'ignore' }).status === 0;
/** Why the non-root run cannot happen here, or undefined when it can. */
const nonRootBlocker: string | undefined = !asRoot
  ? undefined // already non-root: the suite above is the non-root run
  : !setprivAvailable
    ? 'setpriv (util-linux) is missing: cannot drop to a non-root user'
    : (() => {
        const r = spawnSync(
          'setpriv',
          [
            `--reuid=${UNPRIVILEGED_UID}`,
            `--regid=${UNPRIVILEGED_UID}`,
            '--clear-groups',
            '--',
            'bwrap',
            '--unshare-user',
            '--cap-drop',
            'ALL',
            '--ro-bind',
            '/',
            '/',
            'true',
          ],
          { encoding: 'utf8' },
        );
        return r.status === 0
          ? undefined
          : `bwrap as uid ${UNPRIVILEGED_UID} fails (unprivileged user namespaces off?): ${`${r.stderr}`.trim() || `exit ${r.status}`}`;
      })();

describe.runIf(SANDBOX_USABLE && asRoot)('the agent sandbox holds for a non-root user too', () => {
  it('can sandbox as a non-root user on this machine', () => {
    // stated, not skipped: a machine where this fails cannot run agents sandboxed as a normal user
    expect(nonRootBlocker, nonRootBlocker).toBeUndefined();
  });

  it.runIf(nonRootBlocker === undefined)(
    `writes outside, through a symlink, via .., to /etc, to the journal, remount; as uid ${UNPRIVILEGED_UID}`,
    () => {
      const base = mkdtempSync(path.join(os.tmpdir(), 'escape-user-'));
      try {
        const w: World = {
          root: base,
          home: path.join(base, 'home'),
          target: path.join(base, 'project'),
          workspace: path.join(base, 'project', '.orchestrate'),
          session: path.join(base, 'project', '.orchestrate', 'sessions', 's1'),
          outside: path.join(base, 'outside'),
        };
        for (const d of [w.home, w.session, w.outside, path.join(w.home, '.ssh')]) mkdirSync(d, { recursive: true });
        writeFileSync(path.join(w.session, 'events.jsonl'), '{"seq":1}\n');
        writeFileSync(path.join(w.home, '.ssh', 'id_ed25519'), 'SECRET KEY\n');
        symlinkSync(w.outside, path.join(w.target, 'link-out'));
        chmodSync(base, 0o755);
        for (const p of [
          w.home,
          path.join(w.home, '.ssh'),
          path.join(w.home, '.ssh', 'id_ed25519'),
          w.target,
          w.workspace,
          path.join(w.workspace, 'sessions'),
          w.session,
          path.join(w.session, 'events.jsonl'),
          w.outside,
        ]) {
          chownSync(p, UNPRIVILEGED_UID, UNPRIVILEGED_UID);
        }
        // without the sandbox this user could write every one of these
        const bare = spawnSync(
          'setpriv',
          [
            `--reuid=${UNPRIVILEGED_UID}`,
            `--regid=${UNPRIVILEGED_UID}`,
            '--clear-groups',
            '--',
            '/bin/sh',
            '-c',
            `echo x > ${w.outside}/probe && rm ${w.outside}/probe && id -u`,
          ],
          { encoding: 'utf8' },
        );
        expect(bare.stdout.trim()).toBe(String(UNPRIVILEGED_UID));
        const r = runInSandbox(`${escapeScript(w)}\necho "uid=$(id -u)"`, false, w, UNPRIVILEGED_UID);
        expectHeld(w, r);
      } finally {
        rmSync(base, { recursive: true, force: true });
      }
    },
  );
});
