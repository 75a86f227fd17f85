import { appendFileSync, existsSync, lstatSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createSessionCopy, type CopyInfo } from '../copy/create-copy.js';
import { SafetyError } from '../errors.js';
import type { Journal } from '../session/journal.js';
import { stateRoot } from '../session/paths.js';
import type { SessionState } from '../session/session-state.js';
import type { SessionOptions } from './session-options.js';
import { vetRange } from '../copy/refusals.js';
import type { WorkCopies } from './work-copies.js';

/**
 * The session's copy of the target: made before any agent starts (or, on resume, the one the
 * session already has), recorded in session.json and journaled with what it cost.
 */
export function setUpCopy(opts: SessionOptions, id: string, state: SessionState, journal: Journal): CopyInfo {
  if (state.copy) {
    if (!existsSync(state.copy.workDir))
      throw new SafetyError(`the session copy ${state.copy.workDir} is gone (discarded?)`, 'start a new session');
    return state.copy;
  }
  excludeWorkspace(opts.target, opts.workspace);
  try {
    const { info, report } = createSessionCopy({
      target: opts.target,
      workspace: opts.workspace,
      stateRoot: stateRoot(opts.env),
      sessionId: id,
      now: () => opts.clock.now(),
    });
    journal.append({
      type: 'copy.created',
      ...info,
      files: report.files,
      bytes: report.bytes,
      ms: report.ms,
      ...(report.skipped.length ? { skipped: report.skipped.slice(0, 50) } : {}),
    });
    return info;
  } catch (error) {
    throw new SafetyError(
      `could not make the session copy of ${opts.target}: ${(error as Error).message}`,
      'agents never work in the checkout itself; fix the cause above or set ORCHESTRATE_STATE_DIR',
    );
  }
}

/**
 * Keeps the session folder out of the person's `git status` without touching their files: a
 * `.gitignore` of `*` inside the workspace itself (as pytest does for its cache), which holds in
 * every layout (a worktree or submodule, whose git dir is elsewhere, too), and `/.orchestrate/`
 * in a plain checkout's `.git/info/exclude`. No git runs in the checkout for it.
 */
export function excludeWorkspace(target: string, workspace: string): void {
  const rel = path.relative(target, workspace);
  if (rel && !rel.startsWith('..') && !path.isAbsolute(rel)) {
    try {
      mkdirSync(workspace, { recursive: true });
      const ignore = path.join(workspace, '.gitignore');
      if (!existsSync(ignore)) writeFileSync(ignore, "# orchestrate's sessions: not part of the project\n*\n");
    } catch {
      // an unwritable workspace is reported by the session's own checks, with its fix
    }
  }
  const dotGit = path.join(target, '.git');
  try {
    if (!lstatSync(dotGit).isDirectory()) return; // a worktree or submodule: its git dir is elsewhere
  } catch {
    return;
  }
  const exclude = path.join(dotGit, 'info', 'exclude');
  if (!existsSync(path.dirname(exclude))) return;
  const text = existsSync(exclude) ? readFileSync(exclude, 'utf8') : '';
  if (text.split('\n').some((l) => l.trim() === '.orchestrate/' || l.trim() === '/.orchestrate/')) return;
  appendFileSync(exclude, `${text && !text.endsWith('\n') ? '\n' : ''}# orchestrate's session folder\n/.orchestrate/\n`);
}

/** Summary notes: where the changes are, how to apply them, and each change an apply will not make. */
export function copyNotes(copies: WorkCopies, id: string, target: string, workspace: string): string[] {
  const rel = path.relative(target, workspace);
  const workspaceRel = rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : undefined;
  const notes: string[] = [];
  const tip = copies.tip();
  if (tip !== copies.info.baseline) {
    notes.push(
      `The changes are in the session copy ${copies.info.workDir}, not in the checkout: see them with orchestrate diff ${id}, apply with orchestrate apply ${id}, drop with orchestrate discard ${id}.`,
    );
    const range = {
      from: copies.info.baseline,
      to: tip,
      baseline: copies.info.baseline,
      ...(copies.info.head ? { head: copies.info.head } : {}),
    };
    for (const { refusal } of vetRange(copies.repo, range, workspaceRel))
      if (refusal) notes.push(`Will not be applied: ${refusal.path}: ${refusal.why}.`);
  }
  for (const [p, why] of copies.notCarried) notes.push(`Not carried from the copy: ${p}: ${why}.`);
  return notes;
}
