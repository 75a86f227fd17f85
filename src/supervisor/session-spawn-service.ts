import path from 'node:path';
import { SpawnService, useSpawnService } from '../process/spawn-service.js';
import type { SessionRuntime } from './session-runtime.js';

/**
 * Starts the session's spawn service (src/process/spawn-service-c.ts) before the first agent, so
 * git's commands cost this process a pipe write instead of a fork. Built in `<session>/spawn/`
 * (0700, read-only to sandboxed agents like the whole session folder) and started at once: the
 * binary runs from this start on, so nothing written there later matters. Returns its closer;
 * where it cannot be built, git keeps Node's spawn (same results) and the journal says why.
 */
export async function startSessionSpawnService(rt: SessionRuntime): Promise<() => Promise<void>> {
  const service = await SpawnService.start(path.join(rt.paths.root, 'spawn'), rt.opts.env['PATH'], undefined, (why) =>
    rt.journal.append({ type: 'session.spawn_service', reason: `${why}: git commands are spawned from Node from now on` }),
  );
  if (!service) {
    rt.journal.append({
      type: 'session.spawn_service',
      reason: 'not built (no C compiler, or glibc before 2.29): git commands are spawned from Node, at ~7-10 ms of CPU each',
    });
    return async () => undefined;
  }
  rt.journal.append({ type: 'session.spawn_service', pid: service.pid ?? 0 });
  const unuse = useSpawnService(service);
  return async () => {
    unuse();
    await service.close();
  };
}
