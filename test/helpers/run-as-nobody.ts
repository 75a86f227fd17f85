import { spawnSync } from 'node:child_process';
import { ORCHESTRATE_BIN } from './orchestrate-harness.js';

/** The argv prefix that runs a command as uid/gid 65534 ("nobody"), with no supplementary groups. */
export const AS_NOBODY = ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'];

/**
 * Why the tests that drop to "nobody" cannot run here, or undefined when they can: they need root,
 * setpriv, and a checkout that user can read (a clone under root's 0700 home is not).
 */
export const CANNOT_RUN_AS_NOBODY: string | undefined = (() => {
  if (process.getuid?.() !== 0) return 'not root: cannot drop to another user';
  if (spawnSync('setpriv', ['--help'], { stdio: 'ignore' }).status !== 0) return 'setpriv (util-linux) is missing';
  const probe = spawnSync(AS_NOBODY[0]!, [...AS_NOBODY.slice(1), process.execPath, ORCHESTRATE_BIN, '--version'], { encoding: 'utf8' });
  return probe.status === 0 ? undefined : `uid 65534 cannot run ${ORCHESTRATE_BIN} (${probe.stderr.trim().split('\n')[0]})`;
})();
