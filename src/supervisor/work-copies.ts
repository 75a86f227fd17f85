import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { CopyInfo } from '../copy/create-copy.js';
import { AgentsRepoTemplate } from '../copy/agents-repo-template.js';
import { giveAgentsARepo, giveAgentsARepoAsync } from '../copy/create-copy.js';
import { PrivateRepo, type TreeChange } from '../copy/private-repo.js';
import { scanNotCarried, type NotCarried } from '../copy/scan-special.js';
import type { Plan } from '../plan/types.js';
import type { FileChanges } from '../session/file-snapshot.js';
import { TargetTree } from './target-tree.js';

/** Where one assignment works: its folder, index, branch, the commit it started from, its file picture. */
export interface AssignmentCopy {
  dir: string;
  index: string;
  /** The ref its commits go on: the session branch, or its own when it may run beside another. */
  ref: string;
  /** The session branch's commit it started from. */
  base: string;
  tree: TargetTree;
  /** Its own copy (merged into the session branch when it ends), not the session's main one. */
  separate: boolean;
}

/** What committing a run gave. */
export interface RunCommit {
  commit?: string;
  changes: FileChanges;
  notCarried: NotCarried[];
}

/**
 * The session's copies. A plan whose assignments run one after the other works in the one
 * session copy, each run's changes a commit on the session branch. When the plan lets two
 * assignments run at the same time, each assignment gets its own copy from the session branch
 * as it is when it starts, and is merged back in plan order when it ends.
 */
export class WorkCopies {
  readonly repo: PrivateRepo;
  private readonly copies = new Map<string, AssignmentCopy>();
  /** Copies being made without blocking (`prepare`), so two callers make one. */
  private readonly making = new Map<string, Promise<AssignmentCopy>>();
  /** Per started assignment: resolved once its merge is done (or it had nothing to merge). */
  private readonly integrated = new Map<string, { done: Promise<void>; release: () => void }>();
  private readonly parallel: boolean;
  private mainTree: TargetTree | undefined;
  /**
   * The commit of each ref read or written here. Only this object moves the session's refs while
   * it runs (agents cannot write orchestrate's git dir), so a ref is read from git once.
   */
  private readonly heads = new Map<string, string>();
  /** The tree of each commit seen (a commit's tree never changes), asked of git once. */
  private readonly trees = new Map<string, Promise<string>>();
  /** What runs left in their copies that git does not carry (setuid bits, fifos, devices, nested .git). */
  readonly notCarried = new Map<string, string>();
  /** The agents' `.git` of each separate copy comes from one `git init` per session. */
  private readonly agentsRepo: AgentsRepoTemplate;

  constructor(
    readonly info: CopyInfo,
    private readonly plan: Plan,
    repo?: PrivateRepo,
  ) {
    this.repo = repo ?? PrivateRepo.open(info.gitDir, info.fingerprint);
    this.parallel = mayOverlap(plan);
    this.agentsRepo = new AgentsRepoTemplate(path.join(info.root, 'agents-git-template'));
  }

  /** The session branch's commit now. */
  tip(): string {
    return this.head(this.info.branch);
  }

  /** The copy `assignment` works in (made on first use; `prepare` makes it without blocking). */
  forAssignment(assignment: string): AssignmentCopy {
    const known = this.copies.get(assignment);
    if (known) return known;
    const copy = this.describe(assignment);
    if (copy.separate && !existsSync(copy.dir)) {
      mkdirSync(copy.dir, { recursive: true });
      const wt = { dir: copy.dir, index: copy.index };
      this.repo.text(['read-tree', '--reset', '-u', copy.base], wt);
      this.setRef(copy.ref, copy.base);
      if (this.info.kind === 'git') giveAgentsARepo(copy.dir, this.info.gitDir, copy.index, this.agentsBranch(copy), copy.base);
    }
    this.copies.set(assignment, copy);
    return copy;
  }

