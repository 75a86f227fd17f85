import type { AgentAdapter, CommandSpec, LaunchSpec } from '../adapter.js';
import { createClaudeParser } from './claude-stream.js';

/**
 * Tools pre-approved in root-safe work mode. One argv element, space-separated as in the
 * recorded `--allowedTools 'Bash(echo:*)'` run: the flag is variadic (`<tools...>`), and a single
 * element cannot swallow a following argument.
 */
export const CLAUDE_ROOT_SAFE_TOOLS = 'Bash Edit Write MultiEdit NotebookEdit';

/**
 * Builds `claude -p --output-format stream-json --verbose …` with the prompt on stdin
 * (REFERENCE.md §2: `-p` with no prompt argument reads it from stdin; no size limit, and no
 * variadic flag such as `--add-dir <dirs...>` can swallow it). Extra args go last.
 */
export function buildClaudeCommand(spec: LaunchSpec): CommandSpec {
  const args = ['-p', '--output-format', 'stream-json', '--verbose'];
  const env: Record<string, string> = {};
  if (spec.model !== undefined) args.push('--model', spec.model);

  if (spec.mode === 'review') {
    // plan mode is read-only; the answer comes back as result.structured_output.
    args.push('--permission-mode', 'plan');
    if (spec.outputSchema !== undefined) args.push('--json-schema', spec.outputSchema.json);
  } else if (spec.context.isRoot && !spec.context.sandboxed) {
    // claude refuses --dangerously-skip-permissions as root; without our sandbox we must not
    // fake one with IS_SANDBOX=1, so use the root-safe mode (writes stay inside cwd/--add-dir).
    args.push('--permission-mode', 'acceptEdits', '--allowedTools', CLAUDE_ROOT_SAFE_TOOLS);
  } else {
    args.push('--dangerously-skip-permissions');
    // As root this flag is refused unless IS_SANDBOX=1; true here because bubblewrap is active.
    if (spec.context.isRoot) env.IS_SANDBOX = '1';
  }

  for (const dir of spec.addDirs) args.push('--add-dir', dir);
  if (spec.policyFiles?.claudeSettings !== undefined) {
    args.push('--settings', spec.policyFiles.claudeSettings);
    if (spec.policyFiles.claudeOnlyFlagSettings) args.push('--setting-sources', '');
  }
  if (spec.resumeSessionId !== undefined) args.push('--resume', spec.resumeSessionId);
  // claude's own ceiling: it ends the run with `result` subtype `error_max_budget_usd`
  if (spec.maxBudgetUsd !== undefined) args.push('--max-budget-usd', formatUsd(spec.maxBudgetUsd));
  args.push(...spec.extraArgs);
  return { file: spec.executable, args, env, promptOnStdin: true };
}

/** A dollar amount as a plain decimal (no exponent: `1e-7` is not a number claude reads). */
function formatUsd(usd: number): string {
  return usd.toFixed(6).replace(/0+$/, '').replace(/\.$/, '') || '0';
}

/** Claude Code (`claude`) in headless stream-json mode. */
export const claudeAdapter: AgentAdapter = {
  id: 'claude',
  defaultExecutable: 'claude',
  versionArgs: ['--version'],
  buildCommand: buildClaudeCommand,
  createParser: createClaudeParser,
};
