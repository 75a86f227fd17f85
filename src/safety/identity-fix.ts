import { chmodSync, lchownSync, lstatSync, readdirSync, type Stats } from 'node:fs';
import path from 'node:path';

export interface IdentityFixInput {
  /** The writable roots the agent had. */
  roots: readonly string[];
  /** Not walked (the session workspace: orchestrate's own files). */
  exclude: readonly string[];
  /** Only entries changed since then (ms since the epoch). */
  sinceMs: number;
  /** orchestrate runs as root: files the agent left as root go to the owner of their root. */
  runAsRoot: boolean;
}

export interface IdentityFixResult {
  /** Files whose setuid/setgid bits were removed. */
  stripped: string[];
  /** Files given back to the owner of their writable root. */
  chowned: string[];
}

/**
 * After a run, as a second line behind the seccomp filter (seccomp-setid.ts): no file the agent
 * created or changed keeps a setuid or setgid bit, and, when orchestrate runs as root, none stays
 * owned by root inside a root the person owns (it becomes the person's, like the rest of the tree).
 */
export function fixAgentFiles(input: IdentityFixInput): IdentityFixResult {
  const result: IdentityFixResult = { stripped: [], chowned: [] };
  for (const root of input.roots) {
    const owner = stat(root);
    if (!owner) continue;
    walk(root, input, (p, st) => {
      if (st.ctimeMs < input.sinceMs) return;
      if (st.isFile() && (st.mode & 0o6000) !== 0) {
        chmodSync(p, st.mode & 0o1777);
        result.stripped.push(p);
      }
      if (input.runAsRoot && st.uid === 0 && owner.uid !== 0) {
        lchownSync(p, owner.uid, owner.gid);
        result.chowned.push(p);
      }
    });
  }
  return result;
}

function walk(dir: string, input: IdentityFixInput, visit: (p: string, st: Stats) => void): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const p = path.join(dir, name);
    if (input.exclude.includes(p)) continue;
    const st = stat(p);
    if (!st) continue;
    visit(p, st);
    if (st.isDirectory()) walk(p, input, visit);
  }
}

function stat(p: string): Stats | undefined {
  try {
    return lstatSync(p);
  } catch {
    return undefined;
  }
}
