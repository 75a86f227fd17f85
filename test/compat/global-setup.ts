// Runs once before the compat suite: installs the pinned real CLIs (or finds them cached) with
// scripts/install-compat-clis.mjs and hands their paths to the tests (`inject('compatClis')`).
// If they cannot be installed the whole run FAILS: this suite never skips silently.

import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import type { CliId } from './real-clis.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Executable path of each pinned real CLI. */
    compatClis: Record<CliId, string>;
  }
}

export default function setup(project: TestProject): void {
  const script = fileURLToPath(new URL('../../scripts/install-compat-clis.mjs', import.meta.url));
  const r = spawnSync(process.execPath, [script], {
    encoding: 'utf8',
    // The installer's progress and errors go straight to the terminal; stdout is the JSON answer.
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (r.error || r.status !== 0) {
    throw new Error(
      `compat suite: the real CLIs could not be installed (node scripts/install-compat-clis.mjs ` +
        `${r.error ? `failed to start: ${r.error.message}` : `exited ${r.status ?? r.signal}`}; its message is above). ` +
        'The compat suite needs them and does not skip: fix the install (npm registry reachable? disk space?) and rerun.',
    );
  }
  let clis: Record<CliId, string>;
  try {
    clis = JSON.parse(r.stdout) as Record<CliId, string>;
  } catch {
    throw new Error(`compat suite: the installer printed no JSON on stdout: ${r.stdout.slice(0, 500)}`);
  }
  for (const id of ['claude', 'codex', 'gemini'] as const) {
    if (typeof clis[id] !== 'string') throw new Error(`compat suite: the installer gave no path for ${id}`);
  }
  project.provide('compatClis', clis);
}
