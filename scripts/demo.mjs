#!/usr/bin/env node
// `npm run demo`: runs orchestrate end to end on a temporary copy of fixtures/sample-project,
// with the simulated agents in fixtures/agents first on PATH (no real CLI, no network, no key).
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const target = mkdtempSync(path.join(os.tmpdir(), 'orchestrate-demo-'));
cpSync(path.join(root, 'fixtures', 'sample-project'), target, { recursive: true });

const env = {
  ...process.env,
  PATH: `${path.join(root, 'fixtures', 'agents')}${path.delimiter}${process.env.PATH ?? ''}`,
};
for (const key of Object.keys(env)) if (key.startsWith('FAKE_')) delete env[key];

const bwrap = spawnSync('bwrap', ['--unshare-user', '--cap-drop', 'ALL', '--ro-bind', '/', '/', 'true'], { stdio: 'ignore' });
const sandboxArgs = bwrap.status === 0 ? [] : ['--no-sandbox'];
if (sandboxArgs.length) {
  console.log('NOTE: bubblewrap is not usable on this machine, so this demo runs the simulated agents UNSANDBOXED');
  console.log('      (--no-sandbox). Real agents never run unsandboxed unless you pass --no-sandbox yourself.');
  console.log('      Install it with: sudo apt-get install bubblewrap');
}

const task = process.argv[2] ?? 'Add a --json flag to the report command';
console.log(`Demo project: ${target}\n$ orchestrate ${sandboxArgs.join(' ')} --target ${target} "${task}"\n`);
const run = spawnSync(process.execPath, [path.join(root, 'bin', 'orchestrate.js'), ...sandboxArgs, '--target', target, task], {
  env,
  stdio: 'inherit',
});
process.exit(run.status ?? 1);
