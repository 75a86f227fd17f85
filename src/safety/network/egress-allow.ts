import type { AgentId } from '../../agents/agent-id.js';

/** One endpoint an agent may reach: a host (exact, or `.suffix` for its subdomains) and a port. */
export interface Endpoint {
  host: string;
  port: number;
}

/** The public API each CLI talks to when no base URL is configured. */
const DEFAULT_APIS: Record<AgentId, string[]> = {
  claude: ['https://api.anthropic.com', 'https://statsig.anthropic.com'],
  codex: ['https://api.openai.com', 'https://chatgpt.com', 'https://auth.openai.com'],
  gemini: ['https://generativelanguage.googleapis.com', 'https://oauth2.googleapis.com', 'https://cloudcode-pa.googleapis.com'],
};

/** The variables naming each CLI's API base URL. */
const BASE_URL_VARS: Record<AgentId, string[]> = {
  claude: ['ANTHROPIC_BASE_URL'],
  codex: ['OPENAI_BASE_URL'],
  gemini: ['GOOGLE_GEMINI_BASE_URL', 'GOOGLE_VERTEX_BASE_URL'],
};

/**
 * The endpoints one agent may reach: its CLI's API (the base URL it is configured with, whatever
 * it is, a local one included; else the public default), orchestrate's own confirm broker, and the
 * hosts the person allows (`sandbox.allowHosts`: `host`, `host:port`, `.suffix`). Pure.
 */
export function allowedEndpoints(
  agent: AgentId,
  env: Record<string, string>,
  args: readonly string[],
  allowHosts: readonly string[],
): Endpoint[] {
  const urls = BASE_URL_VARS[agent].map((v) => env[v]).filter((u): u is string => Boolean(u));
  if (agent === 'codex') urls.push(...codexBaseUrls(args));
  const out = [...(urls.length ? urls : DEFAULT_APIS[agent])].map(fromUrl).filter((e): e is Endpoint => e !== undefined);
  const confirm = /^(\d{1,3}(?:\.\d{1,3}){3}):(\d{1,5}):/.exec(env['ORCHESTRATE_CONFIRM'] ?? '');
  if (confirm) out.push({ host: confirm[1]!, port: Number(confirm[2]) });
  for (const h of allowHosts) {
    const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(h.trim());
    if (m) for (const port of m[2] ? [Number(m[2])] : [443, 80]) out.push({ host: m[1]!.toLowerCase(), port });
  }
  return dedupe(out);
}

/** Does the allow list let `host:port` through? `.example.com` allows its subdomains. */
export function isAllowed(allow: readonly Endpoint[], host: string, port: number): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  return allow.some((e) => e.port === port && (e.host.replace(/^\[|\]$/g, '') === h || (e.host.startsWith('.') && h.endsWith(e.host))));
}

/** Loopback endpoints: reached inside the sandbox on the same port, forwarded to the host. */
export function loopbackPorts(allow: readonly Endpoint[]): number[] {
  return [...new Set(allow.filter((e) => isLoopbackName(e.host)).map((e) => e.port))].sort((a, b) => a - b);
}

export function isLoopbackName(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\./.test(host);
}

/** `-c model_providers.x.base_url="http://…"` in codex's argv. */
function codexBaseUrls(args: readonly string[]): string[] {
  const out: string[] = [];
  for (const a of args) {
    const m = /base_url\s*=\s*["']?([^"'\s]+)/.exec(a);
    if (m) out.push(m[1]!);
  }
  return out;
}

function fromUrl(text: string): Endpoint | undefined {
  try {
    const u = new URL(text);
    const port = u.port ? Number(u.port) : u.protocol === 'http:' ? 80 : 443;
    return { host: u.hostname.toLowerCase(), port };
  } catch {
    return undefined;
  }
}

function dedupe(list: Endpoint[]): Endpoint[] {
  const seen = new Set<string>();
  return list.filter((e) => {
    const k = `${e.host}:${e.port}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
