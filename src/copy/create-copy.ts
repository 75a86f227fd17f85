import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, realpathSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { isWithin } from '../paths.js';
import { runSafeGit, safeGit, safeGitAsync } from '../process/safe-git.js';
import { copyPaths, listTree } from './copy-files.js';
import { PrivateRepo } from './private-repo.js';
import type { CopyInfo } from '../session/copy-info.js';

export type { CopyInfo } from '../session/copy-info.js';

/** What setting up the copy cost. */
export interface CopyReport {
  files: number;
  bytes: number;
  skipped: string[];
  ms: number;
}

/** Input of `createSessionCopy`. */
export interface CreateCopyInput {
  target: string;
  /** Left out of the copy (the session workspace, when inside the target). */
  workspace: string;
  stateRoot: string;
  sessionId: string;
  now?: () => number; // injected for tests
}

/** `<name>-<hash of the real path>`: one folder per target, readable, never colliding. */
export function targetKey(target: string): string {
  const real = realpathSync(target);
  return `${path.basename(real).replace(/[^A-Za-z0-9._-]/g, '_') || 'root'}-${createHash('sha256').update(real).digest('hex').slice(0, 12)}`;
}

/**
 * Makes the session's copy of the target, before any agent starts. A git target's top level is
 * cloned (`--bare --local`: objects hard-linked, they are immutable) into orchestrate's git dir,
 * the files the person sees (tracked and untracked-not-ignored, as they are on disk now) are
 * copied into the work dir and committed as the baseline on the session branch, and the copy
 * gets a `.git` of its own for the agents. Anything else is copied whole, with a baseline commit
 * in a fresh private repository.
 */
export function createSessionCopy(input: CreateCopyInput): { info: CopyInfo; report: CopyReport } {
  const started = (input.now ?? Date.now)();
  const target = realpathSync(input.target);
  const root = path.join(input.stateRoot, 'copies', targetKey(target), input.sessionId);
  if (isWithin(root, target))
    throw new Error(`the state folder ${input.stateRoot} is inside the target; set ORCHESTRATE_STATE_DIR to a folder outside it`);
  if (existsSync(root)) throw new Error(`${root} already exists`);
  const gitDir = path.join(root, 'git');
  const workDir = path.join(root, 'work');
  const index = path.join(root, 'work.index');
  const branch = `refs/heads/orchestrate/${input.sessionId}`;
  mkdirSync(workDir, { recursive: true });
  const workspaceRel = isWithin(input.workspace, target) ? path.relative(target, input.workspace) : undefined;
  const exclude = workspaceRel ? [`/${workspaceRel}/`] : [];

  const topLevel = gitTopLevel(target);
  const kind: CopyInfo['kind'] = topLevel === target ? 'git' : 'plain';
  let head: string | undefined;
  let rels: string[];
  if (kind === 'git') {
    safeGit(['clone', '--bare', '--local', '--quiet', '--', target, gitDir], { cwd: root });
    head = headOf(target);
    const listed = safeGit(['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: target }).toString('utf8');
    rels = [...new Set(listed.split('\0').filter(Boolean))];
  } else {
    safeGit(['init', '--bare', '--quiet', gitDir], { cwd: root });
    rels = listTree(target, [input.workspace, path.join(target, '.git')]);
  }
  const skipWorkspace = (rel: string): boolean =>
    workspaceRel !== undefined && (rel === workspaceRel || rel.startsWith(`${workspaceRel}/`));
  const stats = copyPaths(
    target,
    workDir,
    rels.filter((r) => !skipWorkspace(r) && !r.split('/').includes('.git')),
  );
  const repo = PrivateRepo.seal(gitDir, exclude);
  const wt = { dir: workDir, index };
  const made = repo.commitWorkTree(
    wt,
    branch,
    head,
    { name: 'orchestrate', email: 'orchestrate@localhost' },
    baselineMessage(target, head),
  );
  // nothing uncommitted: the person's HEAD is the baseline
  const baseline = made ?? head;
  if (baseline === undefined) throw new Error('could not record the baseline commit');
  if (!made) repo.text(['update-ref', branch, baseline]);
  repo.text(['symbolic-ref', 'HEAD', branch]);
  if (kind === 'git') giveAgentsARepo(workDir, gitDir, index, branch, baseline);
  return done({ root, gitDir, workDir, index, branch, baseline, ...(head ? { head } : {}), kind, fingerprint: repo.fingerprint });

  function done(info: CopyInfo): { info: CopyInfo; report: CopyReport } {
    writeFileSync(path.join(root, 'copy.json'), `${JSON.stringify({ ...info, target }, null, 2)}\n`);
    return { info, report: { files: stats.files, bytes: stats.bytes, skipped: stats.skipped, ms: (input.now ?? Date.now)() - started } };
  }
}

function baselineMessage(target: string, head: string | undefined): string {
  return `orchestrate baseline: ${target} as the person left it${head ? ` (HEAD ${head.slice(0, 12)} plus uncommitted changes)` : ''}\n`;
}

/** The repository top level containing `dir`, or undefined. */
function gitTopLevel(dir: string): string | undefined {
  const r = runSafeGit(['rev-parse', '--show-toplevel'], { cwd: dir });
  if (!r.ok) return undefined;
  const top = r.stdout.toString('utf8').trim();
  return top ? realpathSync(top) : undefined;
}

/** The person's HEAD commit, or undefined before their first commit. */
function headOf(target: string): string | undefined {
  const r = runSafeGit(['rev-parse', '--verify', '--quiet', 'HEAD^{commit}'], { cwd: target });
  const oid = r.stdout.toString('utf8').trim();
  return r.ok && oid ? oid : undefined;
}

/**
 * A `.git` for the agents inside their copy: objects borrowed from orchestrate's git dir
 * (read-only to them), the session branch checked out at the baseline, the index already
 * matching the files. Whatever they do to it, orchestrate never reads it.
 */
export function giveAgentsARepo(workDir: string, gitDir: string, index: string, branch: string, commit: string): void {
  const dotGit = path.join(workDir, '.git');
  safeGit(['init', '--quiet', `--initial-branch=${branch.replace('refs/heads/', '')}`, workDir], { cwd: workDir });
  writeFileSync(path.join(dotGit, 'objects', 'info', 'alternates'), `${path.join(gitDir, 'objects')}\n`);
  safeGit(['update-ref', branch, commit], { cwd: workDir, gitDir: dotGit });
  copyFileSync(index, path.join(dotGit, 'index'));
}

/** `giveAgentsARepo` without blocking the event loop (a copy made while other agents stream). */
export async function giveAgentsARepoAsync(workDir: string, gitDir: string, index: string, branch: string, commit: string): Promise<void> {
  const dotGit = path.join(workDir, '.git');
  await safeGitAsync(['init', '--quiet', `--initial-branch=${branch.replace('refs/heads/', '')}`, workDir], { cwd: workDir });
  writeFileSync(path.join(dotGit, 'objects', 'info', 'alternates'), `${path.join(gitDir, 'objects')}\n`);
  await safeGitAsync(['update-ref', branch, commit], { cwd: workDir, gitDir: dotGit });
  copyFileSync(index, path.join(dotGit, 'index'));
}
