import type { AgentAdapter } from './adapter.js';
import type { AgentId } from './agent-id.js';
import { claudeAdapter } from './adapters/claude.js';
import { codexAdapter } from './adapters/codex.js';
import { geminiAdapter } from './adapters/gemini.js';

/** The adapter of every supported agent CLI. */
export const ADAPTERS: Readonly<Record<AgentId, AgentAdapter>> = {
  claude: claudeAdapter,
  codex: codexAdapter,
  gemini: geminiAdapter,
};

/** The adapter for `id`. */
export function getAdapter(id: AgentId): AgentAdapter {
  return ADAPTERS[id];
}
