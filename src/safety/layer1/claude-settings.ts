import type { CommandPolicy } from '../../config/command-policy.js';
import { expandPattern, STATIC_BLOCK_RULES } from './static-rules.js';

export interface ClaudeSettingsInput {
  /** The hook's shell command (the session's hook client), or the argv of `orchestrate hook claude` where there is none. */
  hookCommand?: string;
  hookArgv?: string[];
  /** claude's bound on the hook, in seconds (a timed-out hook does not block, so it is generous). */
  hookTimeoutSec: number;
  policy: CommandPolicy;
}

/**
 * claude `--settings` JSON: a PreToolUse hook on Bash that runs the command filter, plus
 * `permissions.deny` prefixes for the coarse block class (belt and braces: they hold even if
 * the hook cannot start). claude blocks on exit code 2 with stderr shown to the model
 * (REFERENCE §2, recorded in claude-deny-hook); any other non-zero code would let the command
 * run, so the command maps every failure of the hook process to 2.
 */
export function buildClaudeSettings(input: ClaudeSettingsInput): Record<string, unknown> {
  const deny = [...denyRules(input.policy)];
  const command = input.hookCommand ?? `${(input.hookArgv ?? []).map(shellQuote).join(' ')} || exit 2`;
  const hooks = [{ type: 'command', command, timeout: input.hookTimeoutSec }];
  return {
    // Beats `disableAllHooks: true` in a project file the agent could write (HOOKS.md); user and
    // project settings are not read at all (`--setting-sources ""`).
    disableAllHooks: false,
    hooks: {
      PreToolUse: [
        { matcher: 'Bash', hooks },
        // The session's decision point also checks where file tools write (the Node hook does not).
        ...(input.hookCommand !== undefined ? [{ matcher: CLAUDE_FILE_TOOLS, hooks }] : []),
      ],
    },
    permissions: { deny },
  };
}

/** The session's policy is one object: its deny list is expanded once, not at every launch. */
const denyByPolicy = new WeakMap<CommandPolicy, readonly string[]>();

function denyRules(policy: CommandPolicy): readonly string[] {
  let deny = denyByPolicy.get(policy);
  if (!deny) {
    deny = [
      ...STATIC_BLOCK_RULES.flatMap((r) => expandPattern(r.pattern).map((words) => words.join(' '))),
      ...policy.block.flatMap((b) => ('prefix' in b ? [b.prefix.trim().split(/\s+/).join(' ')] : [])),
    ].map((prefix) => `Bash(${prefix}:*)`);
    denyByPolicy.set(policy, deny);
  }
  return deny;
}

/** claude's tools that write files (HOOKS.md). */
export const CLAUDE_FILE_TOOLS = 'Write|Edit|MultiEdit|NotebookEdit';

/** Single-quotes a word for sh. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
