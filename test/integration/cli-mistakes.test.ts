import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AS_NOBODY, CANNOT_RUN_AS_NOBODY } from '../helpers/run-as-nobody.js';
import { ORCHESTRATE_BIN, OrchestrateHarness, SANDBOX_USABLE, type OrchestrateExit } from '../helpers/orchestrate-harness.js';

// A command line that is safe to mistype: nothing starts on a typo, a closed pipe ends output
// and never the session, and bad files are reported before any probing, with file and line.
const TASK = 'Add a --json flag to the report command';
let h: OrchestrateHarness;
afterEach(async () => h?.cleanup());

/** Every agent launch the simulated CLIs logged (probes included). */
function agentStarts(h: OrchestrateHarness): number {
  return (['claude', 'codex', 'gemini'] as const).reduce((n, cli) => n + h.fakeLog(cli).filter((r) => r.kind === 'argv').length, 0);
}

/**
 * Runs orchestrate with its stdout a pipe whose reading end is closed at once, as `| head -1`
 * leaves it: every write fails with EPIPE.
 */
function runWithClosedStdout(h: OrchestrateHarness, args: string[]): Promise<OrchestrateExit> {
  const sandbox = SANDBOX_USABLE ? [] : ['--no-sandbox'];
  const child = spawn(
    process.execPath,
    [
      ORCHESTRATE_BIN,
      ...args.slice(0, 1),
      '--target',
      h.target,
      ...(args[0] === 'sessions' ? [] : ['--config', h.configFile, ...sandbox]),
      ...args.slice(1),
    ],
    {
      cwd: h.root,
      env: h.env(),
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stdout.destroy();
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve) => child.once('close', (code, signal) => resolve({ code, signal, stdout: '', stderr })));
}

describe('a mistyped command line', () => {
  it.each([['sesions'], ['help'], ['shwo'], ['replya']])(
    '`orchestrate %s` starts nothing and says what was meant (exit 2)',
    async (word) => {
      h = new OrchestrateHarness();
      const exit = await h.run([word]);
      expect(exit.code).toBe(2);
      expect(exit.stderr).toMatch(/did you mean "orchestrate (sessions|--help|show|replay)"/);
      expect(exit.stdout).toBe('');
      expect(h.sessionDirs()).toEqual([]);
      expect(agentStarts(h)).toBe(0);
    },
  );

  it('an unknown option is a usage error that points to --help', async () => {
    h = new OrchestrateHarness();
    const exit = await h.run(['--tiemout', '5m', TASK]);
    expect(exit.code).toBe(2);
    expect(exit.stderr).toContain("unknown option '--tiemout'");
    expect(exit.stderr).toContain('orchestrate --help');
    expect(h.sessionDirs()).toEqual([]);
  });
});

describe('a closed pipe on stdout (`| head -1`)', () => {
  it('ends the output quietly; the run goes on and completes', async () => {
    h = new OrchestrateHarness();
    const exit = await runWithClosedStdout(h, [TASK]);
    expect(exit.code, exit.stderr).toBe(0);
    expect(exit.stderr).not.toContain('EPIPE');
    expect(h.json('session.json').state).toBe('completed');
    expect(h.journal().at(-1)?.type).toBe('session.completed');
    expect(await h.waitNoProcesses()).toEqual([]);
  });

  it('`sessions` ends quietly too (exit 0, nothing on stderr)', async () => {
    h = new OrchestrateHarness({ agents: ['claude'] });
    expect((await h.run(['--agents', 'claude', '--no-review', TASK])).code).toBe(0);
    const exit = await runWithClosedStdout(h, ['sessions']);
    expect(exit.code).toBe(0);
    expect(exit.stderr).toBe('');
  });
});

