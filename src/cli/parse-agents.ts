import { AGENT_IDS, isAgentId, type AgentId } from '../agents/agent-id.js';
import { UsageError } from '../errors.js';

/** Parses `--agents claude,gemini` into ids in the given preference order. */
export function parseAgentList(text: string | undefined): AgentId[] {
  if (text === undefined) return [...AGENT_IDS];
  const names = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (names.length === 0) throw new UsageError('--agents: empty list', `name one or more of ${AGENT_IDS.join(', ')}`);
  const out: AgentId[] = [];
  for (const name of names) {
    if (!isAgentId(name)) throw new UsageError(`--agents: unknown agent "${name}"`, `expected ${AGENT_IDS.join(', ')}`);
    if (!out.includes(name)) out.push(name);
  }
  return out;
}
