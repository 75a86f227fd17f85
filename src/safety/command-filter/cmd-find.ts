/**
 * find: `-delete`, `-exec`/`-execdir`/`-ok`/`-okdir` and `-fprint*` are judged against the
 * starting points. Its options are read by the one scanner (the row's FIND_OPTIONS), its expression term by
 * term from the primaries table (FIND_PRIMARIES in command-options.ts).
 */
import type { SimpleCommand } from './simple-command.js';
import { report, staticText } from './simple-command.js';
import type { WordValue } from './words.js';
import { DYN, literalWord, patternWord, unknownWord, wordDisplay, wordText } from './words.js';
import { deleteClass, globMatchSegment } from './paths.js';
import type { OptionScan } from './options.js';
import type { Scope } from './scope.js';
import { FIND_PRIMARIES } from './command-options.js';
import { FOUND, checkRecursiveDelete, checkWrite, resolvePatterns } from './cmd-fs.js';
import { runArgv } from './exec.js';

/** One term of find's expression: a primary with the words it takes, an operator, or any other word. */
interface FindTerm {
  readonly name: string;
  /** Index in the command's arguments. */
  readonly index: number;
  /** The words it takes (for `-exec`: the command, without its `;` or `+`). */
  readonly values: readonly WordValue[];
}

/** `-exec … ;` and `-exec … {} +` end there. */
function commandEnd(args: readonly WordValue[], from: number): number {
  const end = args.findIndex(
    (w, k) => k >= from && (staticText(w) === ';' || (staticText(w) === '+' && k > from && staticText(args[k - 1]) === '{}')),
  );
  return end === -1 ? args.length : end;
}

/** The expression from `from` on, term by term, each primary taking the words the table gives it. */
function findExpression(args: readonly WordValue[], from: number): FindTerm[] {
  const terms: FindTerm[] = [];
  let at = from;
  while (at < args.length) {
    const name = staticText(args[at]) ?? '';
    const arity = FIND_PRIMARIES.get(name)?.args ?? 0;
    const end = arity === 'command' ? commandEnd(args, at + 1) : Math.min(args.length, at + 1 + arity);
    terms.push({ name, index: at, values: args.slice(at + 1, end) });
    at = arity === 'command' ? end + 1 : end;
  }
  return terms;
}

const NAME_TESTS = new Set(['-name', '-iname', '-path', '-ipath', '-wholename', '-iwholename']);

