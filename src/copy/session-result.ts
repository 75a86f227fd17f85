import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors.js';
import type { SessionState } from '../session/session-state.js';
import type { CopyInfo } from './create-copy.js';
import { PrivateRepo } from './private-repo.js';
import { vetRange } from './refusals.js';
import type { Refusal } from './vet-change.js';

/** A finished session's copy, opened for diff, apply or discard. */
export interface SessionResult {
  dir: string;
  state: SessionState;
  info: CopyInfo;
  repo: PrivateRepo;
  /** The session branch's last commit: what an apply brings. */
  tip: string;
  /** The workspace relative to the target, when inside it (never applied). */
  workspaceRel: string | undefined;
}

/** Reads `session.json` of `dir` and opens its copy; usage errors say why it cannot be. */
export function openSessionResult(dir: string): SessionResult {
  let state: SessionState;
  try {
    state = JSON.parse(readFileSync(path.join(dir, 'session.json'), 'utf8')) as SessionState;
  } catch {
    throw new UsageError(`${dir}: no readable session.json`, 'give the id of a session started by this version of orchestrate');
  }
  const info = state.copy;
  if (!info) throw new UsageError(`session ${state.id} has no session copy (it ran before copies existed, or failed before making one)`);
  if (state.discarded) throw new UsageError(`session ${state.id}'s copy was discarded at ${state.discarded}`);
  if (!existsSync(info.gitDir)) throw new UsageError(`session ${state.id}'s copy is gone: ${info.root}`);
  const repo = PrivateRepo.open(info.gitDir, info.fingerprint);
  const rel = path.relative(state.target, state.workspace);
  const workspaceRel = rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : undefined;
  return { dir, state, info, repo, tip: repo.text(['rev-parse', info.branch]), workspaceRel };
}

/** Refuses while the session's supervisor still runs (its copy is still changing). */
export function requireFinished(r: SessionResult, isAlive: (pid: number) => boolean): void {
  if (r.state.state === 'running' && isAlive(r.state.supervisorPid)) {
    throw new UsageError(
      `session ${r.state.id} is still running`,
      `wait for it to end, or stop it with: orchestrate ctl stop ${r.state.id}`,
    );
  }
}

/** The commits range of one assignment, from the journal's `copy.committed` entries. */
export function assignmentRange(r: SessionResult, assignment: string): { from: string; to: string } {
  const commits: string[] = [];
  const journal = path.join(r.dir, 'events.jsonl');
  const known = new Set<string>();
  for (const line of existsSync(journal) ? readFileSync(journal, 'utf8').split('\n') : []) {
    if (!line.includes('"copy.committed"') && !line.includes('"assignment.started"')) continue;
    try {
      const e = JSON.parse(line) as { type: string; assignment?: string; commit?: string };
      if (e.assignment) known.add(e.assignment);
      if (e.type === 'copy.committed' && e.assignment === assignment && e.commit) commits.push(e.commit);
    } catch {
      // a torn last line: skip
    }
  }
  const first = commits[0];
  const last = commits.at(-1);
  if (!first || !last) {
    if (known.has(assignment)) return { from: r.tip, to: r.tip };
    throw new UsageError(`session ${r.state.id} has no assignment "${assignment}"`, `one of: ${[...known].join(', ') || '(none)'}`);
  }
  return { from: r.repo.text(['rev-parse', `${first}^`]), to: last };
}

/** The changes of `from..to` that an apply would refuse, with why. */
export function refusals(r: SessionResult, from: string, to: string): Refusal[] {
  const range = { from, to, baseline: r.info.baseline, ...(r.info.head ? { head: r.info.head } : {}) };
  return vetRange(r.repo, range, r.workspaceRel).flatMap((v) => (v.refusal ? [v.refusal] : []));
}

/** `git diff` (stat, then the patch) of `from..to`, bytes exactly as stored: no textconv, no external diff. */
export function diffText(r: SessionResult, from: string, to: string, statOnly: boolean): string {
  const flags = ['--no-color', '--no-ext-diff', '--no-textconv', '--no-renames'];
  const stat = r.repo
    .run(['diff', '--stat=120', ...flags, from, to])
    .stdout.toString('utf8')
    .replace(/\n$/, '');
  if (statOnly) return stat;
  const patch = r.repo.run(['diff', ...flags, '--binary', from, to]).stdout.toString('utf8');
  return `${stat}\n\n${patch}`;
}
