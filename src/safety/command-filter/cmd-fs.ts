import type { Scope } from './scope.js';
import type { OptionScan } from './options.js';
import { scanOptions } from './options.js';
import { PERMS_OPTIONS } from './command-options.js';
import type { SimpleCommand } from './simple-command.js';
import { isLongOpt, report, staticText } from './simple-command.js';
import type { WordValue } from './words.js';
import { literalWord, unknownWord, wordDisplay, wordText } from './words.js';
import {
  deleteClass,
  isBlockDevice,
  isCredentialFile,
  isCriticalFile,
  isProtected,
  normalizeAbs,
  resolvePath,
  writeClass,
} from './paths.js';
import type { DeleteClass, WriteClass } from './paths.js';
import type { RuleId } from '../policy/rules.js';

/** Resolves each entry of `list` (unknown ones dropped); `unknown` if any was, or `w` is. */
function resolveEach(w: WordValue, list: readonly string[], scope: Scope): { abs: string[]; unknown: boolean } {
  const abs: string[] = [];
  let unknown = w.dynamic || w.values.length === 0;
  for (const p of list) {
    if (p === '') continue;
    const r = resolvePath(p, scope);
    if (r === null) unknown = true;
    else abs.push(r);
  }
  return { abs, unknown };
}

/** Resolved absolute patterns of a word (unknown alternatives dropped); `unknown` if any. */
export function resolvePatterns(w: WordValue, scope: Scope): { abs: string[]; unknown: boolean } {
  return resolveEach(w, w.patterns, scope);
}

/** Same for plain values (no glob semantics). */
export function resolveValues(w: WordValue, scope: Scope): { abs: string[]; unknown: boolean } {
  return resolveEach(w, w.values, scope);
}

/** A resolved pattern as a plain path: backslash escapes removed, normalized. */
function plainPath(pattern: string): string {
  return normalizeAbs(pattern.replace(/\\(.)/g, '$1'));
}

/**
 * Classifies recursive-delete targets (rm -r, find -delete root, rsync --delete dest, …).
 * Block when one target is outside or wipes the workspace; confirm when one is unknown.
 */
export function checkRecursiveDelete(cmd: SimpleCommand, targets: readonly WordValue[], what = 'recursive delete'): void {
  const { scope, env } = cmd;
  let unresolved: string | undefined;
  for (const t of targets) {
    if (t.stdin) {
      report(env, 'block.recursive-delete-unknown-targets', `${what} of paths read from stdin`, cmd.argv);
      return;
    }
    const { abs, unknown } = resolvePatterns(t, scope);
    for (const a of abs) {
      const cls = deleteClass(a, env.ctx, scope);
      if (cls === 'outside') {
        report(env, 'block.recursive-delete-outside', `${what} of ${a}`, cmd.argv);
        return;
      }
      if (cls === 'wipe') {
        report(env, 'block.workspace-wipe', `${what} of ${a}`, cmd.argv);
        return;
      }
    }
    if (unknown) unresolved ??= wordDisplay(t);
  }
  if (unresolved !== undefined) {
    report(env, 'confirm.unresolved-delete-target', `${what} of ${unresolved}`, cmd.argv);
  }
}

/** Non-recursive delete (rm, unlink, shred -u): critical → block, outside → confirm. */
export function checkFileDelete(cmd: SimpleCommand, targets: readonly WordValue[]): void {
  const { env } = cmd;
  for (const { plain, cls } of pathsOf(cmd, targets)) {
    if (cls === 'inside' || cls === 'temp' || cls === 'wipe') continue;
    report(env, isCriticalFile(plain) ? 'block.critical-file' : 'confirm.write-outside', `deletes ${plain}`, cmd.argv);
    return;
  }
}

/** The static paths words name (unknown alternatives dropped), each with its class as a delete target. */
function pathsOf(cmd: SimpleCommand, words: readonly WordValue[]): { plain: string; cls: DeleteClass }[] {
  const { scope, env } = cmd;
  return words.flatMap((w) => resolvePatterns(w, scope).abs.map((a) => ({ plain: plainPath(a), cls: deleteClass(a, env.ctx, scope) })));
}

