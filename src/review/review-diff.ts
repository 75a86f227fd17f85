import { closeSync, constants, lstatSync, openSync, readlinkSync, readSync, realpathSync } from 'node:fs';
import path from 'node:path';
import type { FileChanges } from '../session/file-snapshot.js';
import { runGit, type GitRunner } from './run-git.js';

/** How a file changed. */
export type ChangeKind = 'added' | 'modified' | 'deleted';

/** What the reviewer is shown: bounded, and every cut is named. */
export interface ReviewDiff {
  /** The diff and file contents, as they go into the prompt. */
  text: string;
  /** Every changed file, modified and added first (the code to review), deleted last. */
  files: Array<{ path: string; change: ChangeKind }>;
  stats: { added: number; modified: number; deleted: number; bytesShown: number; bytesCut: number };
  /** One line per file not shown in full, with why. */
  cut: string[];
}

/** Input of `buildReviewDiff`. */
export interface ReviewDiffInput {
  /** The project directory; every path is relative to it. */
  target: string;
  changes: FileChanges;
  isGitRepo: boolean;
  /** The commit to diff against (default HEAD). */
  base?: string;
  /** Bound on the whole text's file sections. */
  maxBytes?: number;
  /** Bound on one file's section. */
  perFileBytes?: number;
  git?: GitRunner; // injected for tests
}

/** A section under this many bytes of budget is not worth starting: the file is named as cut instead. */
const MIN_SECTION = 200;
/** Paths passed to one `git diff` (argv size); files beyond are shown as contents. */
const MAX_GIT_PATHS = 500;

/**
 * Builds what a reviewer sees of a run's changes. In a git repo: `git diff HEAD` of the changed
 * tracked files, plus the contents of the other added and modified files (untracked, or
 * committed by the agent so git shows no diff). Elsewhere: the current contents of added and
 * modified files. Deleted files are named. Files are read without following symlinks; binaries
 * and paths outside the target are named, not shown.
 */
export function buildReviewDiff(input: ReviewDiffInput): ReviewDiff {
  const { target, changes, isGitRepo, maxBytes = 48_000, perFileBytes = 8_000, git = runGit, base = 'HEAD' } = input;
  const files = [
    ...changes.modified.map((p) => ({ path: p, change: 'modified' as const })),
    ...changes.added.map((p) => ({ path: p, change: 'added' as const })),
    ...changes.deleted.map((p) => ({ path: p, change: 'deleted' as const })),
  ];
  const inGit = files.slice(0, MAX_GIT_PATHS).map((f) => f.path);
  const diffs = isGitRepo ? gitDiffs(target, inGit, git, base) : new Map<string, string>();
  const tracked = isGitRepo && diffs.size < inGit.length ? trackedFiles(target, inGit, git, base) : new Set<string>();
  const cut: string[] = [];
  const sections: string[] = [];
  let bytesShown = 0;
  let bytesCut = 0;

  for (const file of files) {
    const diff = diffs.get(file.path);
    const body: Body =
      diff !== undefined
        ? { kind: 'text', text: diff, label: 'git diff' }
        : file.change === 'deleted'
          ? { kind: 'none', note: 'deleted', cut: false }
          : tracked.has(file.path)
            ? { kind: 'none', note: 'no difference to HEAD: only touched, or already committed', cut: false }
            : readSafely(target, file.path, perFileBytes);
    const heading = `=== ${file.change}: ${file.path}`;
    if (body.kind === 'none') {
      sections.push(`${heading} (${body.note})`);
      if (body.cut) cut.push(`${file.path}: ${body.note}`);
      continue;
    }
    const size = body.size ?? Buffer.byteLength(body.text);
    const remaining = maxBytes - bytesShown;
    const budget = Math.min(perFileBytes, remaining);
    if (remaining < Math.min(MIN_SECTION, size)) {
      sections.push(`${heading} (not shown: the review's ${maxBytes}-byte limit is reached)`);
      cut.push(`${file.path}: not shown (${size} bytes; review size limit reached)`);
      bytesCut += size;
      continue;
    }
    const shown = clip(body.text, budget);
    const shownBytes = Buffer.byteLength(shown);
    bytesShown += shownBytes;
    if (shownBytes < size) {
      bytesCut += size - shownBytes;
      const why = perFileBytes <= remaining ? `per-file limit ${perFileBytes} bytes` : `review size limit ${maxBytes} bytes`;
      cut.push(`${file.path}: ${shownBytes} of ${size} bytes shown (${why})`);
      sections.push(`${heading} (${body.label})\n${shown}\n[… ${size - shownBytes} more bytes of ${file.path} not shown: ${why}]`);
    } else {
      sections.push(`${heading} (${body.label})\n${shown.replace(/\n$/, '')}`);
    }
  }

  const text = [...sections, ...(cut.length ? ['', `Not shown in full (${cut.length}):`, ...cut.map((c) => `  - ${c}`)] : [])].join('\n');
  return {
    text: files.length ? text : '(no file changed)',
    files,
    stats: { added: changes.added.length, modified: changes.modified.length, deleted: changes.deleted.length, bytesShown, bytesCut },
    cut,
  };
}

