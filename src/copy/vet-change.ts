import path from 'node:path';
import type { TreeChange } from './private-repo.js';

/** A change `apply` will not make, and why (named in the output and the summary). */
export interface Refusal {
  path: string;
  why: string;
}

/** orchestrate's own config and workspace: never written by an apply, whatever an agent did. */
const OWN_FILES = new Set(['orchestrate.config.json']);

/**
 * Whether one changed path may cross into the checkout. Only regular files (mode 644/755) and
 * symlinks that stay inside the target cross; never anything under a `.git` or the workspace,
 * never orchestrate's config, never a nested repository reference. Pure.
 */
export function vetChange(change: TreeChange, linkTarget: string | undefined, workspaceRel: string | undefined): Refusal | undefined {
  const p = change.path;
  const parts = p.split('/');
  if (p === '' || path.isAbsolute(p) || parts.some((s) => s === '' || s === '.' || s === '..'))
    return { path: p, why: 'not a plain relative path' };
  if (parts.some((s) => s.toLowerCase() === '.git')) return { path: p, why: 'git metadata (.git) never crosses' };
  if (parts.some((s) => OWN_FILES.has(s))) return { path: p, why: "orchestrate's own config is written only by a person" };
  if (parts[0] === '.orchestrate' || (workspaceRel && (p === workspaceRel || p.startsWith(`${workspaceRel}/`)))) {
    return { path: p, why: "orchestrate's workspace (.orchestrate/) never crosses" };
  }
  if (change.status === 'D') return undefined;
  switch (change.newMode) {
    case '100644':
    case '100755':
      return undefined;
    case '120000': {
      if (linkTarget === undefined) return { path: p, why: 'symlink without a target' };
      if (path.isAbsolute(linkTarget)) return { path: p, why: `symlink to an absolute path (${linkTarget})` };
      const resolved = path.posix.normalize(path.posix.join(path.posix.dirname(p), linkTarget));
      if (resolved === '..' || resolved.startsWith('../')) return { path: p, why: `symlink pointing outside the target (${linkTarget})` };
      if (resolved.split('/').some((s) => s === '.git')) return { path: p, why: `symlink into git metadata (${linkTarget})` };
      return undefined;
    }
    case '160000':
      return { path: p, why: 'a nested repository (gitlink): its files are not carried' };
    default:
      return { path: p, why: `unsupported file mode ${change.newMode}` };
  }
}
