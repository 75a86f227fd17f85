import { execFileSync } from 'node:child_process';

/** Runs git in `cwd`; `ok` false when it failed (no HEAD yet, not a repo, timeout). Injected for tests. */
export type GitRunner = (args: readonly string[], cwd: string) => { ok: boolean; stdout: string };

/**
 * The agents could write the target's `.git/config`, and git runs here outside the sandbox: so no
 * fsmonitor hook, no external diff, no textconv filter may run a command they planted.
 */
export const SAFE_GIT_CONFIG = ['-c', 'core.fsmonitor=false', '-c', 'core.quotepath=off', '-c', 'diff.external='];

/**
 * git, bounded (10 s, 16 MB), without a shell, pager or prompt.
 * TODO: belongs in src/process/ (the only module that spawns) once the integrator moves it.
 */
export const runGit: GitRunner = (args, cwd) => {
  try {
    const stdout = execFileSync('git', [...SAFE_GIT_CONFIG, ...args], {
      cwd,
      encoding: 'utf8',
      timeout: 10_000,
      maxBuffer: 16 * 1024 * 1024,
      stdio: ['ignore', 'pipe', 'ignore'],
      env: { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_PAGER: 'cat', GIT_OPTIONAL_LOCKS: '0' },
    });
    return { ok: true, stdout };
  } catch {
    return { ok: false, stdout: '' };
  }
};
