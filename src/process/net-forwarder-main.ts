#!/usr/bin/env node
// Runs INSIDE the sandbox's own network namespace (only loopback), in front of the agent CLI:
//   node net-forwarder-main.js <proxy socket> <proxy port> <loopback ports, comma-separated> -- <cmd> [args…]
// It listens on 127.0.0.1:<proxy port> (the agent's HTTPS_PROXY; bytes go to orchestrate's CONNECT
// proxy on the bound Unix socket) and on 127.0.0.1:<port> for each allowed loopback endpoint (the
// agent's local model server: each connection is tunnelled to the host's 127.0.0.1:<port> through
// the same proxy, which checks it). Then it starts the CLI, passes signals on and exits as it did.
import { spawn } from 'node:child_process';
import net from 'node:net';

const [socketPath, proxyPortText, portsText, dashes, file, ...args] = process.argv.slice(2);
if (!socketPath || !proxyPortText || portsText === undefined || dashes !== '--' || !file) {
  process.stderr.write('usage: net-forwarder-main <socket> <proxy port> <ports> -- <cmd> [args…]\n');
  process.exit(125);
}

function listen(port: number, host: string, onConnection: (client: net.Socket) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = net.createServer(onConnection);
    server.once('error', reject);
    server.listen(port, host, () => resolve());
    server.unref();
  });
}

/** A connection to 127.0.0.1:<port> becomes a CONNECT tunnel to the host's same port. */
function tunnel(port: number) {
  return (client: net.Socket): void => {
    const upstream = net.connect(socketPath!);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
    upstream.write(`CONNECT 127.0.0.1:${port} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
    let head = Buffer.alloc(0);
    const onData = (chunk: Buffer): void => {
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      upstream.off('data', onData);
      if (!/^HTTP\/1\.[01] 200/.test(head.toString('latin1'))) return void client.destroy();
      const rest = head.subarray(end + 4);
      if (rest.length) client.write(rest);
      client.pipe(upstream);
      upstream.pipe(client);
    };
    upstream.on('data', onData);
  };
}

/** The proxy port: bytes go to orchestrate's proxy as they are (the CLI speaks CONNECT). */
function relay(client: net.Socket): void {
  const upstream = net.connect(socketPath!);
  client.on('error', () => upstream.destroy());
  upstream.on('error', () => client.destroy());
  client.pipe(upstream);
  upstream.pipe(client);
}

const ports = portsText.split(',').filter(Boolean).map(Number);
await listen(Number(proxyPortText), '127.0.0.1', relay);
for (const port of ports) {
  await listen(port, '127.0.0.1', tunnel(port));
  // `localhost` may resolve to ::1 first
  await listen(port, '::1', tunnel(port)).catch(() => undefined);
}

const child = spawn(file, args, { stdio: 'inherit' });
// A stop signals the sandbox's whole group (process/kill-group.ts signalInnerGroups), the CLI with
// it: forwarding would give the CLI a second one, which a CLI may take as "quit now". The forwarder
// stays until the CLI exits (it may still need the network to save its session), then mirrors its end.
for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(signal, () => undefined);
child.on('error', (error) => {
  process.stderr.write(`net-forwarder: cannot start ${file}: ${error.message}\n`);
  process.exit(127);
});
child.on('exit', (code, signal) => {
  if (signal) {
    process.removeAllListeners(signal);
    process.kill(process.pid, signal);
  } else process.exit(code ?? 1);
});
