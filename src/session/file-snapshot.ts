import { lstatSync, readdirSync } from 'node:fs';
import path from 'node:path';

/** A cheap picture of a directory tree: relative path → size and mtime. */
export type FileSnapshot = Map<string, string>;

/** What changed between two snapshots. */
export interface FileChanges {
  added: string[];
  modified: string[];
  deleted: string[];
}

const SKIP_DIRS = new Set(['.git', 'node_modules']);
const MAX_FILES = 50_000;

/**
 * Records every regular file under `root` (symlinks as links, not followed), skipping `.git`,
 * `node_modules` and the `exclude` paths (the session workspace). Stops at 50,000 files.
 */
export function snapshotTree(root: string, exclude: readonly string[] = []): FileSnapshot {
  const snapshot: FileSnapshot = new Map();
  const excluded = new Set(exclude.map((p) => path.resolve(p)));
  const walk = (dir: string): void => {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return;
    }
    for (const name of names.sort()) {
      if (snapshot.size >= MAX_FILES) return;
      const full = path.join(dir, name);
      if (excluded.has(full)) continue;
      let st;
      try {
        st = lstatSync(full);
      } catch {
        continue;
      }
      if (st.isDirectory()) {
        if (!SKIP_DIRS.has(name)) walk(full);
      } else {
        snapshot.set(path.relative(root, full), `${st.size}:${st.mtimeMs}:${st.isSymbolicLink() ? 'l' : 'f'}`);
      }
    }
  };
  walk(root);
  return snapshot;
}

/** The differences between two snapshots, each list sorted. */
export function diffSnapshots(before: FileSnapshot, after: FileSnapshot): FileChanges {
  const added: string[] = [];
  const modified: string[] = [];
  const deleted: string[] = [];
  for (const [file, sig] of after) {
    const old = before.get(file);
    if (old === undefined) added.push(file);
    else if (old !== sig) modified.push(file);
  }
  for (const file of before.keys()) if (!after.has(file)) deleted.push(file);
  return { added: added.sort(), modified: modified.sort(), deleted: deleted.sort() };
}
