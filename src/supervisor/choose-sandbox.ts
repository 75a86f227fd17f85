import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { OrchestrateConfig } from '../config/schema.js';
import { SafetyError } from '../errors.js';
import { PACKAGE_ROOT, homeOf, userStateDir } from '../paths.js';
import { stateRoot } from '../session/paths.js';
import { INSTALL_BWRAP_HINT, probeSandbox } from '../process/probe-sandbox.js';
import { detectCgroups } from '../safety/limits/cgroups.js';
import { DEFAULT_LIMITS, type ResolvedLimits } from '../safety/limits/resolve-limits.js';
import { createSandboxRuntime, describeMechanisms } from '../safety/sandbox-runtime.js';
import { bwrapSandboxPlan } from './create-sandbox-plan.js';
import { runningAsRoot } from './launch-context.js';
import { noSandbox, type SandboxPlan } from './sandbox-plan.js';

/** What the sandbox needs of the session. */
export interface SandboxSession {
  target: string;
  workspace: string;
  allowWrite: string[];
  allowRead: string[];
  limits: ResolvedLimits;
  network: 'allowlist' | 'host';
  allowHosts: string[];
}

/** What the sandbox needs of the session, from its config. */
export function sandboxSessionFor(config: OrchestrateConfig, target: string, workspace: string, limits: ResolvedLimits): SandboxSession {
  const { allowWrite, allowRead, network, allowHosts } = config.sandbox;
  return { target, workspace, allowWrite, allowRead, limits, network, allowHosts };
}

/** Where the sandbox keeps the agents' private state copies (`orchestrate doctor` checks it too). */
export function agentStateRoot(env: NodeJS.ProcessEnv): string {
  return path.join(stateRoot(env), 'agent-state');
}

/**
 * The session's sandbox plan (also built by `orchestrate doctor`, to self-test it). Without
 * `wanted` (--no-sandbox) the agents run unsandboxed; otherwise a machine where bubblewrap cannot
 * sandbox refuses to start.
 */
export async function chooseSandbox(wanted: boolean, env: NodeJS.ProcessEnv, session: SandboxSession): Promise<SandboxPlan> {
  if (!wanted) return noSandbox('--no-sandbox was given');
  const probe = await probeSandbox(env);
  if (!probe.usable || !probe.bwrap) throw new SafetyError(`refusing to start without a sandbox: ${probe.reason}`, INSTALL_BWRAP_HINT);
  const home = homeOf(env);
  const stateDir = userStateDir(env);
  const runAsRoot = runningAsRoot();
  const { limits, target, workspace, allowWrite } = session;
  const kernel = {
    cgroups: detectCgroups(),
    pidsMax: limits.processes ?? DEFAULT_LIMITS.processes!,
    memoryBytes: limits.memoryBytes,
    ...(limits.cpuPercent !== undefined ? { cpuPercent: limits.cpuPercent } : {}),
    tmpSizeBytes: limits.tmpBytes ?? DEFAULT_LIMITS.tmpBytes!,
  };
  const extras = createSandboxRuntime({
    ...kernel,
    dir: path.join(stateDir, 'seccomp'),
    runAsRoot,
    writableRoots: (extra) => [target, ...allowWrite, ...extra],
    exclude: [workspace],
  });
  return bwrapSandboxPlan({
    bwrap: probe.bwrap,
    reason: `${probe.reason}; ${describeMechanisms(kernel)}; setuid/setgid bits refused by seccomp; ${session.network === 'allowlist' ? "network: own namespace, egress only to each CLI's API and sandbox.allowHosts" : 'network: the host\'s (sandbox.network "host")'}`,
    target,
    workspace,
    allowWrite,
    allowRead: session.allowRead,
    home,
    stateRoot: agentStateRoot(env),
    orchestrateInstall: [path.dirname(process.execPath), PACKAGE_ROOT],
    tmpSizeBytes: kernel.tmpSizeBytes,
    runAsRoot,
    extras,
    ...(session.network === 'allowlist'
      ? {
          network: {
            allowHosts: session.allowHosts,
            node: process.execPath,
            forwarder: fileURLToPath(new URL('../process/net-forwarder-main.js', import.meta.url)),
          },
        }
      : {}),
  });
}
