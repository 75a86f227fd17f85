import { existsSync } from 'node:fs';
import path from 'node:path';

/** True when `dir` or one of its parents holds a `.git` entry (a git work tree). */
export function isGitWorkTree(dir: string): boolean {
  let current = path.resolve(dir);
  for (;;) {
    if (existsSync(path.join(current, '.git'))) return true;
    const parent = path.dirname(current);
    if (parent === current) return false;
    current = parent;
  }
}

/** True when orchestrate runs as root (uid 0). */
export function runningAsRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/** The environment passed to an agent: orchestrate's own, then config, then the adapter's. */
export function buildAgentEnv(
  base: NodeJS.ProcessEnv,
  ...layers: ReadonlyArray<Record<string, string>>
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(base)) if (v !== undefined) env[k] = v;
  for (const layer of layers) Object.assign(env, layer);
  return env;
}
