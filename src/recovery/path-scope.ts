import { realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { isWithin } from '../paths.js';

/** The two file-system questions the scope check asks; injected so the planner stays testable. */
export interface PathProbe {
  /** The path with every symlink resolved, or undefined when it does not exist. */
  realpath(p: string): string | undefined;
  isDirectory(p: string): boolean;
}

/** The real file system. */
export const FS_PROBE: PathProbe = {
  realpath: (p) => {
    try {
      return realpathSync(p);
    } catch {
      return undefined;
    }
  },
  isDirectory: (p) => {
    try {
      return statSync(p).isDirectory();
    } catch {
      return false;
    }
  },
};

/** Where a refused write would land, and the directory to grant for it. */
export interface WriteScope {
  /** The path as the agent meant it, absolute and with `..` resolved. */
  path: string;
  /** The directory to add (symlinks resolved): the path's parent when it exists, else its nearest existing ancestor inside an allowed root, else the parent itself. */
  dir: string;
  /** False when `dir` must be created before the relaunch. */
  dirExists: boolean;
  /** The allowed root the real location lies in, if any. */
  root?: string;
}

/** `p` with symlinks resolved as far as it exists; the missing tail is kept as written. */
export function realLocation(p: string, probe: PathProbe): { real: string; existing: string } {
  let existing = p;
  const tail: string[] = [];
  for (;;) {
    const real = probe.realpath(existing);
    if (real !== undefined) return { real: path.join(real, ...tail), existing: real };
    const parent = path.dirname(existing);
    if (parent === existing) return { real: p, existing: parent };
    tail.unshift(path.basename(existing));
    existing = parent;
  }
}

/**
 * Decides where a write to `target` really lands and which directory would allow it. The check is
 * on the real location, so `..` and symlinks cannot smuggle a write out of the allowed roots
 * (`<target>/link/x` with `link -> /etc` lies in /etc).
 */
export function scopeWrite(target: string, opts: { cwd: string; allowedRoots: readonly string[]; probe?: PathProbe }): WriteScope {
  const probe = opts.probe ?? FS_PROBE;
  const abs = path.resolve(opts.cwd, target);
  const parent = realLocation(path.dirname(abs), probe);
  const roots = opts.allowedRoots.map((r) => realLocation(path.resolve(opts.cwd, r), probe).real);
  const root = roots.find((r) => isWithin(parent.real, r));
  const scope: WriteScope = { path: abs, dir: parent.real, dirExists: parent.real === parent.existing && probe.isDirectory(parent.real) };
  if (root !== undefined) {
    scope.root = root;
    // A parent that does not exist yet: grant its nearest existing ancestor when that is still inside the root.
    if (!scope.dirExists && isWithin(parent.existing, root) && probe.isDirectory(parent.existing)) {
      scope.dir = parent.existing;
      scope.dirExists = true;
    }
  }
  return scope;
}
