import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import { compileC } from '../process/compile-c.js';
import { writeHookClientC } from '../safety/hook/client-c.js';
import { findPerl, writeHookClient } from '../safety/hook/client-script.js';
import { startHookServer } from '../safety/hook/hook-server.js';
import type { SessionHooks, SessionRuntime } from './session-runtime.js';

/** The kernel's bound on a socket path (sun_path is 108 bytes with the NUL). */
const MAX_SOCKET_PATH = 107;

/**
 * The client every hook runs: compiled from C into the session (one small exec a call), else
 * the perl script (perl-base, no modules), else none.
 */
function hookProgram(dir: string, pathEnv: string | undefined): string[] | undefined {
  const c = writeHookClientC(dir);
  if (compileC(c.source, c.binary, pathEnv)) return [c.binary];
  const perl = findPerl(pathEnv);
  return perl ? [perl, writeHookClient(dir)] : undefined;
}

/**
 * Starts the decision point before the first agent: the filter is loaded and warmed, the socket
 * listens in `<session>/hooks/` (or, when that path is too long for a socket, in a private
 * folder under /tmp that the sandbox binds read-only). Undefined, with a journal note, where no
 * perl is found: layer 1 then falls back to the CLIs' static rules.
 */
export async function startSessionHooks(rt: SessionRuntime): Promise<SessionHooks | undefined> {
  const dir = path.join(rt.paths.root, 'hooks');
  mkdirSync(dir, { recursive: true, mode: 0o755 });
  const program = hookProgram(dir, rt.opts.env['PATH']);
  if (!program) {
    rt.journal.append({
      type: 'safety.layer1',
      notes: [
        "no C compiler and no perl found: the pre-execution hooks are off; the CLIs' static rules and the stream guard (layer 2) remain",
      ],
    });
    return undefined;
  }
  const inSession = path.join(dir, 'decide.sock');
  const own = Buffer.byteLength(inSession) <= MAX_SOCKET_PATH ? undefined : mkdtempSync('/tmp/orchestrate-hook-');
  const socketPath = own ? path.join(own, 'decide.sock') : inSession;
  const confirm = rt.confirm;
  const server = await startHookServer({
    socketPath,
    journal: rt.journal,
    ...(confirm ? { confirm: (request, signal) => confirm.ask(request, signal) } : {}),
  });
  rt.journal.append({ type: 'safety.hooks_ready', socket: socketPath, client: program.join(' '), warmMs: Math.round(server.warmMs) });
  return {
    server,
    dir,
    socketDir: path.dirname(socketPath),
    program,
    close: async () => {
      await server.close();
      if (own) rmSync(own, { recursive: true, force: true });
    },
  };
}
