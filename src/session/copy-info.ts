/** Where a session's copy lives and what it started from; recorded in session.json as `copy`. */
export interface CopyInfo {
  /** `<state>/copies/<target key>/<session id>`: everything of this copy. */
  root: string;
  /** orchestrate's own git dir (agents cannot write it). */
  gitDir: string;
  /** The copy agents work in (their cwd, the only writable project folder in the sandbox). */
  workDir: string;
  /** The index of `workDir` in `gitDir`. */
  index: string;
  /** `refs/heads/orchestrate/<id>`: the session's branch; each run's changes are a commit on it. */
  branch: string;
  /** The commit of the target as the person left it: their HEAD plus their uncommitted changes. */
  baseline: string;
  /** The person's HEAD when the copy was made (absent when the target is not a git repository or has no commit). */
  head?: string;
  /** `git`: the target is a repository's top level (agents get a `.git` of their own); `plain`: anything else. */
  kind: 'git' | 'plain';
  /** The private git dir's fingerprint when sealed: every later use checks it (see PrivateRepo). */
  fingerprint: string;
}
