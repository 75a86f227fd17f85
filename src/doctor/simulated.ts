import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The simulated CLIs shipped with orchestrate (fixtures/agents), for the demo and tests. */
const SIMULATED_DIR = fileURLToPath(new URL('../../fixtures/agents/', import.meta.url));

/** True when `executable` (a resolved real path) is one of the simulated agents: they need no login. */
export function isSimulatedAgent(executable: string | undefined): boolean {
  return executable !== undefined && path.dirname(executable) === path.resolve(SIMULATED_DIR);
}
