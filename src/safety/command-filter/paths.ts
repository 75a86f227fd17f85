import { isWithin } from '../../paths.js';
import type { FilterContext } from './types.js';
import type { Scope } from './scope.js';
import { DYN } from './words.js';

/**
 * Lexical path handling: no file system access, `..` is resolved against the text, as the
 * policy asks ("`..` is resolved lexically against the workspace").
 */

/** Normalises an absolute path lexically (`/a/./b/../c/` → `/a/c`). */
export function normalizeAbs(path: string): string {
  const out: string[] = [];
  for (const seg of path.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') out.pop();
    else out.push(seg);
  }
  return '/' + out.join('/');
}

/** Resolves a path against the scope's cwd; null when it depends on something unknown. */
export function resolvePath(p: string, scope: Scope): string | null {
  if (p.includes(DYN)) return null;
  if (p.startsWith('/')) return normalizeAbs(p);
  if (scope.cwd === null) return null;
  return normalizeAbs(`${scope.cwd}/${p}`);
}

/** `child` is strictly below `parent`. */
export function isStrictlyWithin(child: string, parent: string): boolean {
  return child !== parent && isWithin(child, parent);
}

const SYSTEM_DIRS = [
  '/bin',
  '/boot',
  '/dev',
  '/etc',
  '/home',
  '/lib',
  '/lib32',
  '/lib64',
  '/libx32',
  '/opt',
  '/proc',
  '/root',
  '/sbin',
  '/srv',
  '/sys',
  '/usr',
  '/var',
  '/snap',
  '/mnt',
  '/media',
  '/run',
  '/Users',
  '/System',
  '/Library',
  '/Applications',
  '/private',
];

const CRITICAL_PREFIXES = [
  '/etc',
  '/boot',
  '/bin',
  '/sbin',
  '/lib',
  '/lib32',
  '/lib64',
  '/libx32',
  '/usr/bin',
  '/usr/sbin',
  '/usr/lib',
  '/usr/lib32',
  '/usr/lib64',
  '/usr/libexec',
  '/proc/sys',
  '/proc/sysrq-trigger',
  '/sys',
  '/private/etc',
];

const HARMLESS_DEVICES =
  /^\/dev\/(?:null|zero|full|random|urandom|stdin|stdout|stderr|tty\d*|pts\/\d+|fd\/\d+|ptmx|shm(?:\/.*)?|mqueue(?:\/.*)?)$/;
const BLOCK_DEVICE =
  /^\/dev\/(?:[shv]d[a-z]+\d*|xvd[a-z]+\d*|nvme\d+(?:n\d+(?:p\d+)?)?|mmcblk\d+(?:p\d+|boot\d+|rpmb)?|md\d+|md\/.+|dm-\d+|loop\d+|nbd\d+|rbd\d+|zd\d+|bcache\d+|sr\d+|root|disk\d*(?:s\d+)?|rdisk\d+(?:s\d+)?|disk\/.+|mapper\/.+|mem|kmem|port|[a-z]+vg\/.+)$/;

/** A block device or raw memory (writing to it destroys data). */
export function isBlockDevice(abs: string): boolean {
  return BLOCK_DEVICE.test(abs);
}

/** `/dev/null`, a tty, a pipe fd: writing there is harmless. */
export function isHarmlessDevice(abs: string): boolean {
  return HARMLESS_DEVICES.test(abs);
}

/** A file whose deletion or overwrite breaks the system (`/etc/*`, `/boot/*`, binaries). */
export function isCriticalFile(abs: string): boolean {
  return CRITICAL_PREFIXES.some((p) => isWithin(abs, p));
}

/** The workspace roots in force, normalised. */
export function roots(scope: Scope): readonly string[] {
  return scope.workspaceRoots;
}

/** Inside (or equal to) a workspace root. */
export function inWorkspace(abs: string, scope: Scope): boolean {
  return scope.workspaceRoots.some((r) => isWithin(abs, r));
}

/** Equal to a workspace root. */
export function isWorkspaceRoot(abs: string, scope: Scope): boolean {
  return scope.workspaceRoots.includes(abs);
}

/** Inside a temp dir (or the temp dir itself). */
export function inTemp(abs: string, ctx: FilterContext): boolean {
  return ctx.tmpDirs.some((t) => isWithin(abs, t));
}

/** Home of the session user or of another user (`/home/x`, `/root`). */
export function isAnyHome(abs: string, ctx: FilterContext): boolean {
  return abs === ctx.home || abs === '/root' || /^\/home\/[^/]+$/.test(abs) || /^\/Users\/[^/]+$/.test(abs);
}

/**
 * Protected for recursive chmod/chown: `/`, a system dir or anything under one (except temp
 * and the workspace), a home itself, or an ancestor of a workspace root.
 */
