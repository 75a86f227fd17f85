import { runCaptured } from './run-captured.js';

/** Whether bubblewrap can really sandbox here, and why not when it cannot. */
export interface SandboxProbe {
  usable: boolean;
  bwrap?: string;
  version?: string;
  reason: string;
}

/**
 * Finds `bwrap` and runs it once with the flags orchestrate needs (user namespace, all caps
 * dropped, read-only /). Installed but unusable (user namespaces disabled) counts as unusable.
 */
export async function probeSandbox(env: NodeJS.ProcessEnv): Promise<SandboxProbe> {
  const bounds = { env, timeoutMs: 10_000, killAfterMs: 1000 };
  const run = await runCaptured(
    'bwrap',
    ['--unshare-user', '--cap-drop', 'ALL', '--die-with-parent', '--ro-bind', '/', '/', '--', 'true'],
    bounds,
  );
  if (run.startError?.code === 'ENOENT') return { usable: false, reason: 'bubblewrap (bwrap) is not installed' };
  if (run.exitCode !== 0)
    return {
      usable: false,
      reason: `bwrap cannot create a sandbox here: ${(run.startError?.message ?? run.all).trim().split('\n')[0]}`,
    };
  const version = (await runCaptured('bwrap', ['--version'], bounds)).stdout.trim();
  return { usable: true, bwrap: 'bwrap', version, reason: `bubblewrap ${version.replace(/^bubblewrap /, '')}` };
}

/** The message shown when the sandbox is missing and `--no-sandbox` was not given. */
export const INSTALL_BWRAP_HINT =
  'install bubblewrap (Debian/Ubuntu: sudo apt-get install bubblewrap; Fedora: sudo dnf install bubblewrap), ' +
  'or run with --no-sandbox to accept running the agents unsandboxed (recorded in the session)';
