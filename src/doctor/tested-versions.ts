import type { AgentId } from '../agents/agent-id.js';

/** A CLI's npm package and the versions orchestrate's compat suite runs it at. */
export interface TestedCli {
  pkg: string;
  /** `pinned` set: what the adapters and recordings were made with. */
  pinned: string;
  /** `newest` set: the newest release the suite was run against. */
  newest: string;
}

/**
 * The versions the project was tested with: the `pinned` and `newest` compat sets of
 * scripts/install-compat-clis.mjs (a unit test keeps the two equal; change them together).
 */
export const TESTED_VERSIONS: Readonly<Record<AgentId, TestedCli>> = {
  claude: { pkg: '@anthropic-ai/claude-code', pinned: '2.1.330', newest: '2.1.332' },
  codex: { pkg: '@openai/codex', pinned: '0.169.0', newest: '0.171.0' },
  gemini: { pkg: '@google/gemini-cli', pinned: '0.61.0', newest: '0.61.0' },
};
