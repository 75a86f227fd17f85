import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { SafetyError } from '../errors.js';
import { writeLooseRef } from './loose-ref.js';
import {
  PRIVATE_ATTRIBUTES,
  runSafeGit,
  runSafeGitAsync,
  safeGit,
  safeGitAsync,
  type GitResult,
  type SafeGitOptions,
} from '../process/safe-git.js';

/** The identity a commit is made under. */
export interface Identity {
  name: string;
  email: string;
}

/** One changed path between two commits (`git diff-tree --raw`). */
export interface TreeChange {
  path: string;
  status: 'A' | 'M' | 'D' | 'T';
  oldMode: string;
  newMode: string;
  oldOid: string;
  newOid: string;
}

/** Raised when orchestrate's own repository was changed behind its back (an unsandboxed agent): exit 6. */
export class RepoTamperedError extends SafetyError {}

/**
 * orchestrate's own git metadata for a session copy: a git dir outside the copy that agents
 * cannot write (the sandbox shows it read-only), used with the copy as an explicit work tree.
 * The copy's own `.git` (if any) belongs to the agents and is never read. Before every command
 * the files that could make git run a program are checked against what orchestrate wrote.
 */
export class PrivateRepo {
  /** sha256 over the files that could make git run a program, as orchestrate left them. */
  readonly fingerprint: string;
  /**
   * The last async command queued per lane: the next one in a lane starts after it ended, so they
   * never interleave. A work tree with its own index is a lane of its own (read-tree, add and
   * write-tree of another copy touch neither its index nor its files; objects are written
   * atomically, so copies are made and committed side by side); every other command shares one.
   */
  private readonly queued = new Map<string, Promise<unknown>>();

  constructor(
    readonly gitDir: string,
    expected?: string,
  ) {
    this.fingerprint = expected ?? this.currentFingerprint();
  }

  /** Locks down a fresh git dir: driver-free attributes, no hooks, then takes its fingerprint. */
  static seal(gitDir: string, exclude: readonly string[]): PrivateRepo {
    mkdirSync(path.join(gitDir, 'info'), { recursive: true });
    writeFileSync(path.join(gitDir, 'info', 'attributes'), PRIVATE_ATTRIBUTES);
    writeFileSync(path.join(gitDir, 'info', 'exclude'), exclude.map((e) => `${e}\n`).join(''));
    // clone and init copy no sample hooks (init.templateDir is empty), but a source repo's may come along
    const hooks = path.join(gitDir, 'hooks');
    if (existsSync(hooks)) for (const f of readdirSync(hooks)) writeFileSync(path.join(hooks, f), '');
    return new PrivateRepo(gitDir);
  }

  /** Reopens a sealed repository (resume, apply, diff), checked against the fingerprint taken when it was sealed. */
  static open(gitDir: string, fingerprint: string): PrivateRepo {
    const repo = new PrivateRepo(gitDir, fingerprint);
    repo.verify();
    return repo;
  }

  /** Runs git on this repository, `workTree` (with its own index) when given. */
  run(args: readonly string[], workTree?: WorkTree, extra: GitExtra = {}): GitResult {
    this.verify();
    return runSafeGit(args, this.options(workTree, extra));
  }

  /** `run` that throws on failure and returns trimmed text. */
  text(args: readonly string[], workTree?: WorkTree, extra: GitExtra = {}): string {
    this.verify();
    return safeGit(args, this.options(workTree, extra)).toString('utf8').trim();
  }

  /**
   * `run` without blocking the event loop (git work done while agents stream). Queued: each
   * command starts when the one before it in its lane ended, and is verified right before it starts.
   */
  runAsync(args: readonly string[], workTree?: WorkTree, extra: GitExtra = {}): Promise<GitResult> {
    return this.enqueue(workTree, () => runSafeGitAsync(args, this.options(workTree, extra)));
  }

  /** `text` without blocking the event loop, queued like `runAsync`. */
  async textAsync(args: readonly string[], workTree?: WorkTree, extra: GitExtra = {}): Promise<string> {
    return (await this.enqueue(workTree, () => safeGitAsync(args, this.options(workTree, extra)))).toString('utf8').trim();
  }

  private enqueue<T>(workTree: WorkTree | undefined, command: () => Promise<T>): Promise<T> {
    const lane = workTree?.index ?? '';
    const next = (this.queued.get(lane) ?? Promise.resolve()).then(() => {
      this.verify();
      return command();
    });
    const settled = next.then(
      () => undefined,
      () => undefined,
    );
    this.queued.set(lane, settled);
    // an idle lane is forgotten (one per copy would otherwise stay for the whole session)
    void settled.then(() => this.queued.get(lane) === settled && this.queued.delete(lane));
    return next;
  }

  private options(workTree: WorkTree | undefined, extra: GitExtra): SafeGitOptions {
    return {
      cwd: workTree?.dir ?? this.gitDir,
      gitDir: this.gitDir,
      ...(workTree ? { workTree: workTree.dir, indexFile: workTree.index } : {}),
      ...extra,
    };
  }

