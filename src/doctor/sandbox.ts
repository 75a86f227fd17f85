import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { AgentId } from '../agents/agent-id.js';
import { EXIT } from '../errors.js';
import { INSTALL_BWRAP_HINT, probeSandbox } from '../process/probe-sandbox.js';
import type { CgroupSupport } from '../safety/limits/cgroups.js';
import { startEgressProxy } from '../safety/network/egress-proxy.js';
import type { SandboxPlan } from '../supervisor/sandbox-plan.js';
import { selfTestFailures, type SelfTestOptions } from '../supervisor/sandbox-self-test.js';
import { fail, ok, warn, type DoctorCheck } from './check.js';

/**
 * bubblewrap, probed the way a session's start probes it. Without it a session refuses to start
 * (exit 6) unless `--no-sandbox` is given, which doctor takes into account when told.
 */
export async function checkBubblewrap(env: NodeJS.ProcessEnv, sandboxWanted: boolean): Promise<{ check: DoctorCheck; bwrap?: string }> {
  if (!sandboxWanted)
    return {
      check: warn(
        'sandbox.bwrap',
        'sandbox',
        'not checked: --no-sandbox (agents would run unsandboxed)',
        'drop --no-sandbox to run the agents under bubblewrap',
      ),
    };
  const probe = await probeSandbox(env);
  if (!probe.usable || !probe.bwrap)
    return {
      check: fail('sandbox.bwrap', 'sandbox', `${probe.reason}: a session would refuse to start (exit 6)`, INSTALL_BWRAP_HINT, EXIT.SAFETY),
    };
  return { check: ok('sandbox.bwrap', 'sandbox', `${probe.reason} creates a sandbox here`), bwrap: probe.bwrap };
}

/** What the sandbox self-test of a session needs, given by the CLI (which builds the session's sandbox plan). */
export interface SandboxSelfTestInput {
  /** The session's sandbox plan for this config (supervisor/choose-sandbox.ts). */
  plan: () => Promise<SandboxPlan>;
  /** Where the plan puts each agent's private state copies (`<agentStateRoot>/<session dir name>/<agent>`), removed afterwards. */
  agentStateRoot: string;
}

/**
 * Each answering CLI started inside the sandbox exactly as a session's start does it (the
 * session's own self-test: the mount plan, its temp dir, cgroup, seccomp and, with the allowlist
 * network, the proxy and forwarder; codex's nested sandbox). A failure stops a session with exit 6.
 */
export async function checkAgentsInSandbox(
  input: SandboxSelfTestInput,
  opts: Omit<SelfTestOptions, 'sandbox' | 'signal'>,
  executables: ReadonlyMap<AgentId, string>,
): Promise<DoctorCheck[]> {
  const agents = [...executables.keys()];
  if (agents.length === 0) return [];
  const sessionDir = mkdtempSync(path.join(os.tmpdir(), 'orchestrate-doctor-'));
  try {
    const sandbox = await input.plan();
    const failures = await selfTestFailures({ ...opts, sandbox, signal: new AbortController().signal }, agents, executables, sessionDir);
    return agents.map((agent) => {
      const failure = failures.find((f) => f.agent === agent);
      if (!failure) return ok(`${agent}.sandbox`, agent, 'starts inside the sandbox as a session launches it');
      return fail(
        `${agent}.sandbox`,
        agent,
        `${failure.check}: ${failure.detail} (a session would stop, exit 6)`,
        failure.fix,
        EXIT.SAFETY,
      );
    });
  } finally {
    rmSync(sessionDir, { recursive: true, force: true });
    // the plan copied each agent's state (its login included) for this run: not kept
    rmSync(path.join(input.agentStateRoot, path.basename(sessionDir)), { recursive: true, force: true });
  }
}

/** How this machine bounds an agent's processes and memory (a session falls back to sampling without cgroups). */
export function checkCgroups(support: CgroupSupport): DoctorCheck {
  if (support.kind === 'none') {
    return warn(
      'sandbox.cgroups',
      'sandbox',
      `no cgroup for the agents (${support.reason}): process count and memory are sampled instead, so a fork bomb or a sudden allocation is caught later`,
      'run orchestrate as root, or in a cgroup v2 subtree delegated to this user (e.g. systemd-run --user --scope -p Delegate=yes orchestrate …)',
    );
  }
  return ok(
    'sandbox.cgroups',
    'sandbox',
    support.kind === 'cgroup2' ? `cgroup v2 per agent under ${support.parent}` : 'cgroup v1 per agent (pids, memory)',
  );
}

/**
 * The allowlist network's host side: the egress proxy listens on a Unix socket and refuses a host
 * that is not allowed (the forwarder inside the sandbox is exercised by the self-test above).
 */
export async function checkEgressProxy(network: 'allowlist' | 'host'): Promise<DoctorCheck> {
  if (network === 'host')
    return warn(
      'sandbox.network',
      'sandbox',
      'sandbox.network is "host": agents reach any host the machine can',
      'set sandbox.network to "allowlist" (the default) to allow only each CLI\'s API and sandbox.allowHosts',
    );
  const dir = mkdtempSync(path.join('/tmp', 'orch-doc-'));
  const socket = path.join(dir, 'egress.sock');
  try {
    const proxy = startEgressProxy(socket, []);
    try {
      const answer = await connectThrough(socket, 'CONNECT doctor-check.invalid:443 HTTP/1.1\r\n\r\n');
      if (answer.startsWith('HTTP/1.1 403'))
        return ok('sandbox.network', 'sandbox', 'the egress proxy starts and refuses hosts that are not allowed (allowlist)');
      return fail(
        'sandbox.network',
        'sandbox',
        `the egress proxy answered "${answer.split('\r\n')[0]}" to a host that is not allowed`,
        'report this as a bug; meanwhile sandbox.network "host" runs without the allowlist',
        EXIT.SAFETY,
      );
    } finally {
      proxy.close();
    }
  } catch (error) {
    return fail(
      'sandbox.network',
      'sandbox',
      `the egress proxy cannot start: ${(error as Error).message}`,
      'make /tmp writable for this user (the proxy\'s socket goes there), or set sandbox.network to "host"',
      EXIT.SAFETY,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function connectThrough(socket: string, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let answer = '';
    const client = net.connect(socket, () => client.write(request));
    client.setEncoding('utf8');
    client.on('data', (d: string) => (answer += d));
    client.on('error', reject);
    client.on('close', () => resolve(answer));
  });
}
