import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { AgentId } from '../../agents/agent-id.js';
import type { CommandSpec } from '../../agents/adapter.js';
import { allowedEndpoints, loopbackPorts, type Endpoint } from './egress-allow.js';
import { startEgressProxy } from './egress-proxy.js';

/** The proxy port inside the sandbox (moved up if an allowed loopback endpoint uses it). */
const PROXY_PORT = 3128;
const SOCKET_PARENT = '/tmp';

export interface RunNetwork {
  /** The command to run inside bwrap: the forwarder in front of the CLI. */
  command: CommandSpec;
  /** Proxy variables for the agent. */
  env: Record<string, string>;
  /** The folder holding the proxy's socket: shown read-only inside. */
  socketDir: string;
  allow: Endpoint[];
  /** Stops the proxy; notes on refused connections. */
  close(): string[];
}

/**
 * One run's network by allow list: a host-side CONNECT proxy for this agent's endpoints and, as the
 * command inside the sandbox, `node <forwarder> … -- <cli>`, which gives the CLI its proxy port and
 * its local model server's port on the sandbox's own loopback.
 */
export function prepareRunNetwork(input: {
  agent: AgentId;
  env: Record<string, string>;
  command: CommandSpec;
  allowHosts: readonly string[];
  node: string;
  forwarder: string;
}): RunNetwork {
  const allow = allowedEndpoints(input.agent, { ...input.env, ...input.command.env }, input.command.args, input.allowHosts);
  const ports = loopbackPorts(allow);
  let proxyPort = PROXY_PORT;
  while (ports.includes(proxyPort)) proxyPort += 1;
  // a Unix socket path has at most 107 bytes: a short folder under /tmp, whatever TMPDIR is
  const socketDir = mkdtempSync(path.join(SOCKET_PARENT, 'orch-net-'));
  chmodSync(socketDir, 0o711);
  const socket = path.join(socketDir, 'egress.sock');
  const proxy = startEgressProxy(socket, allow);
  const url = `http://127.0.0.1:${proxyPort}`;
  const env: Record<string, string> = {};
  for (const k of ['HTTPS_PROXY', 'HTTP_PROXY', 'ALL_PROXY', 'https_proxy', 'http_proxy', 'all_proxy']) env[k] = url;
  env['NO_PROXY'] = env['no_proxy'] = 'localhost,127.0.0.1,::1';
  return {
    command: {
      file: input.node,
      args: [input.forwarder, socket, String(proxyPort), ports.join(','), '--', input.command.file, ...input.command.args],
      env: input.command.env,
    },
    env,
    socketDir,
    allow,
    close() {
      proxy.close();
      rmSync(socketDir, { recursive: true, force: true });
      const refused = proxy.refused();
      return refused.length ? [`refused ${refused.length} connection(s): ${[...new Set(refused)].slice(0, 5).join('; ')}`] : [];
    },
  };
}
