import { accessSync, constants, realpathSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * Finds `name` the way execvp would (a path with a slash is taken as is, else each PATH entry),
 * and returns its real path with symlinks resolved, or undefined when it is not an executable file.
 * The real path matters: inside the sandbox, PATH entries under /tmp are not visible.
 */
export function resolveExecutable(name: string, envPath: string | undefined, cwd: string): string | undefined {
  const candidates = name.includes('/')
    ? [path.resolve(cwd, name)]
    : (envPath ?? '')
        .split(path.delimiter)
        .filter(Boolean)
        .map((dir) => path.join(path.resolve(cwd, dir), name));
  for (const candidate of candidates) {
    try {
      accessSync(candidate, constants.X_OK);
      if (!statSync(candidate).isFile()) continue;
      return realpathSync(candidate);
    } catch {
      // not here
    }
  }
  return undefined;
}
