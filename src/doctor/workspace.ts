import { accessSync, constants, existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { EXIT, OrchestrateError } from '../errors.js';
import { stateRoot } from '../session/paths.js';
import { fail, ok, type DoctorCheck } from './check.js';

/**
 * The target and the workspace, checked by the very preflight a session runs (given by the
 * caller, cli/preflight.ts: doctor and a session cannot disagree), and orchestrate's state folder,
 * where the session copies go.
 */
export function checkWorkspace(input: {
  target: string;
  workspace: string;
  preflight: (target: string, workspace: string) => void;
  env: Readonly<Record<string, string | undefined>>;
}): DoctorCheck[] {
  const checks: DoctorCheck[] = [];
  if (!existsSync(input.target) || !statSync(input.target).isDirectory()) {
    return [
      fail(
        'workspace.target',
        'workspace',
        `--target: not a directory: ${input.target}`,
        'give the project directory the agents should work on (--target)',
        EXIT.USAGE,
      ),
    ];
  }
  try {
    input.preflight(input.target, input.workspace);
    checks.push(ok('workspace.writable', 'workspace', `target ${input.target} and workspace ${input.workspace} are writable`));
  } catch (error) {
    if (!(error instanceof OrchestrateError)) throw error;
    checks.push(
      fail('workspace.writable', 'workspace', error.message, error.hint ?? 'choose a --workspace this user may write', error.exitCode),
    );
  }
  const state = stateRoot(input.env);
  let dir = state;
  while (!existsSync(dir) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  try {
    accessSync(dir, constants.W_OK | constants.X_OK);
    checks.push(ok('workspace.state', 'workspace', `session copies go to ${state} (writable)`));
  } catch {
    checks.push(
      fail(
        'workspace.state',
        'workspace',
        `session copies go to ${state}, but ${dir} is not writable`,
        'set ORCHESTRATE_STATE_DIR to a folder this user may write, outside the project',
        EXIT.SAFETY,
      ),
    );
  }
  return checks;
}
