import path from 'node:path';
import type { FilterContext } from '../safety/command-filter/index.js';
import type { HookEndpoint } from '../safety/layer1/hook-command.js';
import { allowedWriteRoots, realResolve } from '../safety/path-guard.js';
import { DEFAULT_HOOK_GRACE_MS, PreExecutionLedger } from '../safety/hook/pre-execution-ledger.js';
import type { SessionRuntime } from './session-runtime.js';
import type { RunRequest } from './run-request.js';

/** One run's place at the session's decision point. */
export interface RunHooks {
  endpoint: HookEndpoint;
  ledger: PreExecutionLedger;
  unregister(): void;
}

/**
 * Makes a run known to the decision point before it starts: its filter context and write roots,
 * computed once here for every call of the run, and the ledger its stream guard shares with the
 * hook (`workDir`: the run's copy of the target, the project folder it may write). Undefined when the session has no hooks, or for gemini without the sandbox (its hook
 * lives in a settings file only the sandbox can keep from the agent).
 */
export function registerHooks(
  rt: SessionRuntime,
  req: RunRequest,
  filterContext: FilterContext,
  env: Record<string, string>,
  workDir: string,
): RunHooks | undefined {
  const hooks = rt.hooks;
  if (!hooks || (req.agent === 'gemini' && !rt.opts.sandbox.active)) return undefined;
  const { opts } = rt;
  const roots = allowedWriteRoots({
    agent: req.agent,
    target: workDir,
    allowWrite: [...opts.config.sandbox.allowWrite, ...(req.extraWritable ?? []), ...(req.addDirs ?? [])],
    env,
    home: filterContext.home,
  });
  const ledger = new PreExecutionLedger({ announcesBeforeHook: req.agent !== 'codex', graceMs: DEFAULT_HOOK_GRACE_MS, clock: opts.clock });
  const key = hooks.server.register(
    {
      agent: req.agent,
      assignment: req.assignment.id,
      run: req.run,
      filterContext,
      writeRoots: [...new Set(roots.map((r) => realResolve(r, '/')))],
      ...(opts.config.commands ? { policy: opts.config.commands } : {}),
      tags: { agent: req.agent, assignment: req.assignment.id, run: req.run, ...req.tags },
    },
    ledger,
  );
  const socket = hooks.server.socketPath;
  return {
    endpoint: { program: hooks.program, socket, key, dirs: [...new Set([hooks.dir, path.dirname(socket)])] },
    ledger,
    unregister: () => hooks.server.unregister(key),
  };
}
