import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkLogin, type LoginInput } from '../../../src/doctor/login.js';

let root: string;
let input: LoginInput;
beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'doctor-login-'));
  mkdirSync(path.join(root, 'home'));
  mkdirSync(path.join(root, 'project'));
  input = { env: {}, home: path.join(root, 'home'), target: path.join(root, 'project'), args: [] };
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function put(rel: string, text: string): string {
  const file = path.join(root, rel);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
  return file;
}

describe('whether a CLI appears logged in', () => {
  it('nothing at all: a warning for each, with its own fix', () => {
    for (const agent of ['claude', 'codex', 'gemini'] as const) expect(checkLogin(agent, input).status).toBe('warn');
    expect(checkLogin('codex', input).fix).toContain('codex login');
  });

  it('claude: a key variable, or a stored claude.ai login (CLAUDE_CONFIG_DIR honoured); an empty variable does not count', () => {
    expect(checkLogin('claude', { ...input, env: { ANTHROPIC_API_KEY: '  ' } }).status).toBe('warn');
    expect(checkLogin('claude', { ...input, env: { CLAUDE_CODE_OAUTH_TOKEN: 't' } }).summary).toContain('CLAUDE_CODE_OAUTH_TOKEN is set');
    const creds = put('home/.claude/.credentials.json', JSON.stringify({ claudeAiOauth: { accessToken: 'a', refreshToken: 'r' } }));
    expect(checkLogin('claude', input).summary).toBe(`appears logged in: a stored login in ${creds}`);
    put('other/.credentials.json', '{}');
    expect(checkLogin('claude', { ...input, env: { CLAUDE_CONFIG_DIR: path.join(root, 'other') } }).status).toBe('warn');
  });

  it('codex: auth.json under CODEX_HOME with a key or tokens; a custom provider brings its own key', () => {
    put('codexhome/auth.json', JSON.stringify({ OPENAI_API_KEY: null, tokens: null }));
    expect(checkLogin('codex', { ...input, env: { CODEX_HOME: path.join(root, 'codexhome') } }).status).toBe('warn');
    put('codexhome/auth.json', JSON.stringify({ OPENAI_API_KEY: 'sk-x' }));
    expect(checkLogin('codex', { ...input, env: { CODEX_HOME: path.join(root, 'codexhome') } }).summary).toContain('a stored API key');
    expect(checkLogin('codex', { ...input, args: ['-c', 'model_provider=fake'] }).status).toBe('ok');
  });

  it('gemini: GEMINI_API_KEY in the environment or a .env it reads, or a stored Google login', () => {
    put('project/.env', 'OTHER=1\n');
    expect(checkLogin('gemini', input).status).toBe('warn');
    const env = put('home/.gemini/.env', 'export GEMINI_API_KEY="k"\n');
    expect(checkLogin('gemini', input).summary).toBe(`appears logged in: GEMINI_API_KEY in ${env}`);
    rmSync(env);
    put('gh/.gemini/oauth_creds.json', JSON.stringify({ refresh_token: 'r' }));
    expect(checkLogin('gemini', { ...input, env: { GEMINI_CLI_HOME: path.join(root, 'gh') } }).summary).toContain('a stored Google login');
    expect(checkLogin('gemini', { ...input, env: { GOOGLE_GENAI_USE_VERTEXAI: 'true', GOOGLE_CLOUD_PROJECT: 'p' } }).status).toBe('ok');
  });
});
