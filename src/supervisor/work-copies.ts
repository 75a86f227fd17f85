import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { CopyInfo } from '../copy/create-copy.js';
import { giveAgentsARepo } from '../copy/create-copy.js';
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
  /** Per started assignment: resolved once its merge is done (or it had nothing to merge). */
  private readonly integrated = new Map<string, { done: Promise<void>; release: () => void }>();
  private readonly parallel: boolean;
  private mainTree: TargetTree | undefined;
  /** What runs left in their copies that git does not carry (setuid bits, fifos, devices, nested .git). */
  readonly notCarried = new Map<string, string>();

  constructor(
    readonly info: CopyInfo,
    private readonly plan: Plan,
    repo?: PrivateRepo,
  ) {
    this.repo = repo ?? PrivateRepo.open(info.gitDir, info.fingerprint);
    this.parallel = mayOverlap(plan);
  }

  /** The session branch's commit now. */
  tip(): string {
    return this.repo.text(['rev-parse', this.info.branch]);
  }

  /** The copy `assignment` works in (made on first use). */
  forAssignment(assignment: string): AssignmentCopy {
    const known = this.copies.get(assignment);
    if (known) return known;
    let copy: AssignmentCopy;
    if (!this.parallel || !this.plan.assignments.some((a) => a.id === assignment)) {
      this.mainTree ??= TargetTree.of(this.info.workDir, [path.join(this.info.workDir, '.git')]);
      copy = {
        dir: this.info.workDir,
        index: this.info.index,
        ref: this.info.branch,
        base: this.tip(),
        tree: this.mainTree,
        separate: false,
      };
    } else {
      const safe = assignment.replace(/[^A-Za-z0-9._-]/g, '_');
      const dir = path.join(this.info.root, `work-${safe}`);
      const index = path.join(this.info.root, `work-${safe}.index`);
      const ref = `refs/orchestrate/assignments/${safe}`;
      const base = this.tip();
      if (!existsSync(dir)) {
        mkdirSync(dir, { recursive: true });
        const wt = { dir, index };
        this.repo.text(['read-tree', base], wt);
        this.repo.text(['checkout-index', '--all', '--force'], wt);
        this.repo.text(['update-ref', ref, base]);
        if (this.info.kind === 'git')
          giveAgentsARepo(dir, this.info.gitDir, index, `refs/heads/${path.basename(this.info.branch)}-${safe}`, base);
      }
      copy = { dir, index, ref, base, tree: TargetTree.of(dir, [path.join(dir, '.git')]), separate: true };
    }
    this.copies.set(assignment, copy);
    return copy;
  }

  /** Records what a run changed in its copy as a commit (author: the agent); nothing when nothing changed. */
  commitRun(assignment: string, agent: string, message: string): RunCommit {
    const copy = this.forAssignment(assignment);
    const parent = this.repo.text(['rev-parse', copy.ref]);
    const notCarried = scanNotCarried(copy.dir);
    for (const n of notCarried) this.notCarried.set(n.path, n.why);
    const commit = this.repo.commitWorkTree(
      { dir: copy.dir, index: copy.index },
      copy.ref,
      parent,
      { name: agent, email: `${agent}@orchestrate.invalid` },
      message,
    );
    return {
      ...(commit ? { commit } : {}),
      changes: commit ? toFileChanges(this.repo.changes(parent, commit)) : { added: [], modified: [], deleted: [] },
      notCarried,
    };
  }

  /** Every change of an assignment so far, against the commit it started from. */
  assignmentChanges(assignment: string): FileChanges {
    const copy = this.forAssignment(assignment);
    return toFileChanges(this.repo.changes(copy.base, this.repo.text(['rev-parse', copy.ref])));
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
      return this.mergeNow(copy, assignment);
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

  private mergeNow(copy: AssignmentCopy, assignment: string): { merged: boolean; conflicts: string[] } {
    const theirs = this.repo.text(['rev-parse', copy.ref]);
    const tip = this.tip();
    if (theirs === copy.base) return { merged: false, conflicts: [] };
    if (this.repo.run(['merge-base', '--is-ancestor', tip, theirs]).ok) {
      this.repo.text(['update-ref', this.info.branch, theirs]);
      return { merged: true, conflicts: [] };
    }
    const r = this.repo.run(['merge-tree', '--write-tree', '--name-only', '-z', '--no-messages', tip, theirs]);
    const [tree, ...rest] = r.stdout.toString('utf8').split('\0').filter(Boolean);
    if (!r.ok || !tree)
      return { merged: false, conflicts: r.code === 1 ? [...new Set(rest)] : [`(git merge-tree failed: ${r.stderr.trim()})`] };
    const commit = this.repo.text(['commit-tree', tree, '-p', tip, '-p', theirs, '-F', '-'], undefined, {
      input: `orchestrate: merge ${assignment} into the session branch\n`,
    });
    this.repo.text(['update-ref', this.info.branch, commit]);
    return { merged: true, conflicts: [] };
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
