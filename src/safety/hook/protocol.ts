/**
 * The hook client's conversation with the supervisor, over the session's Unix socket:
 *
 *   client → `ORCHESTRATE-HOOK 1 <cli> <run key>\n` + the CLI's hook input as it came, then EOF
 *   server → zero or more `wait\n` (a person is being asked: the client waits longer),
 *            then `allow\n`, or `block\n<reason>`; then it closes.
 *
 * Anything else, or nothing, is a block on the client's side.
 */
export const HOOK_MAGIC = 'ORCHESTRATE-HOOK 1';
/** A hook input larger than this is not one (a patch for apply_patch can be big). */
export const MAX_HOOK_INPUT = 8 * 1024 * 1024;

export const ALLOW_REPLY = 'allow\n';
export const WAIT_REPLY = 'wait\n';
export function blockReply(reason: string): string {
  const line = reason.replace(/\s+$/, '') || 'blocked by orchestrate';
  return `block\n${line}\n`;
}