export function isProtected(abs: string, ctx: FilterContext, scope: Scope): boolean {
  if (abs === '/') return true;
  if (inWorkspace(abs, scope) || inTemp(abs, ctx)) return false;
  if (isAnyHome(abs, ctx)) return true;
  if (scope.workspaceRoots.some((r) => isStrictlyWithin(r, abs))) return true;
  if (isWithin(abs, ctx.home)) return false;
  if (/^\/home\/[^/]+\//.test(abs)) return false;
  return SYSTEM_DIRS.some((d) => isWithin(abs, d));
}

/** Credential files whose permissions must not be weakened. */
export function isCredentialFile(abs: string, ctx: FilterContext): boolean {
  if (/^\/etc\/(?:shadow|gshadow|sudoers(?:\.d(?:\/.*)?)?|passwd|group|master\.passwd|ssh\/.*_key)$/.test(abs)) return true;
  const homes = [ctx.home, '/root'];
  for (const h of homes) {
    if (!isWithin(abs, h)) continue;
    const rel = abs.slice(h.length);
    if (/^\/(?:\.ssh|\.gnupg)(?:\/|$)/.test(rel)) return true;
    if (
      /^\/(?:\.aws\/credentials|\.netrc|\.pgpass|\.docker\/config\.json|\.kube\/config|\.npmrc|\.pypirc|\.git-credentials|\.config\/gh\/hosts\.yml)$/.test(
        rel,
      )
    )
      return true;
  }
  return false;
}

/** Where a delete target lands, for `rm -r` and friends. */
export type DeleteClass = 'inside' | 'temp' | 'wipe' | 'outside';

const GLOB_SEG = /(^|[^\\])[*?[]/;

function unescape(seg: string): string {
  return seg.replace(/\\(.)/g, '$1');
}

/** Minimal glob match of one path segment (`*`, `?`, `[…]`), for `.git`/`.` checks. */
export function globMatchSegment(pattern: string, name: string): boolean {
  let re = '^';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] ?? '';
    if (c === '\\') {
      re += (pattern[i + 1] ?? '').replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
      i++;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end === -1) re += '\\[';
      else {
        let cls = pattern.slice(i + 1, end);
        if (cls.startsWith('!')) cls = '^' + cls.slice(1);
        re += `[${cls.replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else re += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  try {
    return new RegExp(re + '$').test(name);
  } catch {
    return true;
  }
}

/**
 * Classifies a resolved absolute pattern as a delete target. Globs are judged by the deepest
 * directory without glob characters: `/*` is outside, `./*` and `.*` wipe the workspace,
 * `build/*` and `*.log` stay inside.
 */
export function deleteClass(absPattern: string, ctx: FilterContext, scope: Scope): DeleteClass {
  const segs = absPattern.split('/').filter((s) => s !== '');
  const firstGlob = segs.findIndex((s) => GLOB_SEG.test(s));
  if (firstGlob === -1) {
    const abs = normalizeAbs(unescape(absPattern));
    for (const r of scope.workspaceRoots) {
      if (abs === r || abs === `${r}/.git`) return 'wipe';
    }
    if (inWorkspace(abs, scope)) return 'inside';
    if (containsHomeOrWorkspace(abs, ctx, scope)) return 'outside';
    if (inTemp(abs, ctx)) return 'temp';
    return 'outside';
  }
  const base = normalizeAbs('/' + segs.slice(0, firstGlob).map(unescape).join('/'));
  const globSeg = segs[firstGlob] ?? '*';
  const last = firstGlob === segs.length - 1;
  for (const r of scope.workspaceRoots) {
    if (base === r || base === `${r}/.git`) {
      const wildOnly = !/[A-Za-z0-9_-]/.test(globSeg.replace(/\\./g, 'x'));
      if (last && (wildOnly || globMatchSegment(globSeg, '.git'))) return 'wipe';
      if (base === `${r}/.git` && last) return 'wipe';
      return 'inside';
    }
  }
  if (inWorkspace(base, scope)) return 'inside';
  if (containsHomeOrWorkspace(base, ctx, scope)) return 'outside';
  if (inTemp(base, ctx)) return 'temp';
  return 'outside';
}

/**
 * A home (or anything in it), or a directory holding the home or a workspace root, is never "just a temp dir", even
 * when it lies under /tmp (a scratch HOME in CI, a workspace in a temp checkout): deleting it
 * deletes what the policy protects.
 */
function containsHomeOrWorkspace(abs: string, ctx: FilterContext, scope: Scope): boolean {
  if (isWithin(ctx.home, abs) || isWithin(abs, ctx.home)) return true;
  return scope.workspaceRoots.some((r) => isStrictlyWithin(r, abs));
}

/** Where a write lands (redirect, tee, cp destination, …). */
export type WriteClass = 'harmless' | 'inside' | 'device' | 'critical' | 'outside';

/** Classifies a resolved absolute path as a write target. */
export function writeClass(abs: string, ctx: FilterContext, scope: Scope): WriteClass {
  if (isHarmlessDevice(abs)) return 'harmless';
  if (isBlockDevice(abs)) return 'device';
  if (inWorkspace(abs, scope) || inTemp(abs, ctx)) return 'inside';
  if (abs.startsWith('/dev/')) return 'harmless';
  if (isCriticalFile(abs)) return 'critical';
  return 'outside';
}
