import type { AgentId } from '../agents/agent-id.js';

/** What every CLI needs to run in a terminal, find programs, reach a proxy and trust its certificates. */
const COMMON = [
  'PATH',
  'HOME',
  'USER',
  'LOGNAME',
  'SHELL',
  'LANG',
  'LANGUAGE',
  'LC_*',
  'TZ',
  'TERM',
  'COLORTERM',
  'NO_COLOR',
  'FORCE_COLOR',
  'TMPDIR',
  'XDG_RUNTIME_DIR',
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'NO_PROXY',
  'ALL_PROXY',
  'http_proxy',
  'https_proxy',
  'no_proxy',
  'all_proxy',
  'SSL_CERT_FILE',
  'SSL_CERT_DIR',
  'NODE_EXTRA_CA_CERTS',
  'REQUESTS_CA_BUNDLE',
];

/** Each CLI's own variables: its credentials, base URL, settings. Another CLI's never reach it. */
const OWN: Record<AgentId, string[]> = {
  claude: ['ANTHROPIC_*', 'CLAUDE_*', 'CLAUDECODE', 'IS_SANDBOX', 'DISABLE_*', 'MCP_*'],
  codex: ['OPENAI_*', 'CODEX_*', 'RUST_LOG'],
  gemini: ['GEMINI_*', 'GOOGLE_*'],
};

/**
 * The environment an agent starts from: only the listed names of orchestrate's own environment
 * (common ones, its own CLI's, and those the person names in `sandbox.passEnv`). Everything else
 * (other agents' API keys, cloud credentials, tokens in the shell) stays out. Variables orchestrate
 * and the config set explicitly are layered on top by the caller. Pure.
 */
export function agentBaseEnv(agent: AgentId, env: NodeJS.ProcessEnv, passEnv: readonly string[] = []): Record<string, string> {
  const patterns = [...COMMON, ...OWN[agent], ...passEnv];
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && patterns.some((p) => matches(name, p))) out[name] = value;
  }
  return out;
}

function matches(name: string, pattern: string): boolean {
  return pattern.endsWith('*') ? name.startsWith(pattern.slice(0, -1)) : name === pattern;
}
