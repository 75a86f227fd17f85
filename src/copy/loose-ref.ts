import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** A component git's check-ref-format accepts (the subset orchestrate's own ref names use). */
const COMPONENT = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;
const OID = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

/**
 * Points `ref` at `oid` by writing its loose ref file (`<gitDir>/refs/...`, the files backend's
 * documented layout: the object id and a newline), atomically and under git's own lock (`<ref>.lock`
 * made exclusively, written, renamed over the ref), without starting git: each fork costs orchestrate more the bigger it grows. Only for refs under
 * `refs/orchestrate/` (orchestrate's own, never packed or logged: gc is off, the repository is
 * bare). Returns false, writing nothing, when the name or id is not one git accepts or the
 * repository does not keep its refs as files; the caller then asks git (`update-ref`).
 */
export function writeLooseRef(gitDir: string, ref: string, oid: string): boolean {
  const parts = ref.split('/');
  if (parts[0] !== 'refs' || parts[1] !== 'orchestrate' || parts.length < 3) return false;
  if (!parts.every((p) => COMPONENT.test(p) && !p.endsWith('.lock') && !p.endsWith('.') && !p.includes('..'))) return false;
  if (!OID.test(oid) || !filesBackend(gitDir)) return false;
  const file = path.join(gitDir, ...parts);
  mkdirSync(path.dirname(file), { recursive: true });
  const lock = `${file}.lock`;
  writeFileSync(lock, `${oid}\n`, { flag: 'wx' }); // held by someone else: throws, as update-ref would fail
  try {
    renameSync(lock, file);
  } catch (error) {
    rmSync(lock, { force: true });
    throw error;
  }
  return true;
}

/** True when refs are loose files: no `extensions.refStorage` (reftable) in the repository's config. */
function filesBackend(gitDir: string): boolean {
  const config = path.join(gitDir, 'config');
  return existsSync(config) && !/refstorage/i.test(readFileSync(config, 'utf8'));
}
