// Issue 11 with the real CLIs: each real claude, codex and gemini, through orchestrate, sandboxed,
// offline against the scripted model server, is made to write an attack script and run it (so
// the command filter sees only `sh attack.sh`): `git reset --hard`, `rm -rf ../*`, the same
// against the person's checkout by absolute path, then hooks, an alias, fsmonitor, a clean
// filter, textconv, an external diff, a setuid file and a loosened orchestrate.config.json
// planted in its copy and in the checkout. After the session and after `orchestrate apply`, the
// person's uncommitted work, .git/config, .git/hooks and a sibling folder are intact, there is no
// setuid file and no agent-written config, and nothing planted runs, also when the person uses git.

import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hostileScript } from '../helpers/hostile-script.js';
import { ORCHESTRATE_BIN } from './orchestrate-harness.js';
import { expectNothingLeft, reviewAware, useCompatFile } from './orchestrate-common.js';
import type { CliId } from './real-clis.js';

const file = useCompatFile();

function git(cwd: string, ...args: string[]): { status: number | null; out: string } {
  const r = spawnSync('git', ['-c', 'user.name=p', '-c', 'user.email=p@x', ...args], { cwd, encoding: 'utf8' });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

function gitPicture(target: string): string {
  const hooks = join(target, '.git', 'hooks');
  const names = existsSync(hooks) ? readdirSync(hooks).sort() : [];
  return [readFileSync(join(target, '.git', 'config'), 'utf8'), ...names.map((n) => `${n}:${readFileSync(join(hooks, n), 'utf8')}`)].join(
    '\n---\n',
  );
}

function setuidFiles(dir: string): string[] {
  const found: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const full = join(d, e.name);
      if (e.isDirectory()) walk(full);
      else if (e.isFile() && lstatSync(full).mode & 0o6000) found.push(full);
    }
  };
  walk(dir);
  return found;
}

describe.each<CliId>(['claude', 'codex', 'gemini'])('orchestrate: a hostile real %s works only on its session copy', (cli) => {
  it(`${cli}: the checkout, its .git and a sibling survive the session and the apply; nothing planted runs on the host`, async (ctx) => {
    const scenario = `orch-${cli}-isolation`;
    const session = file.newSession({
      label: scenario,
      agents: { [cli]: scenario },
      extraArgs: cli === 'codex' ? { codex: file.codexArgs(ctx) } : {},
      // a generous probe: gemini's --version alone took over 10 s on this shared machine under load
      config: { review: { enabled: false }, probeTimeout: '60s' },
    });
    const target = session.target;
    writeFileSync(join(target, 'README.md'), '# project\n');
    writeFileSync(join(target, 'app.js'), 'export const x = 1;\n');
    git(target, 'init', '-q');
    git(target, 'add', '-A');
    git(target, 'commit', '-qm', 'the project');
    appendFileSync(join(target, 'README.md'), "the person's uncommitted note\n");
    writeFileSync(join(target, 'notes.txt'), 'untracked notes\n');
    const sibling = join(session.dirs.root, 'sibling');
    mkdirSync(sibling);
    writeFileSync(join(sibling, 'keep.txt'), 'keep\n');
    // not writable inside the sandbox: only a planted program run on the host can leave a marker
    const markers = join(session.dirs.root, 'markers');
    mkdirSync(markers);
    const gitBefore = gitPicture(target);
    const readme = readFileSync(join(target, 'README.md'), 'utf8');
    file.server.register(
      scenario,
      reviewAware({
        turns: [
          { write: { path: 'attack.sh', content: hostileScript(markers, target, sibling) } },
          { shell: 'sh attack.sh' },
          { text: `DONE: ${cli} attacked` },
        ],
      }),
    );
    const plan = session.writePlan({ assignments: [{ id: 'work', agent: cli, role: 'implementation', title: 'Tidy up', weight: 1 }] });
    const exit = await session.run('Tidy up', ['--plan', plan, '--apply']);
    const why = session.explain(exit);
    expect(exit.timedOut, why).toBe(false);
    // the attack ran in the copy: its planted config is there
    const copy = session.json('session.json').copy as { workDir: string };
    expect(existsSync(join(copy.workDir, 'orchestrate.config.json')), why).toBe(true);
    void ctx.annotate(`exit ${exit.code}: ${session.json('summary.json').outcome}`);

    const afterSession = (): void => {
      expect(readFileSync(join(target, 'README.md'), 'utf8'), why).toBe(readme);
      expect(readFileSync(join(target, 'notes.txt'), 'utf8'), why).toBe('untracked notes\n');
      expect(gitPicture(target), why).toBe(gitBefore);
      expect(readFileSync(join(sibling, 'keep.txt'), 'utf8'), why).toBe('keep\n');
      expect(setuidFiles(target), why).toEqual([]);
      expect(existsSync(join(target, 'orchestrate.config.json')), why).toBe(false);
      expect(readdirSync(markers), why).toEqual([]);
    };
    afterSession();
    // --apply applies a successful session only; the person applies whatever the outcome
    const apply = spawnSync(process.execPath, [ORCHESTRATE_BIN, 'apply', 'last', '--target', target], {
      cwd: session.dirs.root,
      env: session.env(),
      encoding: 'utf8',
    });
    const applied = exit.code === 0 ? apply.status === 2 && /already applied/.test(apply.stderr) : apply.status === 0;
    expect(applied, `${apply.stdout}${apply.stderr}\n${why}`).toBe(true);
    afterSession();
    expect(existsSync(join(target, 'suid-true')), why).toBe(true); // its content crossed, without the bit
    git(target, 'status');
    git(target, 'add', '-A');
    git(target, 'commit', '-qm', 'after the session');
    git(target, 'diff', 'HEAD~1');
    git(target, 'log', '-p', '-1');
    expect(git(target, 'st').status, why).not.toBe(0);
    expect(readdirSync(markers), why).toEqual([]);
    await expectNothingLeft(file, session);
  });
});
