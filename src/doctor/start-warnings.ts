import { isAgentId } from '../agents/agent-id.js';
import type { OrchestrateConfig } from '../config/schema.js';
import type { JournalEntry } from '../session/journal-entry.js';
import { homeOf } from '../paths.js';
import { versionCheck } from './agent-cli.js';
import { agentEnvFor } from '../supervisor/launch-context.js';
import { checkLogin } from './login.js';
import { isSimulatedAgent } from './simulated.js';

/**
 * The quick part of `orchestrate doctor` a session's start runs (no process of its own: the
 * version comes from the session's probe, the login from files and environment): for each
 * available agent, a version the project was not tested with and a missing login, as warnings
 * with their fix. The slow parts (bubblewrap, the self-test in the sandbox) the start runs anyway.
 */
export function startWarnings(input: {
  config: OrchestrateConfig;
  env: NodeJS.ProcessEnv;
  target: string;
  warn: (line: string) => void;
}): (entry: JournalEntry) => void {
  return (entry) => {
    const agent = entry.type === 'agent.probe' && entry.available ? entry.agent : undefined;
    if (agent === undefined || !isAgentId(agent) || entry.type !== 'agent.probe') return;
    const cfg = input.config.agents[agent];
    const env = agentEnvFor(agent, input.env, input.config);
    const checks = [versionCheck(agent, entry.version ?? '')];
    const resolved = (entry as { resolved?: string }).resolved;
    if (!isSimulatedAgent(resolved))
      checks.push(checkLogin(agent, { env, home: homeOf(env), target: input.target, args: cfg?.args ?? [] }));
    for (const c of checks) if (c.status !== 'ok') input.warn(`orchestrate: warning: ${agent}: ${c.summary}\n  fix: ${c.fix}\n`);
  };
}
