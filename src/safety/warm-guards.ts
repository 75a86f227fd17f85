import type { AgentEvent } from '../events/agent-event.js';
import { createCommandGuard } from './command-guard.js';
import type { RunContext } from './event-policy.js';
import { warmFilter } from './hook/warm-filter.js';
import { createPathGuard } from './path-guard.js';

/**
 * Loads and warms the command filter, then takes fresh stream guards (command and path) through
 * `events` (a sample turn of each CLI, agents/warm-adapters.ts) a few times: the first dangerous
 * tool call of a session is then judged as fast as any later one. Fresh guards and a throwaway
 * run, so no session state is touched.
 */
export function warmGuards(events: readonly AgentEvent[], rounds = 3): void {
  warmFilter();
  const ctx = { cwd: '/warm/project', workspaceRoots: ['/warm/project'], home: '/warm/home', tmpDirs: ['/tmp'] };
  const guards = [createCommandGuard(() => ctx), createPathGuard(() => ({ allowedRoots: ['/warm/project'], home: '/warm/home' }))];
  for (let round = 0; round < rounds; round++) {
    const run: RunContext = { agent: 'claude', assignmentId: 'warm', cwd: '/warm/project' };
    for (const guard of guards) for (const event of events) guard.onEvent(run, event);
  }
}
