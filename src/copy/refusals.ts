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
export function vetRange(
  repo: PrivateRepo,
  range: ApplyRange,
  workspaceRel: string | undefined,
): Array<{ change: TreeChange; refusal?: Refusal }> {
  const uncommitted = range.head ? new Set(repo.changes(range.head, range.baseline).map((c) => c.path)) : new Set<string>();
  return repo.changes(range.from, range.to).map((change) => {
    const link = change.newMode === '120000' ? repo.blob(change.newOid).toString('utf8') : undefined;
    const refusal =
      vetChange(change, link, workspaceRel) ??
      gitDriverRefusal(repo, change) ??
      (change.status === 'D' && uncommitted.has(change.path)
        ? { path: change.path, why: 'deleting it would lose your uncommitted work (delete it yourself if you mean to)' }
        : undefined);
    return refusal ? { change, refusal } : { change };
  });
}

/**
 * `.gitattributes` that route files through a filter, diff or merge driver, and `.gitmodules`: plain
 * files, but they decide what the person's own git runs, so only the person adds them.
 */
function gitDriverRefusal(repo: PrivateRepo, change: TreeChange): { path: string; why: string } | undefined {
  const name = change.path.split('/').at(-1);
  if (change.status === 'D') return undefined;
  if (name === '.gitmodules') return { path: change.path, why: 'submodules are added by a person, not by an agent' };
  if (name !== '.gitattributes') return undefined;
  const drivers = /(^|\s)(filter|diff|merge)=/m.test(repo.blob(change.newOid).toString('utf8'));
  return drivers
    ? { path: change.path, why: 'it names a filter, diff or merge driver for your git to run; add such lines yourself' }
    : undefined;
}