/** find: -delete, -exec/-execdir/-ok/-okdir and -fprint* are judged against the roots. */
export function classifyFind(cmd: SimpleCommand, _scope: Scope, scan: OptionScan): void {
  const { args, scope, env } = cmd;
  const start = scan.end;
  // the starting points run up to the first word of the expression
  const exprAt = args.findIndex((a, k) => {
    if (k < start) return false;
    const t = staticText(a) ?? wordText(a);
    return t.startsWith('-') || t === '(' || t === '!' || t === ')' || t === ',';
  });
  const rootWords: WordValue[] = args.slice(start, exprAt === -1 ? args.length : exprAt);
  if (rootWords.length === 0) rootWords.push(literalWord('.'));
  // find evaluates left to right: only a filter before the action, in the same `-o` branch,
  // narrows what it acts on; `-name '*'` narrows nothing; `-name .git` aims at the history
  let filtered = false;
  let aimsAtGit = false;
  let depth = 0;
  let hasDelete = false;
  let deleteFiltered = false;
  let deletesGit = false;
  const execs: { argv: readonly WordValue[]; kind: string; filtered: boolean; git: boolean }[] = [];
  for (const term of exprAt === -1 ? [] : findExpression(args, exprAt)) {
    const t = term.name;
    const primary = FIND_PRIMARIES.get(t);
    if (t === '(') depth++;
    else if (t === ')') depth = Math.max(0, depth - 1);
    else if ((t === '-o' || t === '-or') && depth === 0) {
      filtered = false;
      aimsAtGit = false;
    }
    if (primary?.filter === true) {
      const value = primary.args === 1 ? staticText(term.values[0]) : undefined;
      const negated = ['!', '-not'].includes(staticText(args[term.index - 1]) ?? '');
      const nameTest = NAME_TESTS.has(t);
      if (!(nameTest && value === '*')) filtered = true;
      if (nameTest && !negated && value !== undefined && staticText(args[term.index + 2]) !== '-prune') {
        const base = value.replace(/^.*\//, '') || value;
        if (globMatchSegment(base, '.git') && !/^\*+$/.test(base)) aimsAtGit = true;
      }
    }
    if (t === '-delete') {
      hasDelete = true;
      deleteFiltered ||= filtered;
      deletesGit ||= aimsAtGit;
    } else if (primary?.args === 'command') execs.push({ argv: term.values, kind: t, filtered, git: aimsAtGit });
    else if (primary?.write === true) {
      const target = term.values[0];
      if (target !== undefined) checkWrite(cmd, target, `find ${t} writes`);
    }
  }
  const wipesGit = (what: string): boolean => {
    for (const r of rootWords) {
      const { abs } = resolvePatterns(r, scope);
      if (abs.some((p) => deleteClass(p, env.ctx, scope) === 'wipe')) {
        report(env, 'block.workspace-wipe', `${what} deletes the workspace's .git`, cmd.argv);
        return true;
      }
    }
    return false;
  };
  if (hasDelete && deletesGit && wipesGit('find -name .git -delete')) return;
  if (hasDelete) {
    for (const r of rootWords) {
      const { abs, unknown } = resolvePatterns(r, scope);
      for (const p of abs) {
        const cls = deleteClass(p, env.ctx, scope);
        if (cls === 'outside') {
          report(env, 'block.recursive-delete-outside', `find -delete under ${p}`, cmd.argv);
          return;
        }
        if (cls === 'wipe' && !deleteFiltered) {
          report(env, 'block.workspace-wipe', `find -delete of everything under ${p}`, cmd.argv);
          return;
        }
      }
      if (unknown) {
        report(env, 'confirm.unresolved-delete-target', `find -delete under ${wordDisplay(r)}`, cmd.argv);
      }
    }
  }
  if (execs.length === 0) return;
  // `{}` ranges over paths under the roots (and the roots themselves without filters)
  const foundFor = (withRoots: boolean): WordValue => {
    const values: string[] = [];
    let unknown = false;
    for (const r of rootWords) {
      const { abs, unknown: u } = resolvePatterns(r, scope);
      unknown ||= u;
      for (const p of abs) {
        values.push(`${p === '/' ? '' : p}/${FOUND}`);
        if (withRoots) values.push(p);
      }
    }
    return unknown ? unknownWord({ splittable: false }) : { ...patternWord(values[0] ?? DYN, values[0] ?? DYN), values, patterns: values };
  };
  for (const e of execs) {
    if (e.argv.length === 0) continue;
    const found = foundFor(!e.filtered);
    const inner = e.argv.map((w) => {
      const t = staticText(w);
      if (t === '{}') return found;
      if (t !== undefined && t.includes('{}')) {
        return {
          ...found,
          values: found.values.map((v) => t.replaceAll('{}', v)),
          patterns: found.patterns.map((v) => t.replaceAll('{}', v)),
        };
      }
      return w;
    });
    const innerName = (staticText(inner[0]) ?? '').split('/').pop() ?? '';
    if (innerName === 'rm' || innerName === 'unlink' || innerName === 'shred') {
      if (e.git && wipesGit(`find ${e.kind} ${innerName}`)) return;
      // deleting what find yields: judged like -delete against the roots
      checkRecursiveDelete({ ...cmd, argv: [...cmd.argv] }, [found], `find ${e.kind} ${innerName}`);
      continue;
    }
    if (innerName === 'chmod' || innerName === 'chown' || innerName === 'chgrp') {
      // applied to every path under the roots: as recursive as -R
      const head = inner[0];
      runArgv(cmd, head === undefined ? inner : [head, literalWord('-R'), ...inner.slice(1)], {
        mode: {},
      });
      continue;
    }
    runArgv(cmd, inner, { mode: {} });
  }
}
