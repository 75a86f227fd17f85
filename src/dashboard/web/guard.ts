import { timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';

/** The header scripts send the token in (the page's EventSource cannot set headers, so `?token=` works too). */
export const TOKEN_HEADER = 'x-orchestrate-token';

/** What every response carries: nothing is cached, framed, sniffed or referred elsewhere. */
const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cache-control': 'no-store',
  'cross-origin-resource-policy': 'same-origin',
};

/**
 * The dashboard's front door, run before every route:
 * - a `Host` other than 127.0.0.1/localhost on our port is refused (403): a DNS-rebinding page
 *   reaches us under its own name;
 * - an `Origin` other than our own is refused (403): no cross-site request, no CORS at all;
 * - no token is 401, a wrong one 403 (compared in constant time);
 * - a POST must be JSON (a cross-site form cannot send that without a preflight we never allow).
 */
export function guard(token: string, port: () => number): MiddlewareHandler {
  const expected = Buffer.from(token);
  return async (c, next) => {
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) c.header(k, v);
    const p = port();
    const allowedHosts = new Set([`127.0.0.1:${p}`, `localhost:${p}`]);
    const host = c.req.header('host') ?? '';
    if (!allowedHosts.has(host.toLowerCase()))
      return c.json({ error: `foreign Host "${host}": the dashboard answers only to 127.0.0.1:${p}` }, 403);
    const origin = c.req.header('origin');
    if (origin !== undefined && !allowedHosts.has(origin.toLowerCase().replace(/^http:\/\//, ''))) {
      return c.json({ error: `cross-origin request from "${origin}" refused` }, 403);
    }
    const given = c.req.header(TOKEN_HEADER) ?? bearer(c.req.header('authorization')) ?? c.req.query('token');
    if (!given) return c.json({ error: 'missing token: open the URL orchestrate printed (it ends in ?token=…)' }, 401);
    const got = Buffer.from(given);
    if (got.length !== expected.length || !timingSafeEqual(got, expected)) return c.json({ error: 'wrong token' }, 403);
    if (c.req.method === 'POST' && !(c.req.header('content-type') ?? '').toLowerCase().startsWith('application/json')) {
      return c.json({ error: 'a POST must have content-type application/json' }, 415);
    }
    return next();
  };
}

function bearer(header: string | undefined): string | undefined {
  const m = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  return m?.[1];
}
