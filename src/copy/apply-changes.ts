import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runSafeGit } from '../process/safe-git.js';
import { writeJsonAtomic } from '../session/atomic-write.js';
import { readState, sameState, writeState, type FileState } from './checkout-files.js';
import type { PrivateRepo, TreeChange } from './private-repo.js';
import { vetRange, type ApplyRange } from './refusals.js';
import type { Refusal } from './vet-change.js';

/** What an apply did, or would have done when it refused. */
export interface ApplyOutcome {
  /** True when the checkout was changed (no conflict). */
  applied: boolean;
  /** Paths written (merged ones included). */
  written: string[];
  /** Paths the person also changed meanwhile, merged cleanly three-way. */
  merged: string[];
  /** Paths already as the session left them. */
  unchanged: string[];
  /** Paths changed both by the person and the session in ways that do not merge: nothing was written. */
  conflicts: Array<{ path: string; why: string }>;
  /** Changes that may never cross (git metadata, orchestrate's config, outside symlinks…). */
  refused: Refusal[];
}

/** The restore point of one apply: every path it wrote, before and after. */
interface RestoreEntry {
  path: string;
  before: StoredState;
  after: StoredState;
}
type StoredState = { kind: 'missing' } | { kind: 'file'; exec: boolean; sha256: string; file?: string } | { kind: 'link'; to: string };

/** Files of the apply records in a session directory. */
export function applyPaths(sessionDir: string): { dir: string; restore: string; before: string; tmp: string } {
  const dir = path.join(sessionDir, 'apply');
  return { dir, restore: path.join(dir, 'restore.json'), before: path.join(dir, 'before'), tmp: path.join(dir, 'tmp') };
}

/**
 * Brings the changes `from..to` of orchestrate's repository into `target` as data: per path a
 * three-way decision against what the checkout holds now. The checkout already as the session
 * left it: nothing to do; as the baseline: the session's version; otherwise text files are
 * merged (`git merge-file`, no repository involved) and anything that does not merge is a
 * conflict. One conflict and nothing is written. Before writing, every path's current state is
 * saved as a restore point in the session directory.
 */
export function applyChanges(
  repo: PrivateRepo,
  range: ApplyRange,
  target: string,
  sessionDir: string,
  workspaceRel: string | undefined,
): ApplyOutcome {
  const out: ApplyOutcome = { applied: false, written: [], merged: [], unchanged: [], conflicts: [], refused: [] };
  const files = applyPaths(sessionDir);
  const plan: Array<{ path: string; before: FileState; after: FileState }> = [];
  for (const { change, refusal } of vetRange(repo, range, workspaceRel)) {
    if (refusal) {
      out.refused.push(refusal);
      continue;
    }
    const base = stateOf(repo, change.oldMode, change.oldOid);
    const theirs = stateOf(repo, change.newMode, change.newOid);
    const current = readState(target, change.path);
    if (current.kind === 'other') {
      out.conflicts.push({ path: change.path, why: `in the checkout: ${current.what}` });
    } else if (sameState(current, theirs)) {
      out.unchanged.push(change.path);
    } else if (sameState(current, base)) {
      plan.push({ path: change.path, before: current, after: theirs });
    } else if (current.kind === 'file' && base.kind === 'file' && theirs.kind === 'file') {
      const merged = mergeText(files.tmp, current.bytes, base.bytes, theirs.bytes);
      if (merged === undefined)
        out.conflicts.push({ path: change.path, why: 'changed in the checkout and by the session, in the same lines (or binary)' });
      else {
        const exec = current.exec === base.exec ? theirs.exec : current.exec;
        plan.push({ path: change.path, before: current, after: { kind: 'file', bytes: merged, exec } });
        out.merged.push(change.path);
      }
    } else {
      out.conflicts.push({ path: change.path, why: `changed in the checkout (now ${current.kind}) and by the session (${theirs.kind})` });
    }
  }
  rmSync(files.tmp, { recursive: true, force: true });
  if (out.conflicts.length > 0) return out;
  // the restore point first: an apply that stops half-way can still be undone
  rmSync(files.before, { recursive: true, force: true });
  mkdirSync(files.before, { recursive: true });
  const restore: RestoreEntry[] = plan.map((p, i) => ({
    path: p.path,
    before: store(p.before, path.join(files.before, String(i))),
    after: store(p.after),
  }));
  writeJsonAtomic(files.restore, { version: 1, from: range.from, to: range.to, entries: restore });
  for (const p of plan) {
    writeState(target, p.path, p.after);
    out.written.push(p.path);
  }
  out.applied = true;
  return out;
}

/** What an undo did: restored paths, or the paths changed since the apply (then nothing is restored). */
export interface UndoOutcome {
  restored: string[];
  changedSince: string[];
}

/**
 * Undoes the last apply recorded in `sessionDir`: every path it wrote goes back to its state
 * before. Refuses (nothing restored) when a path no longer holds what the apply wrote.
 */
export function undoApply(target: string, sessionDir: string): UndoOutcome | undefined {
  const files = applyPaths(sessionDir);
  let record: { entries: RestoreEntry[] };
  try {
    record = JSON.parse(readFileSync(files.restore, 'utf8')) as { entries: RestoreEntry[] };
  } catch {
    return undefined;
  }
  const changedSince = record.entries.filter((e) => !matches(readState(target, e.path), e.after)).map((e) => e.path);
  if (changedSince.length > 0) return { restored: [], changedSince };
  for (const e of record.entries) writeState(target, e.path, load(e.before));
  rmSync(files.dir, { recursive: true, force: true });
  return { restored: record.entries.map((e) => e.path), changedSince: [] };
}

function stateOf(repo: PrivateRepo, mode: string, oid: string): FileState {
  if (/^0+$/.test(mode)) return { kind: 'missing' };
  if (mode === '120000') return { kind: 'link', to: repo.blob(oid).toString('utf8') };
  return { kind: 'file', bytes: repo.blob(oid), exec: mode === '100755' };
}

/** `git merge-file` on three temporary files; undefined on a conflict or a binary file. */
function mergeText(tmp: string, ours: Buffer, base: Buffer, theirs: Buffer): Buffer | undefined {
  mkdirSync(tmp, { recursive: true });
  const names = ['ours', 'base', 'theirs'];
  [ours, base, theirs].forEach((b, i) => writeFileSync(path.join(tmp, names[i]!), b));
  const r = runSafeGit(['merge-file', '-p', '--', ...names], { cwd: tmp });
  return r.ok ? r.stdout : undefined;
}

function sha(b: Buffer): string {
  return createHash('sha256').update(b).digest('hex');
}

function store(s: FileState, file?: string): StoredState {
  if (s.kind === 'file') {
    if (file) writeFileSync(file, s.bytes);
    return { kind: 'file', exec: s.exec, sha256: sha(s.bytes), ...(file ? { file } : {}) };
  }
  if (s.kind === 'link') return { kind: 'link', to: s.to };
  return { kind: 'missing' };
}

function load(s: StoredState): FileState {
  if (s.kind === 'file') return { kind: 'file', exec: s.exec, bytes: readFileSync(s.file as string) };
  return s;
}

function matches(current: FileState, s: StoredState): boolean {
  if (s.kind === 'file') return current.kind === 'file' && current.exec === s.exec && sha(current.bytes) === s.sha256;
  if (s.kind === 'link') return current.kind === 'link' && current.to === s.to;
  return current.kind === 'missing';
}

export type { TreeChange };
