import { EXIT } from '../errors.js';
import { INSTALL_BWRAP_HINT, probeSandbox } from '../process/probe-sandbox.js';
import { fail, ok, warn, type DoctorCheck } from './check.js';

/**
 * bubblewrap, probed the way a session's start probes it. Without it a session refuses to start
 * (exit 6) unless `--no-sandbox` is given, which doctor takes into account when told.
 */
export async function checkBubblewrap(env: NodeJS.ProcessEnv, sandboxWanted: boolean): Promise<{ check: DoctorCheck; bwrap?: string }> {
  if (!sandboxWanted) return { check: warn('sandbox.bwrap', 'sandbox', 'not checked: --no-sandbox (agents would run unsandboxed)', 'drop --no-sandbox to run the agents under bubblewrap') };
  const probe = await probeSandbox(env);
  if (!probe.usable || !probe.bwrap) return { check: fail('sandbox.bwrap', 'sandbox', `${probe.reason}: a session would refuse to start (exit 6)`, INSTALL_BWRAP_HINT, EXIT.SAFETY) };
  return { check: ok('sandbox.bwrap', 'sandbox', `${probe.reason} creates a sandbox here`), bwrap: probe.bwrap };
}
