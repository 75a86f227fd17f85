// `orchestrate doctor` with the real pinned CLIs: each is found at a tested version, appears
// logged in with the key variables a user would set (dummy values; no model call is made), and
// starts inside orchestrate's sandbox as a session launches it (the session's own self-test).
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { ORCHESTRATE_BIN, SANDBOX_USABLE } from '../helpers/orchestrate-harness.js';
import { DUMMY_KEYS, makeRunDirs, removeRunDirs, type RunDirs } from './real-clis.js';

let dirs: RunDirs | undefined;
afterEach(() => {
  if (dirs) removeRunDirs(dirs);
  dirs = undefined;
});

interface Check {
  id: string;
  status: string;
  summary: string;
}

function runDoctor(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [ORCHESTRATE_BIN, 'doctor', '--json', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
}

describe('orchestrate doctor with the real CLIs', () => {
  it.skipIf(!SANDBOX_USABLE)('finds each at a tested version, logged in, starting inside the sandbox', async () => {
    const clis = inject('compatClis');
    dirs = makeRunDirs('doctor');
    const config = path.join(dirs.root, 'orchestrate.config.json');
    // gemini's --version takes seconds on a loaded machine
    writeFileSync(config, JSON.stringify({ probeTimeout: '60s' }));
    const env: Record<string, string> = {
      PATH: [...new Set(Object.values(clis).map((p) => path.dirname(p))), path.dirname(process.execPath), '/usr/bin', '/bin'].join(':'),
      HOME: dirs.home,
      TMPDIR: dirs.tmp,
      LANG: 'C.UTF-8',
      ANTHROPIC_API_KEY: DUMMY_KEYS.anthropic,
      OPENAI_API_KEY: DUMMY_KEYS.openai,
      GEMINI_API_KEY: DUMMY_KEYS.gemini,
      DISABLE_AUTOUPDATER: '1',
      GEMINI_CLI_NO_RELAUNCH: 'true',
    };
    const exit = await runDoctor(['--target', dirs.work, '--config', config], env);
    const report = JSON.parse(exit.stdout) as { exitCode: number; checks: Check[] };
    const check = (id: string): Check | undefined => report.checks.find((c) => c.id === id);
    for (const agent of ['claude', 'codex', 'gemini']) {
      expect(check(`${agent}.version`), exit.stdout).toMatchObject({ status: 'ok' });
      expect(check(`${agent}.login`)).toMatchObject({ status: 'ok' });
      expect(check(`${agent}.sandbox`), exit.stdout).toMatchObject({
        status: 'ok',
        summary: 'starts inside the sandbox as a session launches it',
      });
    }
    expect(exit.code, exit.stdout).toBe(0);
  });
});