/** The rule a write into each class of path hits (`harmless`, `inside`: none). */
const WRITE_RULES: Readonly<Partial<Record<WriteClass, RuleId>>> = {
  device: 'block.disk-destruction',
  critical: 'block.critical-file',
  outside: 'confirm.write-outside',
};

/** What a write into a path means. `createOnly` (touch, mkdir) never blocks. */
export function checkWrite(cmd: SimpleCommand, target: WordValue, how: string, createOnly = false): void {
  const { scope, env } = cmd;
  const { abs } = resolveValues(target, scope);
  for (const a of abs) {
    const cls = writeClass(a, env.ctx, scope);
    const rule = WRITE_RULES[cls];
    if (rule !== undefined) {
      report(env, createOnly ? 'confirm.write-outside' : rule, `${how} ${a}`, cmd.argv);
      return;
    }
  }
}

/** rm: `-r`/`-R`/`--recursive` (and abbreviations) decide between the two rule sets. */
export function classifyRm(cmd: SimpleCommand, _scope: Scope, scan: OptionScan): void {
  if (scan.flags.includes('--help') || scan.flags.includes('--version')) return;
  const recursive = scan.has('-r', '-R') || scan.flags.some((f) => isLongOpt(f, 'recursive', 1));
  const targets = [...scan.operands];
  // an unquoted unknown word before `--` may expand to options (`-r`)
  const dashDash = cmd.args.findIndex((a) => staticText(a) === '--');
  const dynamicOpts = targets.some((a) => a.dynamic && a.splittable && (dashDash === -1 || cmd.args.indexOf(a) < dashDash));
  if (recursive && (cmd.mode.stdinOperands || cmd.mode.xargs)) {
    report(cmd.env, 'block.recursive-delete-unknown-targets', 'rm -r of paths read from stdin', cmd.argv);
    return;
  }
  if (recursive) {
    checkRecursiveDelete(cmd, targets, 'rm -r');
    return;
  }
  if (dynamicOpts) {
    // an unquoted unknown word may expand to -r: judge the static targets as if recursive
    const probe: SimpleCommand = { ...cmd, env: { ...cmd.env, findings: [] } };
    checkRecursiveDelete(
      probe,
      targets.filter((t) => !t.dynamic),
    );
    if (probe.env.findings.some((f) => f.rule.startsWith('block.'))) {
      report(cmd.env, 'confirm.unresolved-delete-target', 'rm options are dynamic and a target is outside', cmd.argv);
      return;
    }
  }
  checkFileDelete(cmd, targets);
}

/** unlink FILE */
export function classifyUnlink(cmd: SimpleCommand): void {
  checkFileDelete(
    cmd,
    cmd.args.filter((a) => !(staticText(a) ?? '').startsWith('-')),
  );
}

/** shred: a device is disk destruction; a file is a delete/overwrite. */
export function classifyShred(cmd: SimpleCommand, _scope: Scope, scan: OptionScan): void {
  if (scan.flags.includes('--help') || scan.flags.includes('--version')) return;
  const files = scan.operands;
  for (const f of files) {
    const { abs } = resolveValues(f, cmd.scope);
    if (abs.some((p) => isBlockDevice(p))) {
      report(cmd.env, 'block.disk-destruction', `shred of a device`, cmd.argv);
      return;
    }
  }
  checkFileDelete(cmd, files);
}

/** Stands for "any path find yields under a root" (`find -exec chmod … {}` is as recursive as `-R`). */
export const FOUND = '__FOUND__';

