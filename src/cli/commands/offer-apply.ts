import { applySession } from '../../copy/apply-session.js';
import { diffText, openSessionResult, refusals } from '../../copy/session-result.js';
import { EXIT, type ExitCode } from '../../errors.js';
import type { Io } from '../io.js';
import { reportApply } from './apply.js';

/**
 * The end of a session: its changes are in its copy, never yet in the checkout. Shows the diff
 * stat and how to apply; with `--apply` (a successful session only) applies without asking; in a
 * terminal asks (default no).
 */
export async function offerApply(
  session: { dir: string; sessionId: string; exitCode: ExitCode },
  how: { apply: boolean; ask?: (question: string) => Promise<'yes' | 'no' | 'timeout'> },
  io: Io,
): Promise<ExitCode> {
  let r;
  try {
    r = openSessionResult(session.dir);
  } catch {
    return session.exitCode; // no copy (the session failed before making one)
  }
  if (r.tip === r.info.baseline) return session.exitCode;
  io.stdout.write(`\nChanges in the session copy (not yet in ${r.state.target}):\n${diffText(r, r.info.baseline, r.tip, true)}\n`);
  for (const x of refusals(r, r.info.baseline, r.tip)) io.stdout.write(`  will not be applied: ${x.path}: ${x.why}\n`);
  const later = (): void =>
    void io.stdout.write(
      `See the diff: orchestrate diff ${session.sessionId}\nApply it:     orchestrate apply ${session.sessionId}\nDrop it:      orchestrate discard ${session.sessionId}\n`,
    );
  if (session.exitCode !== EXIT.OK) {
    later();
    return session.exitCode;
  }
  const yes = how.apply || (how.ask ? (await how.ask(`Apply these changes to ${r.state.target}?`)) === 'yes' : false);
  if (!yes) {
    later();
    return session.exitCode;
  }
  const code = reportApply(applySession(r), session.sessionId, r.state.target, io);
  return code === EXIT.OK ? session.exitCode : code;
}
