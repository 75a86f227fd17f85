import type { AgentEvent } from '../events/agent-event.js';
import type { EventPolicy, PolicyAction, RunContext } from '../supervisor/event-policy.js';
import { classifyCommand, type FilterContext, type CommandPolicy } from './command-filter/index.js';

/** codex reports an execpolicy rejection only on stderr (REFERENCE.md §5). */
const CODEX_REJECTED = /error=exec_command failed: CreateProcess \{ message: "Rejected\(\\"`(?<command>.*)` rejected: (?<reason>.*)\\"\)" \}/;

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
    onStderrLine(_run: RunContext, line: string): PolicyAction[] {
      const m = CODEX_REJECTED.exec(line);
      if (!m?.groups) return [];
      // Already prevented by codex's own execpolicy: journaled, the agent goes on.
      return [{ type: 'journal', entryType: 'safety.violation', data: { command: m.groups['command'], reason: m.groups['reason'], layer: 'cli', action: 'prevented by the CLI' } }];
    },
  };
}
