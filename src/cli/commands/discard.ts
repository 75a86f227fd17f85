import { rmSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { openSessionResult, requireFinished } from '../../copy/session-result.js';
import { EXIT, type ExitCode } from '../../errors.js';
import { pidAlive } from '../../process/kill-group.js';
import { writeJsonAtomic } from '../../session/atomic-write.js';
import { agentStateDir, stateRoot } from '../../session/paths.js';
import { resolveSession, resolveWorkspace } from '../../session/resolve-session.js';
import type { Io } from '../io.js';

/** Registers `orchestrate discard <id>`. */
export function registerDiscardCommand(program: Command, io: Io, setExit: (code: ExitCode) => void): void {
  program
    .command('discard')
    .description(
      "delete a session's copy, its changes and its agents' private CLI state (the checkout is not touched; the session's records stay)",
    )
    .argument('<id>', 'a session id, a unique prefix of one, "last", or a session directory')
    .option('--target <dir>', 'the project (default: the current directory)')
    .option('--workspace <dir>', 'where sessions are written (default <target>/.orchestrate)')
    .action((ref: string, _flags: unknown, cmd: Command) => {
      setExit(discardCommand(ref, cmd.optsWithGlobals<{ target?: string; workspace?: string }>(), io));
    });
}

/**
 * Removes the copy folder (work tree and orchestrate's git dir) and the agents' private copies of
 * their CLI state (logins included: kept until now so `resume` works), and marks the session
 * discarded.
 */
export function discardCommand(ref: string, flags: { target?: string; workspace?: string }, io: Io): ExitCode {
  const { dir } = resolveSession(ref, resolveWorkspace(io.cwd, flags), io.cwd);
  const r = openSessionResult(dir);
  requireFinished(r, pidAlive);
  rmSync(r.info.root, { recursive: true, force: true });
  // the session's state folder is the one its copy was made in (<state>/copies/<target>/<id>), whatever the env says now
  const sessionState = path.resolve(r.info.root, '..', '..', '..');
  for (const root of new Set([sessionState, stateRoot(io.env)])) rmSync(agentStateDir(root, r.state.id), { recursive: true, force: true });
  writeJsonAtomic(path.join(dir, 'session.json'), { ...r.state, discarded: new Date().toISOString() });
  io.stdout.write(`discarded session ${r.state.id}'s copy (${r.info.root}); the checkout was not touched\n`);
  return EXIT.OK;
}
