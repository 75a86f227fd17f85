import path from 'node:path';
import { AGENT_IDS } from '../agents/agent-id.js';
import { OutsideWatch } from '../safety/outside-watch.js';
import { agentStateDirs } from '../safety/sandbox.js';
import { stateRoot } from '../session/paths.js';
import type { SessionOptions } from './session-options.js';
import type { SessionRuntime } from './session-runtime.js';
import { homeOf } from '../paths.js';

/**
 * What the session watches outside its allowed roots: the target's siblings and HOME, two levels
 * deep, without the target, the workspace, the agents' own state and the configured roots.
 */
export function watchOutside(opts: SessionOptions): OutsideWatch {
  const home = homeOf(opts.env);
  const env = Object.fromEntries(Object.entries(opts.env).filter((e): e is [string, string] => e[1] !== undefined));
  const state = AGENT_IDS.flatMap((a) => agentStateDirs(a, { ...env, ...opts.config.agents[a]?.env }, home));
  return OutsideWatch.start({
    watched: [path.dirname(opts.target), home],
    exclude: [opts.target, opts.workspace, stateRoot(opts.env), ...state, ...opts.config.sandbox.allowWrite],
  });
}

/**
 * After an assignment: anything changed outside the allowed roots is journaled as a warning. A
 * host process may have made the change (the watch cannot tell who), so it does not stop anything.
 */
export function reportOutsideChanges(rt: SessionRuntime, agent: string, assignment: string, watch: OutsideWatch): void {
  const found = watch.checkAndRebase();
  const count = found.added.length + found.modified.length + found.deleted.length;
  if (count > 0) {
    rt.journal.append({
      type: 'safety.outside_changes',
      agent,
      assignment,
      added: found.added.slice(0, 50),
      modified: found.modified.slice(0, 50),
      deleted: found.deleted.slice(0, 50),
      truncated: found.truncated,
    });
  }
}
