import type { Command } from 'commander';
import type { ApplyOutcome } from '../../copy/apply-changes.js';
import { applySession, undoSession } from '../../copy/apply-session.js';
import { openSessionResult, requireFinished } from '../../copy/session-result.js';
import { EXIT, type ExitCode } from '../../errors.js';
import { pidAlive } from '../../process/kill-group.js';
import { resolveSession, resolveWorkspace } from '../../session/resolve-session.js';
import type { Io } from '../io.js';

/** Options of `orchestrate apply`. */
export interface ApplyFlags {
  target?: string;
  workspace?: string;
  assignment?: string;
  undo?: boolean;
}

/** Registers `orchestrate apply <id> [--assignment <id>] [--undo]`. */
export function registerApplyCommand(program: Command, io: Io, setExit: (code: ExitCode) => void): void {
  program
    .command('apply')
    .description("bring a session's changes into the checkout (three-way; refuses rather than overwrite your changes)")
    .argument('<id>', 'a session id, a unique prefix of one, "last", or a session directory')
    .option('--assignment <id>', "only this assignment's changes")
    .option('--undo', 'put back what the last apply of this session replaced')
    .option('--target <dir>', 'the project (default: the current directory)')
    .option('--workspace <dir>', 'where sessions are written (default <target>/.orchestrate)')
    .action((ref: string, _flags: ApplyFlags, cmd: Command) => {
      setExit(applyCommand(ref, cmd.optsWithGlobals<ApplyFlags>(), io));
    });
}

/** Applies (or undoes) and prints what happened; exit 12 when it refused. */
export function applyCommand(ref: string, flags: ApplyFlags, io: Io): ExitCode {
  const { dir } = resolveSession(ref, resolveWorkspace(io.cwd, flags), io.cwd);
  const r = openSessionResult(dir);
  requireFinished(r, pidAlive);
  if (flags.undo) {
    const u = undoSession(r);
    if (u.changedSince.length) {
      io.stderr.write(`orchestrate: refusing to undo: changed since the apply: ${u.changedSince.join(', ')}\n`);
      return EXIT.APPLY_REFUSED;
    }
    io.stdout.write(
      `undid the apply of session ${r.state.id}: ${u.restored.length} file(s) restored${u.restored.length ? ` (${u.restored.join(', ')})` : ''}\n`,
    );
    return EXIT.OK;
  }
  if (r.state.outcome && r.state.outcome !== 'success')
    io.stdout.write(`note: session ${r.state.id} ended "${r.state.outcome}"; applying its changes as you asked\n`);
  const outcome = applySession(r, flags.assignment);
  return reportApply(outcome, r.state.id, r.state.target, io);
}

/** Prints an apply's outcome (also used by the run's --apply); returns its exit code. */
export function reportApply(o: ApplyOutcome, id: string, target: string, io: Io): ExitCode {
  for (const x of o.refused) io.stdout.write(`not applied: ${x.path}: ${x.why}\n`);
  if (!o.applied) {
    io.stderr.write(`orchestrate: refusing to apply session ${id}: the checkout changed where the session did too; nothing was written\n`);
    for (const c of o.conflicts) io.stderr.write(`  conflict: ${c.path}: ${c.why}\n`);
    io.stderr.write(
      `hint: commit or stash your changes to these files and run orchestrate apply ${id} again, or see orchestrate diff ${id}\n`,
    );
    return EXIT.APPLY_REFUSED;
  }
  const merged = o.merged.length ? `, ${o.merged.length} merged with your changes (${o.merged.join(', ')})` : '';
  io.stdout.write(
    `applied session ${id} to ${target}: ${o.written.length} file(s) written${merged}${o.unchanged.length ? `, ${o.unchanged.length} already as the session left them` : ''}\n`,
  );
  if (o.written.length) io.stdout.write(`undo with: orchestrate apply --undo ${id}\n`);
  return EXIT.OK;
}