/** A file's section: text to show (`size`: the whole file's bytes when only its head was read), or a note. */
type Body = { kind: 'text'; text: string; label: string; size?: number } | { kind: 'none'; note: string; cut: boolean };

/** `git diff HEAD` of the given paths, split per file. Empty when git fails (e.g. no commit yet). */
function gitDiffs(target: string, paths: string[], git: GitRunner, base: string): Map<string, string> {
  const out = new Map<string, string>();
  if (paths.length === 0) return out;
  const r = git(['diff', '--no-color', '--no-ext-diff', '--no-textconv', '--no-renames', '--relative', base, '--', ...paths], target);
  if (!r.ok) return out;
  const wanted = new Set(paths);
  for (const chunk of r.stdout.split(/^(?=diff --git )/m)) {
    const file = chunkPath(chunk.split('\n', 1)[0] ?? '');
    if (file !== undefined && wanted.has(file)) out.set(file, chunk);
  }
  return out;
}

/** Which of `paths` git tracks (a tracked file without a diff has no change to show). */
function trackedFiles(target: string, paths: string[], git: GitRunner, base: string): Set<string> {
  const r = git(['ls-tree', '-r', '-z', '--name-only', base, '--', ...paths], target);
  return new Set(r.ok ? r.stdout.split('\0').filter(Boolean) : []);
}

/** The path of a `diff --git a/P b/P` header (no renames, so both sides are the same path). */
function chunkPath(header: string): string | undefined {
  const rest = header.slice('diff --git '.length);
  if (!header.startsWith('diff --git ') || rest.startsWith('"')) return undefined;
  const length = (rest.length - 5) / 2;
  if (!Number.isInteger(length) || length < 1) return undefined;
  const a = rest.slice(2, 2 + length);
  return rest === `a/${a} b/${a}` ? a : undefined;
}

/** A changed file's current content, read without following a symlink or leaving the target. */
function readSafely(target: string, rel: string, readLimit: number): Body {
  const root = path.resolve(target);
  const full = path.resolve(root, rel);
  const inside = (p: string, base: string): boolean => {
    const r = path.relative(base, p);
    return r !== '' && !r.startsWith('..') && !path.isAbsolute(r);
  };
  if (!inside(full, root)) return { kind: 'none', note: 'outside the project, not read', cut: true };
  try {
    // a symlinked parent directory could point anywhere: compare real paths
    if (!inside(path.join(realpathSync(path.dirname(full)), path.basename(full)), realpathSync(root))) {
      return { kind: 'none', note: 'outside the project (through a symlink), not read', cut: true };
    }
    const st = lstatSync(full);
    if (st.isSymbolicLink()) return { kind: 'text', text: `symlink → ${readlinkSync(full)}\n`, label: 'symlink, not followed' };
    if (!st.isFile()) return { kind: 'none', note: 'not a regular file, not read', cut: true };
    // never more than can be shown: the cut is reported with the file's real size
    const buf = readHead(full, Math.max(readLimit, 8000));
    if (buf.subarray(0, 8000).includes(0)) return { kind: 'none', note: `binary (${st.size} bytes), not shown`, cut: true };
    return { kind: 'text', text: buf.toString('utf8'), size: Math.max(st.size, buf.length), label: 'current content' };
  } catch (error) {
    return { kind: 'none', note: `unreadable (${(error as NodeJS.ErrnoException).code ?? 'error'})`, cut: true };
  }
}

/** Reads at most `max` bytes; O_NOFOLLOW so a symlink swapped in after the check is not followed. */
function readHead(file: string, max: number): Buffer {
  const fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW);
  try {
    const buf = Buffer.alloc(max);
    const n = readSync(fd, buf, 0, max, 0);
    return buf.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

/** The first `limit` bytes of `text`, ending at a line break when one is near, never mid-character. */
function clip(text: string, limit: number): string {
  const buf = Buffer.from(text);
  if (buf.length <= limit) return text;
  let head = buf.subarray(0, limit).toString('utf8');
  if (head.endsWith('\uFFFD')) head = head.slice(0, -1);
  const newline = head.lastIndexOf('\n');
  return newline > limit / 2 ? head.slice(0, newline + 1) : head;
}
