import { existsSync } from 'node:fs';
import path from 'node:path';
import type { AgentId } from '../agents/agent-id.js';
import type { OrchestrateConfig } from '../config/schema.js';
import { agentBaseEnv } from '../safety/agent-env.js';
import type { FilterContext } from '../safety/command-filter/index.js';
import { homeOf } from '../paths.js';

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
export function buildAgentEnv(base: NodeJS.ProcessEnv, ...layers: ReadonlyArray<Record<string, string>>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(base)) if (v !== undefined) env[k] = v;
  for (const layer of layers) Object.assign(env, layer);
  return env;
}

/** An agent's environment before the adapter's: the allow-listed part of orchestrate's (agent-env.ts), then its config `env`. */
export function agentEnvFor(
  agent: AgentId,
  env: NodeJS.ProcessEnv,
  config: Pick<OrchestrateConfig, 'agents' | 'sandbox'>,
): Record<string, string> {
  return buildAgentEnv(agentBaseEnv(agent, env, config.sandbox.passEnv), config.agents[agent]?.env ?? {});
}

/**
 * The command filter's view of one agent's launch: the session's real roots, and the HOME and
 * TMPDIR the agent gets. Layer 1 (the generated hook files) and layer 2 (the stream guard) both
 * use it, so they judge a command alike.
 */
export function filterContextFor(
  target: string,
  allowWrite: readonly string[],
  agentEnv: Readonly<Record<string, string | undefined>>,
): FilterContext {
  return {
    cwd: target,
    workspaceRoots: [target, ...allowWrite],
    home: homeOf(agentEnv),
    tmpDirs: [...new Set([agentEnv['TMPDIR'] ?? '/tmp', '/tmp', '/var/tmp'])],
  };
}