function modeWeakens(mode: string): boolean {
  if (/^[0-7]{3,4}$/.test(mode)) {
    const digits = mode.slice(-3);
    const g = Number(digits[1]);
    const o = Number(digits[2]);
    return (g & 6) !== 0 || (o & 6) !== 0;
  }
  for (const clause of mode.split(',')) {
    const m = /^([ugoa]*)([+=-])([rwxXst]*)$/.exec(clause);
    if (!m || m[2] === '-') continue;
    const who = m[1] === '' ? 'a' : (m[1] ?? 'a');
    if (/[goa]/.test(who) && /[rw]/.test(m[3] ?? '')) return true;
  }
  return false;
}

/** chmod/chown/chgrp: recursive on protected paths, or weakening credentials, blocks. */
export function classifyPerms(cmd: SimpleCommand): void {
  const { name, args, scope, env } = cmd;
  const scan = scanOptions(args, PERMS_OPTIONS);
  if (scan.flags.includes('--help') || scan.flags.includes('--version')) return;
  // `chmod -w f`, `chmod -rwx f`: a mode that looks like options (without -R) is the mode operand
  const modeFlag = name === 'chmod' ? scan.flags.find((f) => /^-[rwxXstugo]+$/.test(f) && !f.includes('R')) : undefined;
  const recursive =
    scan.flags.some((f) => f !== modeFlag && /^-[A-Za-z]+$/.test(f) && f.includes('R')) ||
    scan.flags.some((f) => isLongOpt(f, 'recursive', 3));
  const reference = scan.flags.includes('--reference');
  const operands = [...scan.operands];
  const spec = reference ? undefined : modeFlag !== undefined ? literalWord(modeFlag) : operands.shift();
  const modeText = spec === undefined ? '' : (staticText(spec) ?? '');
  let outside: string | undefined;
  for (const target of operands) {
    const { abs } = resolvePatterns(target, scope);
    for (const p0 of abs) {
      const found = p0.endsWith(`/${FOUND}`);
      const p = found ? p0.slice(0, -FOUND.length - 1) || '/' : p0;
      const segs = p.split('/');
      const globIdx = segs.findIndex((s) => /(^|[^\\])[*?[]/.test(s));
      const base = normalizeAbs(globIdx === -1 ? p.replace(/\\(.)/g, '$1') : segs.slice(0, globIdx).join('/') || '/');
      const children = globIdx !== -1 || found;
      const weakens = name !== 'chmod' || modeWeakens(modeText);
      if ((recursive || children) && isProtected(base, env.ctx, scope)) {
        report(env, 'block.permissions-system', `${name}${recursive ? ' -R' : ''} on ${p}`, cmd.argv);
        return;
      }
      if (isCredentialFile(base, env.ctx) && weakens) {
        report(env, 'block.permissions-system', `${name} ${modeText} on credential file ${base}`, cmd.argv);
        return;
      }
      if (isCriticalFile(base)) {
        report(env, 'block.permissions-system', `${name} on system file ${base}`, cmd.argv);
        return;
      }
      const cls = writeClass(base, env.ctx, scope);
      if (cls === 'outside' || cls === 'critical' || cls === 'device') outside ??= base;
    }
  }
  if (outside !== undefined) report(env, 'confirm.write-outside', `${name} on ${outside}`, cmd.argv);
}

/** cp/mv/ln/install/rsync operands: sources, and the destination (`-t DIR`, else the last operand). */
function sourcesAndDest(scan: OptionScan): { sources: WordValue[]; dest?: WordValue } {
  const operands = [...scan.operands];
  const dest = scan.wordOf('-t', '--target-directory') ?? (operands.length >= 2 ? operands.pop() : undefined);
  return dest === undefined ? { sources: operands } : { sources: operands, dest };
}

/** cp/ln/install: the destination is a write. */
export function classifyCopy(cmd: SimpleCommand, _scope: Scope, scan: OptionScan): void {
  const { dest } = sourcesAndDest(scan);
  if (dest !== undefined) checkWrite(cmd, dest, `${cmd.name} into`);
}

/** mv: the destination is a write, and moving a protected source away is a delete. */
export function classifyMove(cmd: SimpleCommand, _scope: Scope, scan: OptionScan): void {
  const { sources, dest } = sourcesAndDest(scan);
  const { scope, env } = cmd;
  for (const { plain, cls } of pathsOf(cmd, sources)) {
    if (cls === 'wipe') {
      report(env, 'block.workspace-wipe', `moves ${plain} away`, cmd.argv);
      return;
    }
    if (cls !== 'outside') continue;
    if (isCriticalFile(plain)) {
      report(env, 'block.critical-file', `moves ${plain} away`, cmd.argv);
      return;
    }
    if (isProtected(plain, env.ctx, scope)) {
      report(env, 'block.recursive-delete-outside', `moves ${plain} away`, cmd.argv);
      return;
    }
    report(env, 'confirm.write-outside', `moves ${plain}`, cmd.argv);
    return;
  }
  if (dest !== undefined) checkWrite(cmd, dest, 'mv into');
}

/** rsync: --delete* makes the destination a recursive-delete target. */
export function classifyRsync(cmd: SimpleCommand, _scope: Scope, scan: OptionScan): void {
  const texts = cmd.args.map((a) => staticText(a) ?? '');
  const deletes = texts.some((t) => t.startsWith('--delete') || t === '--del');
  const removesSources = texts.includes('--remove-source-files');
  const { sources, dest } = sourcesAndDest(scan);
  if (dest === undefined) return;
  const destText = staticText(dest) ?? '';
  const remote = /^[^/]*:/.test(destText) || destText.startsWith('rsync://');
  if (deletes) {
    if (remote) report(cmd.env, 'confirm.infra-destruction', `rsync --delete on remote ${destText}`, cmd.argv);
    else checkRecursiveDelete(cmd, [dest], 'rsync --delete');
  } else if (!remote) checkWrite(cmd, dest, 'rsync into');
  if (removesSources)
    checkFileDelete(
      cmd,
      sources.filter((s) => !/^[^/]*:/.test(staticText(s) ?? '')),
    );
}

/** tee FILE…: every file operand is a write. */
export function classifyTee(cmd: SimpleCommand): void {
  for (const a of cmd.args) {
    const t = staticText(a);
    if (t !== undefined && t.startsWith('-') && t !== '-') continue;
    checkWrite(cmd, a, 'tee writes');
  }
}

/** dd of=… */
export function classifyDd(cmd: SimpleCommand): void {
  for (const a of cmd.args) {
    const t = staticText(a) ?? wordText(a);
    if (!t.startsWith('of=')) continue;
    const target = literalWord(t.slice(3));
    checkWrite(cmd, a.dynamic ? unknownWord() : target, 'dd writes');
  }
}

/** truncate/touch/mkdir: operands are writes. */
export function classifyFileOperands(cmd: SimpleCommand, how: string, createOnly: boolean, scan: OptionScan): void {
  for (const a of scan.operands) checkWrite(cmd, a, how, createOnly);
}

/** sed: only `-i`/`--in-place` writes files; the script is data. */
export function classifySed(cmd: SimpleCommand, scan: OptionScan): void {
  // `-i`, `-i.bak`, `-ni`, `--in-place[=SUFFIX]`
  const inPlace = scan.flags.some((f) => f === '--in-place' || /^-[a-zA-Z]*i/.test(f)) || scan.items.some((it) => it.name === '-i');
  if (!inPlace) return;
  // the operands after the script (the first operand when no -e/-f gave one) are the files edited
  const scripted = scan.has('-e', '--expression', '-f', '--file');
  for (const f of scan.operands.slice(scripted ? 0 : 1)) checkWrite(cmd, f, 'sed -i edits');
}

/** Output redirection target (`>`, `>>`, `&>`, `>|`, `<>`). */
export function classifyRedirectTarget(cmd: SimpleCommand, target: WordValue, op: string): void {
  const t = staticText(target);
  if (t !== undefined && /^\d+$|^-$/.test(t) && (op === '>&' || op === '<&')) return;
  checkWrite(cmd, target, `redirect ${op}`);
}
