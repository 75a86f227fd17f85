import { describe, expect, it } from 'vitest';
import { planMounts, type Mount, type MountRule } from '../../../src/safety/mount-plan.js';
import { sandboxRules, type AgentLayout } from '../../../src/safety/sandbox-rules.js';

// The mount plan as a pure function over a table of host layouts. `access` replays the mounts the
// way the kernel stacks them (a later mount at or above a path covers what was there), so an order
// bug (a later rule re-opening a secret, or making the target read-only again) shows as a wrong
// answer here, whatever the plan's own reasoning.

type Access = 'rw' | 'ro' | 'hidden' | 'private';

/** What the agent gets at `p` after the mounts, and from which host path. */
function access(mounts: readonly Mount[], p: string): { access: Access; from?: string } {
  let last: Mount | undefined;
  for (const m of mounts) if (p === m.dest || p.startsWith(`${m.dest}/`)) last = m;
  if (!last) return { access: 'ro', from: p };
  if (last.op === 'hideFile') return { access: 'hidden' };
  if (last.op === 'tmpfs') return { access: last.readOnly ? 'hidden' : 'private' };
  return { access: last.readOnly ? 'ro' : 'rw', from: last.source + p.slice(last.dest.length) };
}

interface Case {
  name: string;
  layout: AgentLayout;
  expect: Record<string, Access | { access: Access; from: string }>;
}

const base = (over: Partial<AgentLayout>): AgentLayout => ({
  workingCopy: '/work/project',
  writable: [],
  readOnly: ['/work/project/.orchestrate'],
  homes: ['/home/me'],
  privateState: [{ source: '/home/me/.local/state/orchestrate/agent-state/s1/claude/0-.claude', dest: '/home/me/.claude' }],
  hidden: [{ path: '/home/me/.ssh', isFile: false }],
  tempDirs: ['/tmp', '/var/tmp', '/dev/shm'],
  show: ['/usr/local/lib/claude'],
  overlays: [],
  ...over,
});

