import { runSafeGit } from '../process/safe-git.js';

/** Runs git in `cwd`; `ok` false when it failed (no HEAD yet, not a repo, timeout). Injected for tests. */
export type GitRunner = (args: readonly string[], cwd: string) => { ok: boolean; stdout: string };

/**
 * git through orchestrate's one safe runner (src/process/safe-git.ts): no hooks, fsmonitor,
 * external diff, textconv, pager or prompt, whatever the repository's config says.
 */
export const runGit: GitRunner = (args, cwd) => {
  const r = runSafeGit(args, { cwd, timeoutMs: 10_000 });
  return { ok: r.ok, stdout: r.stdout.toString('utf8') };
};