  /**
   * Records the work tree as a commit on `ref` with `parent`; undefined when nothing changed.
   * Plumbing only (add, write-tree, commit-tree, update-ref): no hook, no editor, no signing.
   */
  commitWorkTree(
    workTree: { dir: string; index: string },
    ref: string,
    parent: string | undefined,
    identity: Identity,
    message: string,
  ): string | undefined {
    this.text(['add', '--all', '--', '.'], workTree);
    const tree = this.text(['write-tree'], workTree);
    if (parent && this.text(['rev-parse', `${parent}^{tree}`]) === tree) return undefined;
    const commit = this.text(['commit-tree', tree, ...(parent ? ['-p', parent] : []), '-F', '-'], undefined, { identity, input: message });
    this.text(['update-ref', ref, commit]);
    return commit;
  }

  /**
   * `commitWorkTree` without blocking the event loop, given the parent's tree (a commit's tree
   * never changes, so the caller that made the parent knows it and git is not asked again).
   * Returns the tree too, for the next commit on the same ref.
   */
  async commitWorkTreeAsync(
    workTree: WorkTree,
    ref: string,
    parent: { commit: string; tree: string },
    identity: Identity,
    message: string,
  ): Promise<{ commit?: string; tree: string }> {
    await this.textAsync(['add', '--all', '--', '.'], workTree);
    const tree = await this.textAsync(['write-tree'], workTree);
    if (parent.tree === tree) return { tree };
    const commit = await this.textAsync(['commit-tree', tree, '-p', parent.commit, '-F', '-'], undefined, { identity, input: message });
    await this.updateRefAsync(ref, commit);
    return { commit, tree };
  }

  /**
   * `update-ref ref commit`; orchestrate's own refs (`refs/orchestrate/...`) are written as their
   * ref file instead, without starting git (see writeLooseRef), after the same tamper check.
   */
  async updateRefAsync(ref: string, commit: string): Promise<void> {
    this.verify();
    if (!writeLooseRef(this.gitDir, ref, commit)) await this.textAsync(['update-ref', ref, commit]);
  }

  /** The paths that differ between two commits, with modes and blob ids. */
  changes(from: string, to: string): TreeChange[] {
    return changesFrom(this.run(DIFF_TREE(from, to)));
  }

  /** `changes` without blocking the event loop. */
  async changesAsync(from: string, to: string): Promise<TreeChange[]> {
    return changesFrom(await this.runAsync(DIFF_TREE(from, to)));
  }

  /** A blob's bytes, exactly as stored (no filter: `cat-file blob`). */
  blob(oid: string): Buffer {
    this.verify();
    return safeGit(['cat-file', 'blob', oid], { cwd: this.gitDir, gitDir: this.gitDir });
  }

  /** Throws when config, attributes or hooks differ from what orchestrate left. */
  verify(): void {
    if (this.currentFingerprint() !== this.fingerprint) {
      throw new RepoTamperedError(
        `${this.gitDir}: orchestrate's own git metadata was changed by someone else (config, attributes or hooks); refusing to run git on it`,
      );
    }
  }

  private currentFingerprint(): string {
    const h = createHash('sha256');
    for (const rel of ['config', 'info/attributes', 'commondir', 'objects/info/alternates']) {
      const f = path.join(this.gitDir, rel);
      h.update(`${rel}\0${existsSync(f) ? readFileSync(f).toString('base64') : '-'}\0`);
    }
    const hooks = path.join(this.gitDir, 'hooks');
    if (existsSync(hooks))
      for (const f of readdirSync(hooks).sort()) h.update(`hook\0${f}\0${readFileSync(path.join(hooks, f)).toString('base64')}\0`);
    return h.digest('hex');
  }
}

/** Where a command runs: a work tree with its own index. */
type WorkTree = { dir: string; index: string };
/** A commit's identity, or bytes for git's stdin. */
type GitExtra = { identity?: Identity; input?: Buffer | string };

const DIFF_TREE = (from: string, to: string): string[] => [
  'diff-tree',
  '-r',
  '-z',
  '--no-renames',
  '--raw',
  '--no-ext-diff',
  '--no-textconv',
  from,
  to,
];

function changesFrom(out: GitResult): TreeChange[] {
  if (!out.ok) throw new Error(`git diff-tree failed: ${out.stderr.trim()}`);
  return parseRaw(out.stdout.toString('utf8'));
}

/** Parses `git diff-tree -r -z --raw` output. */
export function parseRaw(out: string): TreeChange[] {
  const parts = out.split('\0');
  const changes: TreeChange[] = [];
  for (let i = 0; i + 1 < parts.length; i += 2) {
    const meta = parts[i] ?? '';
    const file = parts[i + 1] ?? '';
    const m = /^:(\d{6}) (\d{6}) ([0-9a-f]+) ([0-9a-f]+) ([AMDT])/.exec(meta);
    if (!m) continue;
    changes.push({ path: file, oldMode: m[1]!, newMode: m[2]!, oldOid: m[3]!, newOid: m[4]!, status: m[5] as TreeChange['status'] });
  }
  return changes;
}