  /**
   * `forAssignment` without blocking the event loop while git makes the copy (other agents are
   * streaming meanwhile): the same copy, made with the same commands.
   */
  async prepare(assignment: string): Promise<AssignmentCopy> {
    const known = this.copies.get(assignment) ?? this.making.get(assignment);
    if (known) return known;
    const making = (async (): Promise<AssignmentCopy> => {
      const copy = this.describe(assignment);
      if (copy.separate && !existsSync(copy.dir)) {
        mkdirSync(copy.dir, { recursive: true });
        const wt = { dir: copy.dir, index: copy.index };
        // read-tree -u into a new folder: the index and every file of the base, in one git
        await this.repo.textAsync(['read-tree', '--reset', '-u', copy.base], wt);
        await this.repo.updateRefAsync(copy.ref, copy.base);
        this.heads.set(copy.ref, copy.base);
        const agents = [copy.dir, this.info.gitDir, copy.index, this.agentsBranch(copy), copy.base] as const;
        if (this.info.kind === 'git' && !(await this.agentsRepo.give(...agents))) await giveAgentsARepoAsync(...agents);
      }
      this.copies.set(assignment, copy);
      return copy;
    })();
    this.making.set(assignment, making);
    try {
      return await making;
    } finally {
      this.making.delete(assignment);
    }
  }

  /** Where `assignment` works: the session's copy, or (assignments that may overlap) its own from the session branch now. */
  private describe(assignment: string): AssignmentCopy {
    if (!this.parallel || !this.plan.assignments.some((a) => a.id === assignment)) {
      this.mainTree ??= TargetTree.of(this.info.workDir, [path.join(this.info.workDir, '.git')]);
      return {
        dir: this.info.workDir,
        index: this.info.index,
        ref: this.info.branch,
        base: this.tip(),
        tree: this.mainTree,
        separate: false,
      };
    }
    const safe = assignment.replace(/[^A-Za-z0-9._-]/g, '_');
    const dir = path.join(this.info.root, `work-${safe}`);
    return {
      dir,
      index: path.join(this.info.root, `work-${safe}.index`),
      ref: `refs/orchestrate/assignments/${safe}`,
      base: this.tip(),
      tree: TargetTree.of(dir, [path.join(dir, '.git')]),
      separate: true,
    };
  }

  private agentsBranch(copy: AssignmentCopy): string {
    return `refs/heads/${path.basename(this.info.branch)}-${path.basename(copy.ref)}`;
  }

  /** Records what a run changed in its copy as a commit (author: the agent); nothing when nothing changed. */
  async commitRun(assignment: string, agent: string, message: string): Promise<RunCommit> {
    const copy = await this.prepare(assignment);
    const parent = this.head(copy.ref);
    const notCarried = scanNotCarried(copy.dir);
    for (const n of notCarried) this.notCarried.set(n.path, n.why);
    const made = await this.repo.commitWorkTreeAsync(
      { dir: copy.dir, index: copy.index },
      copy.ref,
      { commit: parent, tree: await this.treeOf(parent) },
      { name: agent, email: `${agent}@orchestrate.invalid` },
      message,
    );
    if (made.commit) {
      this.heads.set(copy.ref, made.commit);
      this.trees.set(made.commit, Promise.resolve(made.tree));
    }
    return {
      ...(made.commit ? { commit: made.commit } : {}),
      changes: made.commit ? toFileChanges(await this.repo.changesAsync(parent, made.commit)) : { added: [], modified: [], deleted: [] },
      notCarried,
    };
  }

  /** Every change of an assignment so far, against the commit it started from. */
  assignmentChanges(assignment: string): FileChanges {
    const copy = this.forAssignment(assignment);
    return toFileChanges(this.repo.changes(copy.base, this.head(copy.ref)));
  }

  /** Everything the session changed against the baseline. */
  sessionChanges(): FileChanges {
    return toFileChanges(this.repo.changes(this.info.baseline, this.tip()));
  }

