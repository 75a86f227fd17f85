import path from 'node:path';
import type { AgentId } from '../../agents/agent-id.js';
import { classifyCommand, type FilterContext } from '../command-filter/index.js';
import { isWithin } from '../../paths.js';
import type { CommandPolicy } from '../../config/command-policy.js';
import { realResolve } from '../path-guard.js';
import type { HookCall } from './hook-call.js';

/** One run as the decision point knows it: computed once at launch, used for every call. */
export interface HookRun {
  agent: AgentId;
  assignment: string;
  run: string;
  /** The filter's view of the run (cwd = the target; a call's own cwd replaces it). */
  filterContext: FilterContext;
  /** Where its file tools may write, already resolved through symlinks. */
  writeRoots: string[];
  policy?: CommandPolicy;
  /** Fields on every journal entry of the run (agent, assignment, review…). */
  tags: Record<string, unknown>;
}

/** The decision point's answer for one call. `subject` is the command or the path judged. */
export interface HookVerdict {
  decision: 'allow' | 'block' | 'confirm';
  rule: string;
  reason: string;
  subject: string;
}

/** The rule a file-tool write outside the run's roots is blocked by. */
export const WRITE_OUTSIDE_RULE = 'block.write-outside';

/**
 * Judges one hook call: a shell command with the command filter (in the call's own cwd: claude's
 * shell keeps it between calls), a file write by where it really lands. Tools the hooks do not
 * guard are allowed (the matchers send only shell and file tools).
 */
export function decideCall(call: HookCall, run: HookRun): HookVerdict {
  if (call.kind === 'other')
    return { decision: 'allow', rule: 'allow.default', reason: `${call.tool} is not a shell or file tool`, subject: call.tool };
  const cwd = call.cwd ?? run.filterContext.cwd;
  if (call.kind === 'shell') {
    const ctx = cwd === run.filterContext.cwd ? run.filterContext : { ...run.filterContext, cwd };
    const v = classifyCommand(call.command, ctx, run.policy);
    return { decision: v.decision, rule: v.rule, reason: v.reason, subject: call.command };
  }
  if (call.paths.length === 0) return { decision: 'allow', rule: 'allow.default', reason: 'the call names no file', subject: call.tool };
  for (const written of call.paths) {
    const expanded = written === '~' || written.startsWith('~/') ? path.join(run.filterContext.home, written.slice(1)) : written;
    const resolved = realResolve(expanded, cwd);
    if (run.writeRoots.some((root) => isWithin(resolved, root))) continue;
    const how = resolved === path.resolve(cwd, expanded) ? '' : ` (it resolves to ${resolved})`;
    return {
      decision: 'block',
      rule: WRITE_OUTSIDE_RULE,
      reason: `${call.tool} would write ${written}${how}, outside the allowed roots`,
      subject: written,
    };
  }
  return { decision: 'allow', rule: 'allow.default', reason: 'inside the allowed roots', subject: call.paths.join(', ') };
}
