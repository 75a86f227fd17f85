import type { PrivateRepo, TreeChange } from './private-repo.js';
import { vetChange, type Refusal } from './vet-change.js';

/** The commits an apply brings (`from..to`) and the session's start (the person's HEAD, the baseline). */
export interface ApplyRange {
  from: string;
  to: string;
  baseline: string;
  head?: string;
}

/**
 * Every change of `range` with the refusal an apply gives it, if any: what may never cross
 * (vetChange), and the deletion of a file that held the person's uncommitted work when the
 * session started (it differs from their HEAD in the baseline).
 */
export function vetRange(repo: PrivateRepo, range: ApplyRange, workspaceRel: string | undefined): Array<{ change: TreeChange; refusal?: Refusal }> {
  const uncommitted = range.head ? new Set(repo.changes(range.head, range.baseline).map((c) => c.path)) : new Set<string>();
  return repo.changes(range.from, range.to).map((change) => {
    const link = change.newMode === '120000' ? repo.blob(change.newOid).toString('utf8') : undefined;
    const refusal =
      vetChange(change, link, workspaceRel) ??
      (change.status === 'D' && uncommitted.has(change.path) ? { path: change.path, why: 'deleting it would lose your uncommitted work (delete it yourself if you mean to)' } : undefined);
    return refusal ? { change, refusal } : { change };
  });
}
