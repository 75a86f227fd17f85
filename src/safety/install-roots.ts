import { closeSync, existsSync, openSync, readSync, realpathSync } from 'node:fs';
import path from 'node:path';

/**
 * The folders an executable needs to be visible to run: the folder it is called from, the folder
 * it really lives in, its npm install prefix (what lies before `/node_modules/`: a CLI package reads
 * files beside its entry point, codex its native binary) and, for a script, its interpreter's
 * folder (`#!/usr/bin/env node` with node from nvm under the home). Reads the file system.
 */
export function installRoots(file: string, pathVar: string | undefined): string[] {
  if (!path.isAbsolute(file)) return [];
  const roots = new Set<string>([path.dirname(file)]);
  const real = realOrSelf(file);
  roots.add(path.dirname(real));
  const nm = real.indexOf(`${path.sep}node_modules${path.sep}`);
  if (nm > 0) roots.add(real.slice(0, nm));
  const interpreter = shebangInterpreter(real, pathVar);
  if (interpreter) {
    roots.add(path.dirname(interpreter));
    roots.add(path.dirname(realOrSelf(interpreter)));
  }
  return [...roots];
}

/** `#!/usr/bin/env node` → node on PATH; `#!/opt/x/bin/node` → that path. */
function shebangInterpreter(file: string, pathVar: string | undefined): string | undefined {
  let head: string;
  try {
    const fd = openSync(file, 'r');
    try {
      const buf = Buffer.alloc(256);
      head = buf.subarray(0, readSync(fd, buf, 0, 256, 0)).toString('latin1');
    } finally {
      closeSync(fd);
    }
  } catch {
    return undefined;
  }
  const match = /^#!\s*(\S+)(?:[ \t]+(?:-S\s+)?(\S+))?/.exec(head);
  if (!match) return undefined;
  const [, first, second] = match;
  if (path.basename(first!) !== 'env') return first;
  if (!second) return undefined;
  for (const dir of (pathVar ?? '').split(':').filter((d) => path.isAbsolute(d))) {
    const candidate = path.join(dir, second);
    if (existsSync(candidate)) return candidate; // resolves like realpath, without an exception per PATH entry that lacks it
  }
  return undefined;
}

function realOrSelf(p: string): string {
  try {
    return realpathSync.native(p); // realpath(3): one call, where the JS version lstats each component
  } catch {
    return p;
  }
}