/** `'…'` for sh: every argument of the pipelines below, whatever it holds. */
const q = (word: string): string => `'${word.replaceAll("'", `'\\''`)}'`;

/**
 * Runs `sh -c '{ orchestrate <args>; echo $? >status; } | { head -1; exec <&-; date >gone; }'`:
 * a literal `| head -1`, the reader then closing the pipe's last read end and noting when (ms),
 * so the test knows orchestrate wrote on into a pipe nobody reads. Waits for the shell to end.
 */
async function pipeToHead(
  h: OrchestrateHarness,
  args: string[],
): Promise<{ status: number; first: string; stderr: string; goneAt: number }> {
  const files = {
    status: path.join(h.root, 'status'),
    first: path.join(h.root, 'first'),
    err: path.join(h.root, 'err'),
    gone: path.join(h.root, 'gone'),
  };
  const orchestrate = [process.execPath, ORCHESTRATE_BIN, ...args].map(q).join(' ');
  const script =
    `{ ${orchestrate} 2>${q(files.err)}; echo $? >${q(files.status)}; } | ` +
    `{ head -1 >${q(files.first)}; exec <&-; date +%s%3N >${q(files.gone)}; }`;
  const child = spawn('/bin/sh', ['-c', script], { cwd: h.root, env: h.env(), stdio: 'ignore' });
  const code = await new Promise<number | null>((resolve) => child.once('close', (c) => resolve(c)));
  expect(code, 'the pipeline (sh) exit').toBe(0);
  return {
    status: Number(readFileSync(files.status, 'utf8')),
    first: readFileSync(files.first, 'utf8'),
    stderr: readFileSync(files.err, 'utf8'),
    goneAt: Number(readFileSync(files.gone, 'utf8')),
  };
}

describe('a literal shell pipeline `| head -1`', () => {
  it('on a run: the first line shows, the run completes (exit 0, session completed), no EPIPE', async () => {
    h = new OrchestrateHarness();
    const sandbox = SANDBOX_USABLE ? [] : ['--no-sandbox'];
    const out = await pipeToHead(h, ['--target', h.target, '--config', h.configFile, ...sandbox, TASK]);
    expect(out.status, out.stderr).toBe(0);
    expect(out.stderr).not.toMatch(/EPIPE|internal error|Unhandled/);
    expect(out.first.split('\n').filter(Boolean)).toHaveLength(1);
    expect(h.json('session.json').state).toBe('completed');
    expect(h.json('summary.json').exitCode).toBe(0);
    const completed = h.journal().at(-1);
    expect(completed?.type).toBe('session.completed');
    // the session ended (and its summary lines were written) after the pipe had lost its reader
    expect(Date.parse(String(completed?.['time']))).toBeGreaterThan(out.goneAt);
    expect(await h.waitNoProcesses()).toEqual([]);
  });

  it('on `sessions`: the header line shows, exit 0, nothing on stderr', async () => {
    h = new OrchestrateHarness({ agents: ['claude'] });
    expect((await h.run(['--agents', 'claude', '--no-review', TASK])).code).toBe(0);
    // 1,000 listed sessions (copies of the real one's records): far more than a pipe holds, so
    // orchestrate is still writing when head has gone
    const real = h.sessionDir();
    for (let n = 0; n < 1000; n++) {
      const copy = `${real}-${String(n).padStart(4, '0')}`;
      for (const file of readdirSync(real).filter((f) => f.endsWith('.json') && statSync(path.join(real, f)).isFile()))
        cpSync(path.join(real, file), path.join(copy, file));
    }
    const out = await pipeToHead(h, ['sessions', '--target', h.target]);
    expect(out.status, out.stderr).toBe(0);
    expect(out.stderr).toBe('');
    expect(out.first).toMatch(/^ID\s+STARTED \(UTC\)\s+STATE/);
    expect(existsSync(path.join(h.root, 'gone'))).toBe(true);
  });
});

describe('bad files are reported before any probing, on stderr, with file and line', () => {
  it('a plan file with a JSON syntax error: file:line:column, exit 3, no session, no agent started', async () => {
    h = new OrchestrateHarness();
    const plan = path.join(h.root, 'plan.json');
    writeFileSync(plan, '{\n  "assignments": [\n    { "id": "a", "agent": "claude", "title": "x", "weight": 1 },\n  ]\n}\n');
    const exit = await h.run(['--plan', plan, TASK]);
    expect(exit.code).toBe(3);
    expect(exit.stderr).toContain(`${plan}:4:3: not valid JSON`);
    expect(exit.stdout).toBe('');
    expect(h.sessionDirs()).toEqual([]);
    expect(agentStarts(h)).toBe(0);
  });

  it('a plan naming an agent outside --agents, a config with invalid JSON or a wrong field: the same, with the line', async () => {
    h = new OrchestrateHarness();
    const plan = path.join(h.root, 'plan.json');
    writeFileSync(plan, JSON.stringify({ assignments: [{ id: 'a', agent: 'gemini', title: 'x', weight: 1 }] }));
    const exit = await h.run(['--agents', 'claude', '--plan', plan, TASK]);
    expect(exit.code).toBe(3);
    expect(exit.stderr).toContain(`${plan}:1:35: assignments.0.agent: gemini is not available`);
    writeFileSync(h.configFile, '{\n  "timeout": "5m"\n  "review": {}\n}\n');
    const config = await h.run([TASK]);
    expect(config.code).toBe(3);
    expect(config.stderr).toContain(`${h.configFile}:3:3: not valid JSON`);
    // valid JSON, a field of the wrong type: its line too
    writeFileSync(h.configFile, '{\n  "review": {\n    "maxRounds": "two"\n  }\n}\n');
    const field = await h.run([TASK]);
    expect(field.code).toBe(3);
    expect(field.stderr).toContain(`${h.configFile}:3:18: review.maxRounds: `);
    expect(h.sessionDirs()).toEqual([]);
    expect(agentStarts(h)).toBe(0);
  });
});

describe('permission problems', () => {
  it.skipIf(CANNOT_RUN_AS_NOBODY !== undefined)(
    'a target this user cannot write is a usage error naming it (exit 2), not an internal error',
    async () => {
      h = new OrchestrateHarness();
      // the scratch tree readable by "nobody", the target writable only by root
      for (const dir of [h.root, h.target, path.dirname(h.configFile)]) chmodSync(dir, 0o755);
      chmodSync(h.configFile, 0o644);
      const run = spawnSync(
        AS_NOBODY[0]!,
        [...AS_NOBODY.slice(1), process.execPath, ORCHESTRATE_BIN, '--target', h.target, '--config', h.configFile, TASK],
        {
          env: h.env(),
          encoding: 'utf8',
        },
      );
      expect(run.status, run.stderr).toBe(2);
      expect(run.stderr).toContain(`--target: cannot write ${h.target}: permission denied`);
      expect(run.stderr).not.toContain('internal error');
      expect(run.stderr).not.toMatch(/\n\s+at /);
      expect(readFileSync(h.configFile, 'utf8')).toContain('allowWrite');
      expect(h.sessionDirs()).toEqual([]);
    },
  );

  it.skipIf(CANNOT_RUN_AS_NOBODY !== undefined)(
    'a workspace this user cannot create is a usage error naming the folder that refuses it (exit 2), no session',
    async () => {
      h = new OrchestrateHarness();
      // the target writable by "nobody"; the workspace asked for under the root-owned scratch folder
      for (const dir of [h.root, path.dirname(h.configFile)]) chmodSync(dir, 0o755);
      chmodSync(h.target, 0o777);
      chmodSync(h.configFile, 0o644);
      const workspace = path.join(h.root, 'sessions-here');
      const run = spawnSync(
        AS_NOBODY[0]!,
        [
          ...AS_NOBODY.slice(1),
          process.execPath,
          ORCHESTRATE_BIN,
          '--target',
          h.target,
          '--workspace',
          workspace,
          '--config',
          h.configFile,
          TASK,
        ],
        { env: h.env(), encoding: 'utf8' },
      );
      expect(run.status, run.stderr).toBe(2);
      expect(run.stderr).toContain(`--workspace: cannot write ${h.root}: permission denied`);
      expect(run.stderr).not.toContain('internal error');
      expect(existsSync(workspace)).toBe(false);
      expect(agentStarts(h)).toBe(0);
    },
  );
});
