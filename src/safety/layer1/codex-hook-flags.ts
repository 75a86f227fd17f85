import { createHash } from 'node:crypto';

/** codex's tools that run a command or change files (HOOKS.md). */
export const CODEX_HOOK_MATCHER = '^(Bash|apply_patch)$';
/** codex's name for the layer its `-c` overrides form (HOOKS.md; a string in the codex binary). */
const SESSION_FLAGS_KEY = '/<session-flags>/config.toml:pre_tool_use:0:0';

/**
 * The flags that give codex orchestrate's PreToolUse hook, trusted by hash and for this hook
 * only (never `--dangerously-bypass-hook-trust`, which would trust a project's own hooks too):
 * `--enable hooks`, `--disable unified_exec_tty` (an interactive shell fed through write_stdin
 * would pass no hook), the hook and its trust entry as `-c` overrides, which outrank every config
 * file (a trusted project's `.codex/`, the user's config.toml).
 */
export function buildCodexHookFlags(command: string, timeoutSec: number): string[] {
  const hook = `{matcher=${JSON.stringify(CODEX_HOOK_MATCHER)},hooks=[{type="command",command=${JSON.stringify(command)},timeout=${timeoutSec}}]}`;
  const state = `{${JSON.stringify(SESSION_FLAGS_KEY)}={trusted_hash=${JSON.stringify(`sha256:${codexHookHash(command, timeoutSec)}`)},enabled=true}}`;
  return ['--enable', 'hooks', '--disable', 'unified_exec_tty', '-c', `hooks.PreToolUse=[${hook}]`, '-c', `hooks.state=${state}`];
}

/** sha256 of codex's canonical hook identity (keys sorted, compact JSON), as HOOKS.md measured it. */
export function codexHookHash(command: string, timeoutSec: number): string {
  const identity = `{"event_name":"pre_tool_use","hooks":[{"async":false,"command":${JSON.stringify(command)},"timeout":${timeoutSec},"type":"command"}],"matcher":${JSON.stringify(CODEX_HOOK_MATCHER)}}`;
  return createHash('sha256').update(identity).digest('hex');
}