  /**
   * Merges a separate copy's commits into the session branch, after every assignment before it
   * in the plan that is running beside it. Returns the conflicting files, if any (the session
   * branch is then left as it was).
   */
  async integrate(assignment: string): Promise<{ merged: boolean; conflicts: string[] }> {
    const copy = this.copies.get(assignment);
    const mine = this.integrated.get(assignment);
    if (!copy?.separate) {
      mine?.release();
      return { merged: false, conflicts: [] };
    }
    const order = this.plan.assignments.map((a) => a.id);
    const earlier = order.slice(0, order.indexOf(assignment)).flatMap((id) => this.integrated.get(id)?.done ?? []);
    try {
      await Promise.all(earlier);
      return await this.mergeNow(copy, assignment);
    } finally {
      mine?.release();
    }
  }

  /** Marks `assignment` as started, so later assignments in the plan wait for its merge. */
  started(assignment: string): void {
    if (this.integrated.has(assignment)) return;
    let release: () => void = () => undefined;
    const done = new Promise<void>((r) => (release = r));
    this.integrated.set(assignment, { done, release });
  }

  private async mergeNow(copy: AssignmentCopy, assignment: string): Promise<{ merged: boolean; conflicts: string[] }> {
    const theirs = this.head(copy.ref);
    const tip = this.tip();
    if (theirs === copy.base) return { merged: false, conflicts: [] };
    if ((await this.repo.runAsync(['merge-base', '--is-ancestor', tip, theirs])).ok) {
      await this.repo.textAsync(['update-ref', this.info.branch, theirs]);
      this.heads.set(this.info.branch, theirs);
      return { merged: true, conflicts: [] };
    }
    const r = await this.repo.runAsync(['merge-tree', '--write-tree', '--name-only', '-z', '--no-messages', tip, theirs]);
    const [tree, ...rest] = r.stdout.toString('utf8').split('\0').filter(Boolean);
    if (!r.ok || !tree)
      return { merged: false, conflicts: r.code === 1 ? [...new Set(rest)] : [`(git merge-tree failed: ${r.stderr.trim()})`] };
    const commit = await this.repo.textAsync(['commit-tree', tree, '-p', tip, '-p', theirs, '-F', '-'], undefined, {
      input: `orchestrate: merge ${assignment} into the session branch\n`,
    });
    await this.repo.textAsync(['update-ref', this.info.branch, commit]);
    this.heads.set(this.info.branch, commit);
    this.trees.set(commit, Promise.resolve(tree));
    return { merged: true, conflicts: [] };
  }

  /** A ref's commit: from git the first time, then as this object last wrote it. */
  private head(ref: string): string {
    let commit = this.heads.get(ref);
    if (commit === undefined) this.heads.set(ref, (commit = this.repo.text(['rev-parse', ref])));
    return commit;
  }

  private setRef(ref: string, commit: string): void {
    this.repo.text(['update-ref', ref, commit]);
    this.heads.set(ref, commit);
  }

  /** A commit's tree: from git the first time (one question for every copy made from the same base). */
  private treeOf(commit: string): Promise<string> {
    let tree = this.trees.get(commit);
    if (tree === undefined) this.trees.set(commit, (tree = this.repo.textAsync(['rev-parse', `${commit}^{tree}`])));
    return tree;
  }
}

/** True when two assignments of the plan may run at the same time (neither depends on the other). */
export function mayOverlap(plan: Plan): boolean {
  const deps = new Map(plan.assignments.map((a) => [a.id, a.dependsOn]));
  const ancestors = (id: string, seen = new Set<string>()): Set<string> => {
    for (const d of deps.get(id) ?? []) if (!seen.has(d)) ancestors(d, seen.add(d));
    return seen;
  };
  const ids = plan.assignments.map((a) => a.id);
  return ids.some((a, i) => ids.slice(i + 1).some((b) => !ancestors(a).has(b) && !ancestors(b).has(a)));
}

function toFileChanges(changes: TreeChange[]): FileChanges {
  const pick = (s: TreeChange['status'][]): string[] =>
    changes
      .filter((c) => s.includes(c.status))
      .map((c) => c.path)
      .sort();
  return { added: pick(['A']), modified: pick(['M', 'T']), deleted: pick(['D']) };
}
