import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors.js';
import { sessionIds } from './list-sessions.js';
import { sessionsDir } from './paths.js';

/** A session reference resolved to its directory. */
export interface ResolvedSession {
  id: string;
  dir: string;
}

/** The workspace the inspect commands read: `--workspace`, else `<target>/.orchestrate` (as the main command). */
export function resolveWorkspace(cwd: string, flags: { target?: string; workspace?: string }): string {
  const target = path.resolve(cwd, flags.target ?? '.');
  return path.resolve(cwd, flags.workspace ?? path.join(target, '.orchestrate'));
}

/**
 * Resolves what a person typed to one session: `last` (the newest), an exact id, a session
 * directory's path, or a unique id prefix. Ambiguous and unknown references are usage errors.
 */
export function resolveSession(ref: string, workspace: string, cwd: string): ResolvedSession {
  const ids = sessionIds(workspace);
  const inWorkspace = (id: string): ResolvedSession => ({ id, dir: path.join(sessionsDir(workspace), id) });
  if (ref === 'last') {
    const newest = ids.at(-1);
    if (!newest)
      throw new UsageError(`no sessions in ${sessionsDir(workspace)}`, 'run orchestrate "<task>" first, or pass --target or --workspace');
    return inWorkspace(newest);
  }
  if (ids.includes(ref)) return inWorkspace(ref);
  // A path is recognised by its shape first, so `./2026…` never falls back to prefix matching.
  const looksLikePath = ref.includes('/') || ref.includes(path.sep) || ref === '.' || ref === '..';
  const asPath = path.resolve(cwd, ref);
  if (looksLikePath) {
    if (isSessionDir(asPath)) return { id: path.basename(asPath), dir: asPath };
    throw new UsageError(
      `not a session directory: ${asPath}`,
      'give a session id, a unique prefix of one, "last", or the path of a session directory',
    );
  }
  const matches = ref === '' ? [] : ids.filter((id) => id.startsWith(ref));
  if (matches.length === 1) return inWorkspace(matches[0] as string);
  if (matches.length > 1) {
    throw new UsageError(`"${ref}" matches ${matches.length} sessions: ${matches.join(', ')}`, 'give more of the id');
  }
  // A bare directory name in the cwd that holds a session (e.g. run from inside sessions/).
  if (isSessionDir(asPath)) return { id: path.basename(asPath), dir: asPath };
  throw new UsageError(
    `no session "${ref}" in ${sessionsDir(workspace)}`,
    'list them with `orchestrate sessions`, or pass --target or --workspace',
  );
}

/** A directory holding a session's state or journal (a damaged one still counts, so `show` can say why). */
function isSessionDir(p: string): boolean {
  try {
    return statSync(p).isDirectory() && (existsSync(path.join(p, 'session.json')) || existsSync(path.join(p, 'events.jsonl')));
  } catch {
    return false;
  }
}
