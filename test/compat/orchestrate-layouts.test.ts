// Issue 13, "host layouts": the pinned real claude, codex and gemini run through the orchestrate
// command line, sandboxed, in the host layouts that used to break them (orchestrate and the target
// under one /tmp folder; TMPDIR outside /tmp; the CLIs and HOME under one temp root; a CLI installed
// under the home as with nvm). Each session has one assignment per CLI: its file tool writes a file,
// its shell tool another (and tries to read ~/.ssh). The CLI installs are hard-link copies of the
// compat cache (same file system, no extra space).

import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { expectNothingLeft, readTarget, useCompatFile } from './orchestrate-common.js';
import { CompatSession, ORCHESTRATE_BIN, REPO_ROOT } from './orchestrate-harness.js';
import type { Scenario } from './model-server.js';
import { CLI_IDS, compatRoot, type CliId } from './real-clis.js';

const file = useCompatFile();
const clis = inject('compatClis');
const scratch: string[] = [];
/** A service the person runs on the host's loopback, holding a token: no agent may reach it. */
const hostService = createServer((_req, res) => res.end('HOST-SERVICE-TOKEN'));
let hostPort = 0;
beforeAll(async () => {
  await new Promise<void>((r) => hostService.listen(0, '127.0.0.1', r));
  hostPort = (hostService.address() as AddressInfo).port;
});
afterAll(async () => {
  await new Promise((r) => hostService.close(r));
  for (const d of scratch) rmSync(d, { recursive: true, force: true });
});

/** The compat install (`<root>/node_modules/.bin/<cli>`) linked under `dir`; the CLIs' paths there. */
function linkInstall(dir: string): Record<CliId, string> {
  const install = join(clis.claude, '..', '..', '..');
  mkdirSync(dir, { recursive: true });
  const r = spawnSync('cp', ['-al', join(install, 'node_modules'), dir], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`cp -al failed: ${r.stderr}`);
  return Object.fromEntries(CLI_IDS.map((c) => [c, join(dir, 'node_modules', '.bin', c)])) as Record<CliId, string>;
}

/** A copy of the built orchestrate (bin, dist, package.json; its node_modules linked) under `dir`. */
function copyOrchestrate(dir: string): string {
  mkdirSync(dir, { recursive: true });
  for (const part of ['bin', 'dist', 'package.json']) spawnSync('cp', ['-r', join(REPO_ROOT, part), dir]);
  spawnSync('ln', ['-s', join(REPO_ROOT, 'node_modules'), join(dir, 'node_modules')]);
  return join(dir, 'bin', 'orchestrate.js');
}

/** A file of the session copy (where the agents work; the checkout gets it only by `apply`). */

function script(cli: CliId): Scenario {
  return {
    turns: [
      { write: { path: `${cli}-file.txt`, content: `written by ${cli}\n` } },
      {
        shell: `cat ~/.ssh/id_ed25519 > ${cli}-ssh.txt 2>&1; curl -s -m 5 http://127.0.0.1:${hostPort}/ > ${cli}-net.txt 2>&1; echo ${cli} ran > ${cli}-shell.txt`,
      },
      { text: `DONE: ${cli} finished` },
    ],
  };
}

interface Layout {
  name: string;
  /** Where the run's home/tmp/work go (default: the compat cache, outside /tmp). */
  runsUnder?: () => string;
  /** The CLIs to run, given the session (default: the compat install). */
  clis?: (session: CompatSession) => Record<CliId, string> | undefined;
  orchestrate?: () => string;
  env?: (root: string) => Record<string, string>;
}

const tmpRoot = (label: string) => (): string => {
  const d = mkdtempSync(`/tmp/orch-layout-${label}-`);
  scratch.push(d);
  return d;
};

const layouts: Layout[] = [
  (() => {
    const root = tmpRoot('one-folder')();
    return {
      name: 'orchestrate and the target under one /tmp folder',
      runsUnder: () => root,
      orchestrate: () => copyOrchestrate(join(root, 'orchestrate')),
    };
  })(),
  (() => {
    const outside = join(compatRoot(), 'layout-tmp', `${process.pid}`);
    return { name: 'TMPDIR outside /tmp (and outside the run)', env: () => (mkdirSync(outside, { recursive: true }), { TMPDIR: outside }) };
  })(),
  (() => {
    const root = tmpRoot('cli-home')();
    return { name: 'the CLIs and HOME under one temp root', runsUnder: () => root, clis: () => linkInstall(join(root, 'cli')) };
  })(),
  {
    name: 'the CLIs installed under the home (as with nvm)',
    clis: (s) => linkInstall(join(s.dirs.home, '.nvm', 'versions', 'node', 'v20', 'lib')),
  },
];

describe.each(layouts.map((l) => [l.name, l] as const))('real CLIs through orchestrate: %s', (_name, layout) => {
  it('all three write their files inside the sandbox; ~/.ssh stays hidden; exit 0', async (ctx) => {
    const agents = Object.fromEntries(CLI_IDS.map((c) => [c, `layout-${c}-${ctx.task.id}`])) as Record<CliId, string>;
    for (const c of CLI_IDS) file.server.register(agents[c], script(c));
    const orchestrateBin = layout.orchestrate?.() ?? ORCHESTRATE_BIN;
    const session = new CompatSession({
      label: `layout-${ctx.task.id}`,
      server: file.server,
      clis,
      agents,
      extraArgs: { codex: file.codexArgs(ctx) },
      // gemini's start is slow on a loaded machine: the probe and the self-test get time
      config: { review: { enabled: false }, probeTimeout: '60s' },
      ...(layout.runsUnder ? { runsUnder: layout.runsUnder() } : {}),
      orchestrateBin,
      ...(layout.env ? { env: layout.env('') } : {}),
    });
    let passed = false;
    try {
      const moved = layout.clis?.(session);
      if (moved) {
        const config = JSON.parse(readFileSync(session.configFile, 'utf8'));
        for (const c of CLI_IDS) config.agents[c].executable = moved[c];
        writeFileSync(session.configFile, JSON.stringify(config, null, 2));
      }
      mkdirSync(join(session.dirs.home, '.ssh'), { recursive: true });
      writeFileSync(join(session.dirs.home, '.ssh', 'id_ed25519'), 'SSH-SECRET-KEY\n');
      const plan = session.writePlan({
        assignments: CLI_IDS.map((c) => ({ id: `${c}-work`, agent: c, role: 'implementation', title: `Write ${c}-file.txt`, weight: 1 })),
      });
      const exit = await session.run('Each agent writes its file', ['--plan', plan]);
      const why = session.explain(exit);
      expect(exit.timedOut, why).toBe(false);
      const selfTest = session.journal().find((e) => e.type === 'safety.sandbox_self_test');
      expect(selfTest, why).toMatchObject({ ok: true });
      expect(exit.code, why).toBe(0);
      for (const c of CLI_IDS) {
        expect(readTarget(session, `${c}-file.txt`), why).toBe(`written by ${c}\n`);
        expect(readTarget(session, `${c}-shell.txt`), why).toBe(`${c} ran\n`);
        expect(readTarget(session, `${c}-ssh.txt`), why).not.toContain('SSH-SECRET-KEY');
        // the host's loopback service is not reachable, while the CLI's own (local) model server was
        expect(readTarget(session, `${c}-net.txt`), why).not.toContain('HOST-SERVICE-TOKEN');
      }
      await expectNothingLeft(file, session);
      passed = true;
    } finally {
      await session.cleanup(passed);
    }
  });
});
