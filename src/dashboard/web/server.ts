import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createAdaptorServer } from '@hono/node-server';
import { Hono } from 'hono';
import { apiRoutes, type ApiContext } from './api.js';
import type { StreamHub } from './event-stream.js';
import { guard } from './guard.js';

/** The page's files, shipped in the package beside the compiled code (src/ and dist/ are equally deep). */
const PUBLIC_DIR = new URL('../../../src/dashboard/web/public/', import.meta.url);
const ASSETS: Record<string, string> = { 'app.js': 'text/javascript; charset=utf-8', 'style.css': 'text/css; charset=utf-8' };

export interface DashboardOptions extends ApiContext {
  /** 0 picks a free port. */
  port: number;
  /** Fixed for tests; random otherwise (16 bytes, hex: the URL fits an 80-column line). */
  token?: string;
  /** Do not keep the process alive for the dashboard alone (a run's: the session decides when it ends). */
  unref?: boolean;
}

export interface Dashboard {
  port: number;
  token: string;
  /** `http://127.0.0.1:<port>/?token=<token>`: the one URL a person needs. */
  url: string;
  /**
   * Stops listening. Open event streams get up to `drainMs` (default 0) to send what is left:
   * a session that just ended still delivers its last entries through `session.completed`.
   */
  close(opts?: { drainMs?: number }): Promise<void>;
}

/** The Hono app: the guard in front of everything, the page at `/`, its two files, the API under `/api/`. */
export function dashboardApp(opts: ApiContext & { token: string; port: () => number }): Hono {
  const app = new Hono();
  app.use('*', guard(opts.token, opts.port));
  // read once: the page never changes while the dashboard runs
  const files = new Map(Object.keys(ASSETS).map((name) => [name, readFileSync(new URL(name, PUBLIC_DIR), 'utf8')]));
  const index = readFileSync(new URL('index.html', PUBLIC_DIR), 'utf8');
  // the page loads its files with the token in their URL: every request is authorised the same way
  app.get('/', (c) => c.html(index.replaceAll('{{TOKEN}}', encodeURIComponent(opts.token))));
  app.get('/assets/:name', (c) => {
    const name = c.req.param('name');
    const type = ASSETS[name];
    const body = files.get(name);
    if (!type || body === undefined) return c.json({ error: 'not found' }, 404);
    return c.body(body, 200, { 'content-type': type });
  });
  app.route('/api', apiRoutes(opts));
  app.notFound((c) => c.json({ error: `no route ${c.req.method} ${c.req.path}` }, 404));
  app.onError((error, c) => c.json({ error: `internal error: ${error.message}` }, 500));
  return app;
}

/** Starts the dashboard on 127.0.0.1 only (never another interface) and resolves once it listens. */
export async function startDashboard(opts: DashboardOptions): Promise<Dashboard> {
  const token = opts.token ?? randomBytes(16).toString('hex');
  let port = opts.port;
  const hub: StreamHub = { feeds: new Map(), open: new Set() };
  const streams = hub.open;
  const app = dashboardApp({ ...opts, token, port: () => port, streams: hub });
  const server = createAdaptorServer({ fetch: app.fetch, hostname: '127.0.0.1' }) as Server;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  if (opts.unref) server.unref();
  return {
    port,
    token,
    url: `http://127.0.0.1:${port}/?token=${token}`,
    close: async ({ drainMs = 0 } = {}) => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      if (drainMs > 0) {
        // the streams end themselves once they sent session.completed; then their responses are
        // ended and flushed, and server.close() sees idle connections only
        let timer: NodeJS.Timeout | undefined;
        const deadline = new Promise((r) => (timer = setTimeout(r, drainMs)));
        await Promise.race([Promise.all(streams).then(() => closed), deadline]);
        clearTimeout(timer);
      }
      // open event streams (of sessions still running) would keep it open for ever
      server.closeAllConnections();
      await closed;
    },
  };
}
