import type { AgentId } from '../agents/agent-id.js';
import { getAdapter } from '../agents/registry.js';
import { EXIT } from '../errors.js';
import { probeExecutable } from '../process/probe-executable.js';
import { resolveExecutable } from '../process/resolve-executable.js';
import { fail, ok, warn, type DoctorCheck } from './check.js';
import { compareVersions, versionIn } from './compare-version.js';
import { TESTED_VERSIONS } from './tested-versions.js';

/** What the CLI checks found for one agent: the checks, and the executable when it answered. */
export interface AgentCliResult {
  checks: DoctorCheck[];
  /** The resolved executable, set when it was found and answered its version probe. */
  executable?: string;
}

/**
 * Found and answering, the way a session's probe decides (the config's `executable`, else the
 * CLI's name on PATH; `--version` within probeTimeout), then its version against the tested ones.
 * A missing CLI is a warning here: the session moves down a tier. No agent at all is decided by the caller.
 */
export async function checkAgentCli(
  agent: AgentId,
  input: { executable?: string; env: Record<string, string>; cwd: string; probeTimeoutMs: number },
): Promise<AgentCliResult> {
  const adapter = getAdapter(agent);
  const tested = TESTED_VERSIONS[agent];
  const name = input.executable ?? adapter.defaultExecutable;
  const install = `install it: npm i -g ${tested.pkg}@${tested.pinned} (or set agents.${agent}.executable in the config)`;
  const resolved = resolveExecutable(name, input.env['PATH'], input.cwd);
  if (!resolved) {
    return { checks: [warn(`${agent}.found`, agent, `${name}: not found on PATH (sessions run without ${agent})`, install)] };
  }
  const probe = await probeExecutable(resolved, adapter.versionArgs, { timeoutMs: input.probeTimeoutMs, env: input.env, cwd: input.cwd });
  if (!probe.available) {
    const why = probe.reason ?? 'no answer';
    return {
      checks: [
        ok(`${agent}.found`, agent, `found: ${resolved}`),
        warn(
          `${agent}.answers`,
          agent,
          `does not answer ${adapter.versionArgs.join(' ')}: ${why} (sessions run without ${agent})`,
          // a slow start on a loaded machine is the common case of a timeout: the bound is the config's
          (why.includes('no answer within') ? `if it is only slow to start, raise probeTimeout in the config (e.g. "30s"); else ` : '') +
            `run "${resolved} ${adapter.versionArgs.join(' ')}" to see why; reinstall if it is broken: npm i -g ${tested.pkg}@${tested.pinned}`,
        ),
      ],
    };
  }
  return { checks: [ok(`${agent}.found`, agent, `found: ${resolved}`), versionCheck(agent, probe.version ?? '')], executable: resolved };
}

export function versionCheck(agent: AgentId, line: string): DoctorCheck {
  const tested = TESTED_VERSIONS[agent];
  const range = tested.pinned === tested.newest ? tested.pinned : `${tested.pinned} to ${tested.newest}`;
  const version = versionIn(line);
  if (!version)
    return warn(
      `${agent}.version`,
      agent,
      `version "${line}" is not a version number; tested: ${range}`,
      `install a tested version: npm i -g ${tested.pkg}@${tested.pinned}`,
    );
  if (compareVersions(version, tested.pinned) < 0) {
    return warn(
      `${agent}.version`,
      agent,
      `version ${version} is older than the tested ${range}: its flags or stream may differ`,
      `update it: npm i -g ${tested.pkg}@${tested.pinned}`,
    );
  }
  if (compareVersions(version, tested.newest) > 0) {
    return warn(
      `${agent}.version`,
      agent,
      `version ${version} is newer than the tested ${range}: it may have changed a flag or event orchestrate relies on`,
      `if a session misbehaves, install the tested one: npm i -g ${tested.pkg}@${tested.newest}`,
    );
  }
  return ok(`${agent}.version`, agent, `version ${version} (tested: ${range})`);
}

/** No agent found and answering: a session stops with exit 4. */
export function noAgentCheck(agents: readonly AgentId[]): DoctorCheck {
  const list = agents.map((a) => `npm i -g ${TESTED_VERSIONS[a].pkg}@${TESTED_VERSIONS[a].pinned}`).join('; ');
  return fail(
    'agents.available',
    'agents',
    `no agent CLI of ${agents.join(', ')} was found and answered --version: a session would stop (exit 4)`,
    `install at least one: ${list}`,
    EXIT.NO_AGENT,
  );
}
