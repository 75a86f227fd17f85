/** The three agent CLIs orchestrate supervises. */
export type AgentId = 'claude' | 'codex' | 'gemini';

/** Every agent, in the default preference order (also the runtime fallback order). */
export const AGENT_IDS: readonly AgentId[] = ['gemini', 'claude', 'codex'];

/** True when `value` names one of the supported agents. */
export function isAgentId(value: string): value is AgentId {
  return (AGENT_IDS as readonly string[]).includes(value);
}
