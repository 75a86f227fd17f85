import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  type Stats,
  lstatSync,
  mkdirSync,
  readFileSync,
  readlinkSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';

/** One path's state: absent, a regular file (bytes, executable or not) or a symlink. */
export type FileState =
  | { kind: 'missing' }
  | { kind: 'file'; bytes: Buffer; exec: boolean }
  | { kind: 'link'; to: string }
  /** Something apply never touches: a directory, device, fifo, or a path through a symlink. */
  | { kind: 'other'; what: string };

/** True when two states hold the same content and mode. */
export function sameState(a: FileState, b: FileState): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'file' && b.kind === 'file') return a.exec === b.exec && a.bytes.equals(b.bytes);
  if (a.kind === 'link' && b.kind === 'link') return a.to === b.to;
  return a.kind === 'missing';
}

/**
 * The state of `rel` in the checkout, read without following symlinks: a parent that is a
 * symlink or not a directory makes the path `other` (writing there could leave the target).
 */
export function readState(root: string, rel: string): FileState {
  const parts = rel.split('/');
  let dir = root;
  for (const part of parts.slice(0, -1)) {
    dir = path.join(dir, part);
    const st = lstatOrUndefined(dir);
    if (!st) return { kind: 'missing' };
    if (!st.isDirectory())
      return { kind: 'other', what: `${path.relative(root, dir)} is ${st.isSymbolicLink() ? 'a symlink' : 'not a directory'}` };
  }
  const full = path.join(root, rel);
  const st = lstatOrUndefined(full);
  if (!st) return { kind: 'missing' };
  if (st.isSymbolicLink()) return { kind: 'link', to: readlinkSync(full) };
  if (st.isFile()) return { kind: 'file', bytes: readFileSync(full), exec: (st.mode & 0o111) !== 0 };
  return { kind: 'other', what: st.isDirectory() ? 'a directory' : 'not a regular file' };
}

/**
 * Puts `state` at `rel` under `root`: written to a temporary name beside it and renamed over,
 * so a symlink already there is replaced, never followed; parents are created as plain folders.
 * Permission bits are only 644 or 755.
 */
export function writeState(root: string, rel: string, state: FileState): void {
  const full = path.join(root, rel);
  if (state.kind === 'missing') {
    rmSync(full, { force: true });
    return;
  }
  if (state.kind === 'other') throw new Error(`cannot write ${rel}: ${state.what}`);
  let dir = root;
  for (const part of rel.split('/').slice(0, -1)) {
    dir = path.join(dir, part);
    const st = lstatOrUndefined(dir);
    if (!st) mkdirSync(dir);
    else if (!st.isDirectory()) throw new Error(`cannot write ${rel}: ${path.relative(root, dir)} is not a plain directory`);
  }
  const tmp = path.join(path.dirname(full), `.${path.basename(full)}.orchestrate-${randomBytes(6).toString('hex')}`);
  if (state.kind === 'link') symlinkSync(state.to, tmp);
  else {
    writeFileSync(tmp, state.bytes, { flag: 'wx', mode: 0o600 });
    chmodSync(tmp, state.exec ? 0o755 : 0o644);
  }
  renameSync(tmp, full);
}

function lstatOrUndefined(p: string): Stats | undefined {
  try {
    return lstatSync(p);
  } catch {
    return undefined;
  }
}
