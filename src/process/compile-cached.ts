import { createHash } from 'node:crypto';
import {
  chmodSync,
  copyFileSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import path from 'node:path';
import { homeOf, isWithin } from '../paths.js';
import { compileC, findCompiler } from './compile-c.js';

/** The user's cache of compiled hook clients: `$XDG_CACHE_HOME/orchestrate/compiled` or `~/.cache/orchestrate/compiled`. */
export function compiledCacheDir(env: NodeJS.ProcessEnv): string {
  const base = env['XDG_CACHE_HOME'] && path.isAbsolute(env['XDG_CACHE_HOME']) ? env['XDG_CACHE_HOME'] : path.join(homeOf(env), '.cache');
  return path.join(base, 'orchestrate', 'compiled');
}

const sha256 = (data: Buffer | string): string => createHash('sha256').update(data).digest('hex');

/**
 * `compileC`, with the binary kept in `cacheDir` by the hash of the source and the compiler, so a
 * session's start does not wait on the compiler every time. The cached binary is copied to
 * `binary` only when it passes every check: the folder is ours and writable by no one else, the
 * file is a regular file of ours that no one else can write, and its content has the hash its name
 * records (a half-written or swapped file is not used). A new binary is written under a temporary
 * name and renamed into place. Refused (compiled as before, nothing cached) when the cache lies
 * inside one of `writableRoots` (what an agent may write: a binary it could replace would switch
 * its own hook off).
 */
export function compileCached(
  source: string,
  binary: string,
  pathEnv: string | undefined,
  opts: { cacheDir: string; writableRoots: readonly string[] },
): { ok: boolean; cached: boolean } {
  const compiler = findCompiler(pathEnv);
  if (!compiler) return { ok: false, cached: false };
  const cacheDir = path.resolve(opts.cacheDir);
  try {
    mkdirSync(cacheDir, { recursive: true, mode: 0o700 });
  } catch {
    return { ok: compileC(source, binary, pathEnv), cached: false };
  }
  const real = (p: string): string => {
    try {
      return realpathSync(p);
    } catch {
      return path.resolve(p);
    }
  };
  const exposed = opts.writableRoots.some((r) => isWithin(real(r), real(cacheDir)) || isWithin(real(cacheDir), real(r)));
  if (exposed) return { ok: compileC(source, binary, pathEnv), cached: false };
  const compilerStat = statSync(compiler);
  const key = sha256(`${compiler}\n${compilerStat.size}\n${compilerStat.mtimeMs}\n${process.arch}\n${readFileSync(source, 'utf8')}`).slice(
    0,
    32,
  );
  const hit = trustedEntry(cacheDir, key);
  if (hit) {
    copyFileSync(hit, binary);
    chmodSync(binary, 0o755);
    return { ok: true, cached: true };
  }
  if (!compileC(source, binary, pathEnv)) return { ok: false, cached: false };
  try {
    if (!trustedDir(cacheDir)) return { ok: true, cached: false };
    const tmp = path.join(cacheDir, `.tmp-${process.pid}-${key}`);
    copyFileSync(binary, tmp);
    chmodSync(tmp, 0o500);
    renameSync(tmp, path.join(cacheDir, `${key}-${sha256(readFileSync(tmp))}`));
  } catch {
    // a cache that cannot be written costs the next session a compile, nothing else
  }
  return { ok: true, cached: false };
}

/** The cached binary for `key` when the folder and the file pass every check; else undefined. */
function trustedEntry(cacheDir: string, key: string): string | undefined {
  try {
    if (!trustedDir(cacheDir)) return undefined;
    for (const name of readdirSync(cacheDir)) {
      const [k, hash] = name.split('-');
      if (k !== key || !hash) continue;
      const file = path.join(cacheDir, name);
      const st = lstatSync(file);
      if (!st.isFile() || st.uid !== process.getuid?.() || (st.mode & 0o022) !== 0) continue;
      if (sha256(readFileSync(file)) === hash) return file;
      rmSync(file, { force: true }); // not what its name says: never used, and gone for the next session
    }
  } catch {
    // unreadable: compile instead
  }
  return undefined;
}

/** Our own real folder (not a symlink), writable by no one else. */
function trustedDir(dir: string): boolean {
  const st = lstatSync(dir);
  return st.isDirectory() && st.uid === process.getuid?.() && (st.mode & 0o022) === 0;
}
