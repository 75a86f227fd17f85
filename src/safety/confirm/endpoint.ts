/** Where a confirm-class command is sent for a decision: the session's broker on loopback. */
export interface ConfirmEndpoint {
  host: string;
  port: number;
  /** Random per session; a request without it is denied. */
  token: string;
}

/** The one environment variable that carries the endpoint to the agent (and so to its hooks). */
export const CONFIRM_ENV = 'ORCHESTRATE_CONFIRM';

/** `127.0.0.1:<port>:<token>`. */
export function formatEndpoint(endpoint: ConfirmEndpoint): string {
  return `${endpoint.host}:${endpoint.port}:${endpoint.token}`;
}

/** The inverse of formatEndpoint; undefined for anything else. */
export function parseEndpoint(text: string | undefined): ConfirmEndpoint | undefined {
  const m = /^(\d{1,3}(?:\.\d{1,3}){3}):(\d{1,5}):([A-Za-z0-9_-]{16,})$/.exec(text?.trim() ?? '');
  if (!m) return undefined;
  const port = Number(m[2]);
  if (port < 1 || port > 65535) return undefined;
  return { host: m[1]!, port, token: m[3]! };
}
