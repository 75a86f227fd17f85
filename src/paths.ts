import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** `child` is `parent` or below it. Both absolute and normalised (no `..`, no doubled `/`). */
export function isWithin(child: string, parent: string): boolean {
  if (parent === '/') return true;
  const dir = parent.endsWith('/') ? parent.slice(0, -1) : parent;
  return child === dir || child.startsWith(`${dir}/`);
}

/** The person's home folder as the given environment names it: `HOME`, else the account's. */
export function homeOf(env: Readonly<Record<string, string | undefined>>): string {
  return env['HOME'] ?? os.homedir();
}

/**
 * orchestrate's per-user state folder for the sandbox (seccomp programs, the agents' private state):
 * `$XDG_STATE_HOME/orchestrate`, else `~/.local/state/orchestrate`.
 */
export function userStateDir(env: Readonly<Record<string, string | undefined>>): string {
  return path.join(env['XDG_STATE_HOME'] ?? path.join(homeOf(env), '.local', 'state'), 'orchestrate');
}

/** The installed package's root, with a trailing slash (this file is at `dist/paths.js`, or `src/paths.ts` under test). */
export const PACKAGE_ROOT = fileURLToPath(new URL('../', import.meta.url));

/** The command that runs orchestrate itself (the agents' hooks, the dashboard's sessions). */
export const ORCHESTRATE_BIN = [process.execPath, fileURLToPath(new URL('../bin/orchestrate.js', import.meta.url))];
