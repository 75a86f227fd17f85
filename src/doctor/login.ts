import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { AgentId } from '../agents/agent-id.js';
import { ok, warn, type DoctorCheck } from './check.js';

/** Where to look: the agent's environment (orchestrate's, then the config's `env`), its HOME, the target. */
export interface LoginInput {
  env: Readonly<Record<string, string | undefined>>;
  home: string;
  target: string;
  /** The config's extra argv for the CLI (a custom model provider brings its own key). */
  args: readonly string[];
}

/**
 * Whether the CLI appears logged in, from its environment and its own credential files, with no
 * model call and no process: a key variable, or a stored login. Values are never read out, only
 * whether they are there. "Appears": a key may still be wrong or expired, which only a model call shows.
 */
export function checkLogin(agent: AgentId, input: LoginInput): DoctorCheck {
  const found = LOGIN_SOURCES[agent](input);
  const id = `${agent}.login`;
  return found
    ? ok(id, agent, `appears logged in: ${found}`)
    : warn(id, agent, 'does not appear logged in (no key variable, no stored login): its runs would fail', LOGIN_FIX[agent]);
}

const LOGIN_FIX: Record<AgentId, string> = {
  claude: 'run "claude" once and log in (/login), or set ANTHROPIC_API_KEY (in the environment or agents.claude.env in the config)',
  codex: 'run "codex login" (or: printenv OPENAI_API_KEY | codex login --with-api-key), or set OPENAI_API_KEY',
  gemini: 'set GEMINI_API_KEY (headless runs need a key or Vertex AI), or run "gemini" once and sign in with Google',
};

const LOGIN_SOURCES: Record<AgentId, (input: LoginInput) => string | undefined> = {
  claude: ({ env, home }) => {
    const byEnv = firstSet(env, ['ANTHROPIC_API_KEY', 'ANTHROPIC_AUTH_TOKEN', 'CLAUDE_CODE_OAUTH_TOKEN']);
    if (byEnv) return `${byEnv} is set`;
    const cloud = firstSet(env, ['CLAUDE_CODE_USE_BEDROCK', 'CLAUDE_CODE_USE_VERTEX', 'CLAUDE_CODE_USE_FOUNDRY']);
    if (cloud) return `${cloud} is set (the cloud provider's credentials are not checked)`;
    const configDir = env['CLAUDE_CONFIG_DIR'] || path.join(home, '.claude');
    const creds = readJson(path.join(configDir, '.credentials.json')) as
      { claudeAiOauth?: { accessToken?: string; refreshToken?: string } } | undefined;
    if (creds?.claudeAiOauth?.refreshToken || creds?.claudeAiOauth?.accessToken)
      return `a stored login in ${path.join(configDir, '.credentials.json')}`;
    for (const file of [path.join(home, '.claude.json'), path.join(configDir, '.claude.json')]) {
      if ((readJson(file) as { primaryApiKey?: string } | undefined)?.primaryApiKey) return `a stored API key in ${file}`;
    }
    return undefined;
  },
  codex: ({ env, home, args }) => {
    const byEnv = firstSet(env, ['OPENAI_API_KEY', 'CODEX_API_KEY']);
    if (byEnv) return `${byEnv} is set`;
    if (args.some((a) => a.startsWith('model_provider='))) return 'a custom model provider in agents.codex.args (its key is not checked)';
    const codexHome = env['CODEX_HOME'] || path.join(home, '.codex');
    const auth = readJson(path.join(codexHome, 'auth.json')) as
      { OPENAI_API_KEY?: string | null; tokens?: { refresh_token?: string; access_token?: string } | null } | undefined;
    if (auth?.OPENAI_API_KEY) return `a stored API key in ${path.join(codexHome, 'auth.json')}`;
    if (auth?.tokens?.refresh_token || auth?.tokens?.access_token) return `a stored ChatGPT login in ${path.join(codexHome, 'auth.json')}`;
    return undefined;
  },
  gemini: ({ env, home, target }) => {
    if (env['GEMINI_API_KEY']) return 'GEMINI_API_KEY is set';
    if (isTrue(env['GOOGLE_GENAI_USE_VERTEXAI']) && (env['GOOGLE_API_KEY'] || env['GOOGLE_CLOUD_PROJECT']))
      return 'Vertex AI (GOOGLE_GENAI_USE_VERTEXAI) is set up';
    if (isTrue(env['GOOGLE_GENAI_USE_GCA'])) return 'GOOGLE_GENAI_USE_GCA is set';
    const geminiDir = path.join(env['GEMINI_CLI_HOME'] || home, '.gemini');
    // gemini reads a .env from the working folder upwards, then ~/.gemini/.env and ~/.env
    for (const file of [
      path.join(target, '.gemini', '.env'),
      path.join(target, '.env'),
      path.join(geminiDir, '.env'),
      path.join(home, '.env'),
    ]) {
      if (/^\s*(export\s+)?GEMINI_API_KEY\s*=\s*\S/m.test(readText(file) ?? '')) return `GEMINI_API_KEY in ${file}`;
    }
    const oauth = readJson(path.join(geminiDir, 'oauth_creds.json')) as { refresh_token?: string; access_token?: string } | undefined;
    if (oauth?.refresh_token || oauth?.access_token) return `a stored Google login in ${path.join(geminiDir, 'oauth_creds.json')}`;
    return undefined;
  },
};

function firstSet(env: LoginInput['env'], names: readonly string[]): string | undefined {
  return names.find((n) => (env[n] ?? '').trim() !== '');
}

function isTrue(value: string | undefined): boolean {
  return value === 'true' || value === '1';
}

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

function readJson(file: string): unknown {
  const text = readText(file);
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
