import type { CommandPolicy, CompiledUserRule } from '../../config/command-policy.js';
import { compileUserRules, EMPTY_COMMAND_POLICY } from '../../config/command-policy.js';
import { DECISION_RANK, ruleSpec } from '../policy/rules.js';
import type { RuleId } from '../policy/rules.js';
import { ShellParseError } from './parse-shell.js';
import { fallbackFindings } from './fallback.js';
import { walkScript } from './walker.js';
import { EXECUTOR } from './run.js';
import { normalizeAbs } from './paths.js';
import { DYN } from './words.js';
import type { Env, Scope } from './scope.js';
import type { FilterContext, Finding, Verdict } from './types.js';

/** Longest command line analysed; longer input is `confirm.unparseable`. */
export const MAX_COMMAND_LENGTH = 256 * 1024;
/** Re-parses (`sh -c`, `eval`, heredoc scripts, …) allowed per command line. */
const PARSE_BUDGET = 64;

function normalizeContext(ctx: FilterContext): FilterContext {
  const norm = (p: string): string => normalizeAbs(p);
  return {
    cwd: norm(ctx.cwd),
    workspaceRoots: ctx.workspaceRoots.map(norm),
    home: norm(ctx.home),
    tmpDirs: ctx.tmpDirs.map(norm),
    ...(ctx.user === undefined ? {} : { user: ctx.user }),
  };
}

function oneLine(s: string, max = 240): string {
  // __DYN__ stands for an unknown expansion, __FOUND__ for a path find yields
  const shown = s.replaceAll(DYN, '…').replaceAll('__FOUND__', '{}');
  const flat = shown
    .replace(/\s*\n\s*/g, ' ⏎ ')
    .replace(/\s+/g, ' ')
    .trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function verdict(rule: RuleId, detail: string | undefined, command: string | undefined, suffix = ''): Verdict {
  const spec = ruleSpec(rule);
  const reason = oneLine(`${spec.reason}${detail === undefined ? '' : `: ${detail}`}${suffix}`);
  return {
    decision: spec.decision,
    rule,
    reason,
    ...(command === undefined ? {} : { command: oneLine(command, 400) }),
  };
}

function allowRuleFor(f: Finding, rules: readonly CompiledUserRule[]): CompiledUserRule | undefined {
  for (const r of rules) {
    if (r.kind !== 'allow') continue;
    if (f.chain.some((argv) => r.matches(argv))) return r;
  }
  return undefined;
}

/** Picks the strictest finding, applying user allow rules (which never weaken a block). */
export function decide(findings: readonly Finding[], rules: readonly CompiledUserRule[]): Verdict {
  let best: Finding | undefined;
  let ignoredAllow: CompiledUserRule | undefined;
  let waivedBy: CompiledUserRule | undefined;
  let waivedFinding: Finding | undefined;
  for (const f of findings) {
    const spec = ruleSpec(f.rule);
    const allow = allowRuleFor(f, rules);
    if (spec.decision === 'confirm' && allow !== undefined) {
      waivedBy ??= allow;
      waivedFinding ??= f;
      continue;
    }
    if (spec.decision === 'block' && allow !== undefined) ignoredAllow ??= allow;
    if (best === undefined || DECISION_RANK[spec.decision] > DECISION_RANK[ruleSpec(best.rule).decision]) best = f;
  }
  if (best !== undefined && ruleSpec(best.rule).decision !== 'allow') {
    const suffix =
      ruleSpec(best.rule).decision === 'block' && ignoredAllow !== undefined
        ? ` (allow rule "${ignoredAllow.label}" ignored: allow rules cannot weaken a built-in block)`
        : '';
    return verdict(best.rule, best.detail, best.command, suffix);
  }
  if (waivedBy !== undefined && waivedFinding !== undefined) {
    return verdict(
      'allow.user-rule',
      `"${waivedBy.label}" (${waivedBy.reason}) allows ${ruleSpec(waivedFinding.rule).id}`,
      waivedFinding.command,
    );
  }
  return verdict('allow.default', undefined, undefined);
}

/**
 * Classifies a shell command line as `block`, `confirm` or `allow` (COMMAND-POLICY.md v1).
 * Pure: it reads only its arguments. Fails closed: text bash would reject is
 * `confirm.unparseable`, or `block.unparseable-dangerous` when a block-class command shows.
 */
export function classifyCommand(commandLine: string, ctx: FilterContext, policy: CommandPolicy = EMPTY_COMMAND_POLICY): Verdict {
  return classifyWithFindings(commandLine, ctx, policy).verdict;
}

/**
 * `classifyCommand` with the findings behind the verdict, each naming the command-table row
 * that reported it (for the rule-table test and for debugging).
 */
export function classifyWithFindings(
  commandLine: string,
  ctx: FilterContext,
  policy: CommandPolicy = EMPTY_COMMAND_POLICY,
): { verdict: Verdict; findings: readonly Finding[] } {
  const findings: Finding[] = [];
  return { verdict: classifyInto(commandLine, ctx, policy, findings), findings };
}

function classifyInto(commandLine: string, ctx: FilterContext, policy: CommandPolicy, findings: Finding[]): Verdict {
  const userRules = compileUserRules(policy);
  if (commandLine.trim() === '') return verdict('allow.default', undefined, undefined);
  if (commandLine.length > MAX_COMMAND_LENGTH) {
    return verdict('confirm.unparseable', `command is longer than ${MAX_COMMAND_LENGTH} characters`, undefined);
  }
  const fctx = normalizeContext(ctx);
  const env: Env = {
    ctx: fctx,
    findings,
    chain: [],
    depth: 0,
    downloads: new Set(),
    written: new Map(),
    userRules,
    functions: new Map(),
    parseBudget: PARSE_BUDGET,
    exec: EXECUTOR,
    owner: 'command-word',
  };
  const scope: Scope = {
    cwd: fctx.cwd,
    vars: new Map(),
    positional: null,
    workspaceRoots: fctx.workspaceRoots,
    remote: false,
  };
  try {
    walkScript(commandLine, scope, env);
  } catch (e) {
    if (e instanceof ShellParseError) {
      const found = fallbackFindings(commandLine, env);
      findings.push(...found);
      const blocking = found.find((f) => f.rule.startsWith('block.'));
      if (blocking !== undefined) {
        return verdict(
          'block.unparseable-dangerous',
          `${e.message}; ${blocking.detail ?? ruleSpec(blocking.rule).reason}`,
          blocking.command,
        );
      }
      return verdict('confirm.unparseable', e.message, undefined);
    }
    // a bug in the filter must not let a command through unseen
    return verdict('confirm.unparseable', `internal error: ${e instanceof Error ? e.message : String(e)}`, undefined);
  }
  return decide(env.findings, userRules);
}
