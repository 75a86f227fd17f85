import { describe, expect, it } from 'vitest';
import { agentBaseEnv } from '../../../src/safety/agent-env.js';

const person = {
  PATH: '/usr/bin',
  HOME: '/home/me',
  LANG: 'C.UTF-8',
  LC_ALL: 'C',
  TERM: 'xterm',
  HTTPS_PROXY: 'http://proxy:3128',
  ANTHROPIC_API_KEY: 'sk-ant',
  CLAUDE_CONFIG_DIR: '/c',
  OPENAI_API_KEY: 'sk-oai',
  CODEX_HOME: '/x',
  GEMINI_API_KEY: 'gm',
  GOOGLE_CLOUD_PROJECT: 'p',
  GH_TOKEN: 'ghp',
  AWS_SECRET_ACCESS_KEY: 'aws',
  NPM_TOKEN: 'npm',
  NPM_CONFIG_REGISTRY: 'https://r',
  ORCHESTRATE_DEBUG: '1',
  SOMETHING: 'x',
};

describe('the environment an agent starts from', () => {
  it.each([
    ['claude', ['ANTHROPIC_API_KEY', 'CLAUDE_CONFIG_DIR']],
    ['codex', ['CODEX_HOME', 'OPENAI_API_KEY']],
    ['gemini', ['GEMINI_API_KEY', 'GOOGLE_CLOUD_PROJECT']],
  ] as const)("%s: the common variables and its own, never another agent's key or a stray token", (agent, own) => {
    const env = agentBaseEnv(agent, person);
    expect(Object.keys(env).sort()).toEqual(['HOME', 'HTTPS_PROXY', 'LANG', 'LC_ALL', 'PATH', 'TERM', ...own].sort());
  });

  it('passes what the person names in sandbox.passEnv, exact names and prefixes', () => {
    const env = agentBaseEnv('claude', person, ['NPM_CONFIG_*', 'SOMETHING']);
    expect(env).toMatchObject({ NPM_CONFIG_REGISTRY: 'https://r', SOMETHING: 'x' });
    expect(env).not.toHaveProperty('NPM_TOKEN');
    expect(env).not.toHaveProperty('ORCHESTRATE_DEBUG'); // orchestrate sets its own explicitly; inherited ones stay out
  });
});
