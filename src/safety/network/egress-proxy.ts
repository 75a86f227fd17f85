import { chmodSync, existsSync } from 'node:fs';
import { lookup } from 'node:dns';
import net from 'node:net';
import { isAllowed, isLoopbackName, type Endpoint } from './egress-allow.js';

export interface EgressProxy {
  /** Refusals so far, `host:port (why)`, for the journal. */
  refused(): string[];
  close(): void;
}

/**
 * The host side of an agent's network: an HTTP CONNECT proxy on a Unix socket (bound into the
 * sandbox, whose own network namespace has only loopback). It opens a tunnel only to an allowed
 * endpoint, and never to the host's loopback, link-local or unspecified addresses unless the
 * allowed endpoint itself is a loopback one (the agent's local model server). Listening starts
 * synchronously: the socket exists when this returns.
 */
export function startEgressProxy(socketPath: string, allow: readonly Endpoint[]): EgressProxy {
  const refusals: string[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => client.destroy());
    let head = Buffer.alloc(0);
    const onData = (chunk: Buffer): void => {
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) {
        if (head.length > 16_384) client.destroy();
        return;
      }
      client.off('data', onData);
      client.pause();
      const m = /^CONNECT (\[[^\]]+\]|[^\s:]+):(\d+) HTTP\/1\.[01]/i.exec(head.subarray(0, end).toString('latin1'));
      const rest = head.subarray(end + 4);
      if (!m) return refuse(client, '405 Method Not Allowed', 'only CONNECT tunnels');
      const host = m[1]!.replace(/^\[|\]$/g, '');
      const port = Number(m[2]);
      if (!isAllowed(allow, host, port)) return refuse(client, '403 Forbidden', `${host}:${port} is not an allowed endpoint`);
      lookup(host, (error, address) => {
        if (error) return refuse(client, '502 Bad Gateway', `${host}: ${error.code ?? error.message}`);
        if (!isLoopbackName(host) && isHostOnly(address))
          return refuse(client, '403 Forbidden', `${host} resolves to the host-only address ${address}`);
        const upstream = net.connect(port, address, () => {
          client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
          if (rest.length) upstream.write(rest);
          client.pipe(upstream);
          upstream.pipe(client);
          client.resume();
        });
        sockets.add(upstream);
        upstream.on('close', () => sockets.delete(upstream));
        upstream.on('error', () => client.destroy());
        client.on('close', () => upstream.destroy());
      });
    };
    client.on('data', onData);
  });
  const refuse = (client: net.Socket, status: string, why: string): void => {
    refusals.push(why);
    client.end(`HTTP/1.1 ${status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
  };
  server.on('error', (error) => refusals.push(`the proxy failed: ${error.message}`));
  server.listen(socketPath);
  if (!existsSync(socketPath)) {
    server.close();
    throw new Error(`cannot listen on ${socketPath} (the agent's network proxy)`);
  }
  // the agent may run as the checkout's owner: it must be able to connect (the folder is 0711)
  chmodSync(socketPath, 0o666);
  server.unref();
  return {
    refused: () => [...refusals],
    close() {
      server.close();
      for (const s of sockets) s.destroy();
    },
  };
}

/** Loopback, link-local (cloud metadata), unspecified: never reached by name. */
function isHostOnly(address: string): boolean {
  return (
    /^(127\.|0\.|169\.254\.)/.test(address) ||
    address === '::1' ||
    address === '::' ||
    /^fe80:/i.test(address) ||
    /^::ffff:127\./i.test(address)
  );
}
