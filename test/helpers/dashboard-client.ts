// Talks to a running dashboard the way a script would: plain HTTP with the token.
import { request } from 'node:http';

export interface DashboardUrl {
  url: string;
  port: number;
  token: string;
  base: string;
}

/** Finds `http://127.0.0.1:<port>/?token=<token>` in text. */
export function parseDashboardUrl(text: string): DashboardUrl | undefined {
  const m = /http:\/\/127\.0\.0\.1:(\d+)\/\?token=([0-9a-f]+)/.exec(text);
  if (!m) return undefined;
  return { url: m[0], port: Number(m[1]), token: m[2] ?? '', base: `http://127.0.0.1:${m[1]}` };
}

/** One HTTP request with whatever headers (including a foreign Host, which fetch cannot send). */
export function rawGet(port: number, path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Reads a Server-Sent Events stream to its end; returns each event's id, name and data. */
export async function readSse(url: string, headers: Record<string, string>): Promise<Array<{ id?: string; event: string; data: string }>> {
  const res = await fetch(url, { headers });
  if (!res.ok || !res.body) throw new Error(`HTTP ${res.status}`);
  const text = await res.text();
  return text
    .split('\n\n')
    .filter((block) => block.trim() && !block.startsWith(':') && !block.startsWith('retry:'))
    .map((block) => {
      const ev: { id?: string; event: string; data: string } = { event: 'message', data: '' };
      const data: string[] = [];
      for (const line of block.split('\n')) {
        const i = line.indexOf(': ');
        const [k, v] = i === -1 ? [line, ''] : [line.slice(0, i), line.slice(i + 2)];
        if (k === 'id') ev.id = v;
        else if (k === 'event') ev.event = v;
        else if (k === 'data') data.push(v);
      }
      ev.data = data.join('\n');
      return ev;
    });
}
