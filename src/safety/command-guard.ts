import type { AgentEvent } from '../events/agent-event.js';
import type { EventPolicy, PolicyAction, RunContext } from './event-policy.js';
import { classifyCommand, type FilterContext, type CommandPolicy, type Verdict } from './command-filter/index.js';

/** Verdicts kept per run (oldest dropped first), for commands up to this long: at most about 1 MB a run. */
const VERDICT_CACHE_SIZE = 256;
const VERDICT_CACHE_MAX_CHARS = 4096;

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
 * command stops the agent's whole process group at once and is journaled as a violation, unless
 * the run's pre-execution hook (layer 1) already prevented it, or will decide it (the CLI prints
 * the call before it runs the hook): then the run's ledger stops the agent only if the command
 * turns out not prevented. Every decision is journaled. `policy` is the config's `commands` (user
 * block and allow rules); without it only the built-in rules apply. The filter context is
 * computed once per run.
 */
export function createCommandGuard(context: (run: RunContext) => FilterContext, policy?: CommandPolicy): EventPolicy {
  const contexts = new WeakMap<RunContext, FilterContext>();
  const contextOf = (run: RunContext): FilterContext => {
    let ctx = contexts.get(run);
    if (!ctx) contexts.set(run, (ctx = context(run)));
    return ctx;
  };
  // The filter is pure (its verdict depends on the command and the run's context only), and
  // agents repeat commands (`git status`, `ls`, the tests): a run's recent verdicts are kept.
  const verdicts = new WeakMap<RunContext, Map<string, Verdict>>();
  const verdictOf = (run: RunContext, command: string): Verdict => {
    let known = verdicts.get(run);
    if (!known) verdicts.set(run, (known = new Map()));
    let verdict = known.get(command);
    if (verdict) return verdict;
    verdict = classifyCommand(command, contextOf(run), policy);
    if (command.length <= VERDICT_CACHE_MAX_CHARS) {
      if (known.size >= VERDICT_CACHE_SIZE) known.delete(known.keys().next().value!);
      known.set(command, verdict);
    }
    return verdict;
  };
  return {
    name: 'command-guard',
    onEvent(run: RunContext, event: AgentEvent): PolicyAction[] {
      if (event.type === 'agent.tool_result' || event.type === 'agent.permission_denied') {
        return run.ledger ? run.ledger.settle(event.toolId, event.type === 'agent.permission_denied' ? 'denied' : 'result') : [];
      }
      if (event.type !== 'agent.tool_call' || event.kind !== 'shell' || event.command === undefined) return [];
      const verdict = verdictOf(run, event.command);
      const data = {
        command: event.command,
        decision: verdict.decision,
        rule: verdict.rule,
        reason: verdict.reason,
        ...(event.toolId ? { toolId: event.toolId } : {}),
      };
      if (verdict.decision !== 'block') return [{ type: 'journal', entryType: 'safety.command', data }];
      const layer1 = run.ledger?.announce(event.command, event.toolId, data) ?? 'unguarded';
      if (layer1 === 'prevented')
        return [{ type: 'journal', entryType: 'safety.command', data: { ...data, layer: 'stream', preventedBy: 'hook' } }];
      if (layer1 === 'pending')
        return [{ type: 'journal', entryType: 'safety.command', data: { ...data, layer: 'stream', awaiting: 'hook' } }];
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
      const verdict = classifyCommand(rejected.command, contextOf(run), policy);
      const data = {
        command: rejected.command,
        decision: verdict.decision,
        rule: verdict.rule,
        reason: rejected.reason,
        shellCommand: rejected.shellCommand,
        layer: 'cli',
        action: 'prevented by the CLI',
      };
      return [{ type: 'journal', entryType: 'safety.violation', data }];
    },
  };
}
