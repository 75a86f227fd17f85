import { chmodSync, constants, copyFileSync, lstatSync, mkdirSync, readdirSync, readlinkSync, symlinkSync } from 'node:fs';
import path from 'node:path';

/** How many files a copy carried, and what it left out. */
export interface CopyStats {
  files: number;
  bytes: number;
  /** Paths not copied (not a regular file or symlink: sockets, fifos, devices, submodule folders). */
  skipped: string[];
}

/**
 * Copies `rels` (paths relative to `from`) into `to`: regular files as new files (a reflink where
 * the file system allows, never a hard link, so a write in the copy can never reach the
 * original), symlinks as symlinks, permission bits without setuid/setgid/sticky. Anything else
 * is skipped and named. Parents are created as plain directories.
 */
export function copyPaths(from: string, to: string, rels: Iterable<string>): CopyStats {
  const stats: CopyStats = { files: 0, bytes: 0, skipped: [] };
  const made = new Set<string>();
  for (const rel of rels) {
    const src = path.join(from, rel);
    let st;
    try {
      st = lstatSync(src);
    } catch {
      continue; // deleted in the checkout: absent in the copy too
    }
    const dst = path.join(to, rel);
    const parent = path.dirname(dst);
    if (!made.has(parent)) {
      mkdirSync(parent, { recursive: true });
      made.add(parent);
    }
    if (st.isFile()) {
      copyFileSync(src, dst, constants.COPYFILE_FICLONE | constants.COPYFILE_EXCL);
      chmodSync(dst, st.mode & 0o777);
      stats.files += 1;
      stats.bytes += st.size;
    } else if (st.isSymbolicLink()) {
      symlinkSync(readlinkSync(src), dst);
      stats.files += 1;
    } else {
      stats.skipped.push(rel);
    }
  }
  return stats;
}

/** Every file and symlink under `root`, relative, leaving out the `exclude` paths (absolute). */
export function listTree(root: string, exclude: readonly string[]): string[] {
  const skip = new Set(exclude.map((p) => path.resolve(p)));
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (skip.has(full)) continue;
      if (entry.isDirectory()) walk(full);
      else out.push(path.relative(root, full));
    }
  };
  walk(root);
  return out;
}