const cases: Case[] = [
  {
    name: 'the usual layout: project outside home, CLI in /usr/local',
    layout: base({}),
    expect: {
      '/work/project/src/a.ts': 'rw',
      '/work/project/.orchestrate/sessions/s1/events.jsonl': 'ro',
      '/home/me/.ssh/id_ed25519': 'private', // the home is an empty tmpfs; .ssh is not there at all
      '/home/me/.config/gh/hosts.yml': 'private',
      '/home/me/.claude/settings.json': {
        access: 'rw',
        from: '/home/me/.local/state/orchestrate/agent-state/s1/claude/0-.claude/settings.json',
      },
      '/tmp/x': 'private',
      '/usr/local/lib/claude/cli.js': 'ro',
      '/etc/passwd': 'ro',
    },
  },
  {
    name: 'orchestrate and the target under one /tmp folder; the hook files shown from that folder',
    layout: base({
      workingCopy: '/tmp/orch-1/project',
      readOnly: ['/tmp/orch-1/project/.orchestrate'],
      show: ['/tmp/orch-1', '/tmp/orch-1/orchestrate/bin'],
    }),
    expect: {
      '/tmp/orch-1/project/file.txt': 'rw', // the bug: a later read-only bind of /tmp/orch-1 made this EROFS
      '/tmp/orch-1/project/.orchestrate/x': 'ro',
      '/tmp/orch-1/orchestrate/bin/orchestrate.js': 'ro',
      '/tmp/orch-1/other': 'ro',
      '/tmp/other-user-file': 'private',
    },
  },
  {
    name: 'TMPDIR outside /tmp (codex state under it moves the temp dir aside)',
    layout: base({
      tempDirs: ['/tmp', '/var/tmp', '/dev/shm', '/scratch/tmp', '/scratch/tmp/orchestrate-codex-tmp'],
      privateState: [{ source: '/s/codex', dest: '/scratch/tmp/codex-home' }],
    }),
    expect: {
      '/scratch/tmp/x': 'private',
      '/scratch/tmp/orchestrate-codex-tmp/y': 'private',
      '/scratch/tmp/codex-home/config.toml': { access: 'rw', from: '/s/codex/config.toml' },
      '/scratch/other': 'ro',
    },
  },
  {
    name: 'CLI and HOME under one temp root: showing the CLI never re-exposes ~/.ssh',
    layout: base({
      homes: ['/tmp/r/home'],
      hidden: [
        { path: '/tmp/r/home/.ssh', isFile: false },
        { path: '/tmp/r/home/.netrc', isFile: true },
      ],
      show: ['/tmp/r', '/tmp/r/cli/bin'],
      privateState: [{ source: '/state/claude', dest: '/tmp/r/home/.claude' }],
    }),
    expect: {
      '/tmp/r/cli/bin/claude': 'ro',
      '/tmp/r/home/.ssh/id_rsa': 'private',
      '/tmp/r/home/.netrc': 'private',
      '/tmp/r/home/.claude/x': { access: 'rw', from: '/state/claude/x' },
      '/work/project/a': 'rw',
    },
  },
  {
    name: 'a CLI installed under the home (nvm)',
    layout: base({ show: ['/home/me/.nvm/versions/node/v20/bin', '/home/me/.nvm/versions/node/v20/lib'] }),
    expect: {
      '/home/me/.nvm/versions/node/v20/bin/node': 'ro',
      '/home/me/.nvm/versions/node/v20/lib/node_modules/x/cli.js': 'ro',
      '/home/me/.nvm/alias/default': 'private',
      '/home/me/.ssh/id_ed25519': 'private',
    },
  },
  {
    name: 'the target inside the home',
    layout: base({ workingCopy: '/home/me/src/app', readOnly: ['/home/me/src/app/.orchestrate'] }),
    expect: {
      '/home/me/src/app/index.js': 'rw',
      '/home/me/src/app/.orchestrate/s': 'ro',
      '/home/me/src/other/secret.env': 'private',
      '/home/me/.ssh/id_ed25519': 'private',
    },
  },
  {
    name: 'the home is the target: secrets stay hidden inside a writable root',
    layout: base({ workingCopy: '/home/me', readOnly: ['/home/me/.orchestrate'] }),
    expect: {
      '/home/me/notes.txt': 'rw',
      '/home/me/.ssh/id_ed25519': 'hidden',
      '/home/me/.claude/settings.json': {
        access: 'rw',
        from: '/home/me/.local/state/orchestrate/agent-state/s1/claude/0-.claude/settings.json',
      },
    },
  },
  {
    name: "a working copy apart from the person's checkout (issue 11): the checkout read-only",
    layout: base({ workingCopy: '/work/.orchestrate-copies/s1', checkout: '/work/project', readOnly: ['/work/project/.orchestrate'] }),
    expect: { '/work/.orchestrate-copies/s1/a': 'rw', '/work/project/a': 'ro' },
  },
  {
    name: 'the working copy inside the checkout',
    layout: base({
      workingCopy: '/work/project/.orchestrate/work/s1',
      checkout: '/work/project',
      readOnly: ['/work/project/.orchestrate'],
    }),
    expect: { '/work/project/.orchestrate/work/s1/a': 'rw', '/work/project/a': 'ro', '/work/project/.orchestrate/sessions/x': 'ro' },
  },
  {
    name: 'layer-1 overlays over the writable private state, and a socket shown from the session dir',
    layout: base({
      privateState: [{ source: '/s/codex', dest: '/home/me/.codex' }],
      overlays: [{ source: '/work/project/.orchestrate/sessions/s1/policy/codex-rules', dest: '/home/me/.codex/rules' }],
      show: ['/work/project/.orchestrate/sessions/s1/hook.sock'],
    }),
    expect: {
      '/home/me/.codex/rules/orchestrate.rules': {
        access: 'ro',
        from: '/work/project/.orchestrate/sessions/s1/policy/codex-rules/orchestrate.rules',
      },
      '/home/me/.codex/config.toml': { access: 'rw', from: '/s/codex/config.toml' },
      '/work/project/.orchestrate/sessions/s1/hook.sock': 'ro',
    },
  },
  {
    name: 'an allowed root that contains the home and the target',
    layout: base({
      writable: ['/data'],
      workingCopy: '/data/project',
      homes: ['/data/home'],
      hidden: [{ path: '/data/home/.aws', isFile: false }],
      readOnly: [],
    }),
    expect: { '/data/cache/x': 'rw', '/data/project/a': 'rw', '/data/home/.aws/credentials': 'private', '/data/home/.bashrc': 'private' },
  },
  {
    name: "another agent's state and private copies hidden even under a writable root",
    layout: base({
      writable: ['/home/me/.local'],
      hidden: [{ path: '/home/me/.local/state/orchestrate/agent-state/s1/codex', isFile: false }],
    }),
    expect: {
      '/home/me/.local/state/orchestrate/agent-state/s1/codex/0-.codex/auth.json': 'hidden',
      '/home/me/.local/bin/x': 'rw',
    },
  },
];

describe('the mount plan over host layouts', () => {
  it.each(cases)('$name', ({ layout, expect: wanted }) => {
    const { mounts } = planMounts(sandboxRules(layout));
    for (const [p, want] of Object.entries(wanted)) {
      const got = access(mounts, p);
      if (typeof want === 'string') expect(got.access, p).toBe(want);
      else expect(got, p).toEqual(want);
    }
  });

  it.each(cases)('gives the same mounts whatever order the rules come in: $name', ({ layout }) => {
    const rules = sandboxRules(layout);
    const forward = planMounts(rules).mounts;
    const backward = planMounts([...rules].reverse()).mounts;
    const probes = [...new Set([...forward, ...backward].flatMap((m) => [m.dest, `${m.dest}/x`]))];
    for (const p of probes) expect(access(backward, p), p).toEqual(access(forward, p));
  });

  it('never mounts a parent after its child', () => {
    for (const { layout } of cases) {
      const { mounts } = planMounts(sandboxRules(layout));
      mounts.forEach((m, i) => {
        for (const later of mounts.slice(i + 1)) expect(m.dest.startsWith(`${later.dest}/`), `${later.dest} after ${m.dest}`).toBe(false);
      });
    }
  });

  it('says why a rule was dropped', () => {
    const rules: MountRule[] = [
      { kind: 'secret', path: '/h/.ssh', isFile: false },
      { kind: 'show', path: '/h/.ssh/keys-tool' },
      { kind: 'show', path: '/usr/bin' },
      { kind: 'writable', path: '/' },
    ];
    const { dropped } = planMounts(rules);
    expect(dropped.map((d) => d.reason)).toEqual(['the root is always read-only', 'already visible', 'beneath the hidden /h/.ssh']);
  });
});
