import { lstatSync, readdirSync } from 'node:fs';
import path from 'node:path';

/** A file in a copy that will not reach the checkout, and why. */
export interface NotCarried {
  path: string;
  why: string;
}

/**
 * What in a session copy git (and so `apply`) will not carry, named so a person hears about it:
 * setuid/setgid files (git keeps only the executable bit), device files, fifos, sockets, and git
 * folders below the top level (a nested repository is recorded as a reference, never its files).
 * The copy's own top-level `.git` belongs to the agents and is skipped.
 */
export function scanNotCarried(root: string, limit = 200): NotCarried[] {
  const found: NotCarried[] = [];
  const walk = (dir: string): void => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (found.length >= limit) return;
      const full = path.join(dir, e.name);
      const rel = path.relative(root, full);
      if (e.name === '.git') {
        if (dir !== root) found.push({ path: rel, why: 'a nested git folder: never copied to the checkout' });
        continue;
      }
      if (e.isDirectory()) {
        walk(full);
        continue;
      }
      if (e.isFile()) {
        const mode = lstatSync(full).mode;
        if (mode & 0o6000)
          found.push({
            path: rel,
            why: `setuid/setgid bits (mode ${(mode & 0o7777).toString(8)}): only the content and the executable bit are carried`,
          });
      } else if (!e.isSymbolicLink()) {
        found.push({
          path: rel,
          why: e.isFIFO() ? 'a fifo: not carried' : e.isSocket() ? 'a socket: not carried' : 'a device file: not carried',
        });
      }
    }
  };
  walk(root);
  return found;
}
