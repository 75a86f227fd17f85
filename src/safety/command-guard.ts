import type { AgentEvent } from '../events/agent-event.js';
import type { EventPolicy, PolicyAction, RunContext } from '../supervisor/event-policy.js';
import { classifyCommand, type FilterContext, type CommandPolicy } from './command-filter/index.js';

/**
 * codex reports an execpolicy rejection only on stderr (REFERENCE.md §5): a Rust Debug string
 * (`message: "…"`) holding `Rejected("…")`, itself a Debug string, so the command's own quotes
 * and backslashes come escaped twice.
 */
const CODEX_REJECTED_MESSAGE = /error=exec_command failed: CreateProcess \{ message: "(?<message>(?:[^"\\]|\\.)*)" \}/;
const REJECTED_INNER = /^Rejected\("(?<inner>(?:[^"\\]|\\.)*)"\)$/s;
const REJECTED_TEXT = /^`(?<command>.*)` rejected: (?<reason>.*)$/s;
/** codex runs a shell command as `/bin/bash -lc '<cmd>'` (single quotes as `'\''`). */
const BASH_LC = /^\/bin\/(?:ba)?sh -lc '(?<script>(?:[^']|'\\'')*)'$/s;

/** Undoes one level of Rust `{:?}` string escaping. */
function rustUnescape(text: string): string {
  return text.replace(/\\(u\{[0-9a-fA-F]+\}|.)/gs, (_m, c: string) => {
    if (c.startsWith('u{')) return String.fromCodePoint(parseInt(c.slice(2, -1), 16));
    return c === 'n' ? '\n' : c === 't' ? '\t' : c === 'r' ? '\r' : c === '0' ? '\0' : c;
  });
}

/** The command and reason of a codex execpolicy rejection line, decoded; undefined for other lines. */
export function parseCodexRejection(line: string): { command: string; shellCommand: string; reason: string } | undefined {
  const message = CODEX_REJECTED_MESSAGE.exec(line)?.groups?.['message'];
  if (message === undefined) return undefined;
  const inner = REJECTED_INNER.exec(rustUnescape(message))?.groups?.['inner'];
  if (inner === undefined) return undefined;
  const text = REJECTED_TEXT.exec(rustUnescape(inner))?.groups;
  if (!text) return undefined;
  const shellCommand = text['command']!;
  const script = BASH_LC.exec(shellCommand)?.groups?.['script'];
  return { command: script !== undefined ? script.replace(/'\\''/g, "'") : shellCommand, shellCommand, reason: text['reason']! };
}

/**
 * Safety layer 2: every shell tool call in the stream is classified as it arrives. A `block`
 * command stops the agent's whole process group at once and is journaled as a violation; every
 * decision is journaled. Pure: the same events give the same actions. `policy` is the config's
 * `commands` (user block and allow rules); without it only the built-in rules apply.
 */
export function createCommandGuard(context: (run: RunContext) => FilterContext, policy?: CommandPolicy): EventPolicy {
  return {
    name: 'command-guard',
    onEvent(run: RunContext, event: AgentEvent): PolicyAction[] {
      if (event.type !== 'agent.tool_call' || event.kind !== 'shell' || event.command === undefined) return [];
      const verdict = classifyCommand(event.command, context(run), policy);
      const data = { command: event.command, decision: verdict.decision, rule: verdict.rule, reason: verdict.reason, ...(event.toolId ? { toolId: event.toolId } : {}) };
      if (verdict.decision !== 'block') return [{ type: 'journal', entryType: 'safety.command', data }];
      return [
        { type: 'journal', entryType: 'safety.violation', data: { ...data, layer: 'stream', action: 'stopped the agent' } },
        { type: 'stop', status: 'stopped_by_safety', reason: `blocked command: ${event.command} (${verdict.rule}: ${verdict.reason})` },
      ];
    },
    onStderrLine(run: RunContext, line: string): PolicyAction[] {
      const rejected = parseCodexRejection(line);
      if (!rejected) return [];
      // Already prevented by codex's own execpolicy: journaled (with the filter's own verdict on
      // the decoded command), the agent goes on.
      const verdict = classifyCommand(rejected.command, context(run), policy);
      const data = { command: rejected.command, decision: verdict.decision, rule: verdict.rule, reason: rejected.reason, shellCommand: rejected.shellCommand, layer: 'cli', action: 'prevented by the CLI' };
      return [{ type: 'journal', entryType: 'safety.violation', data }];
    },
  };
}
