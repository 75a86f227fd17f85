import { accessSync, constants, existsSync, statSync } from 'node:fs';
import path from 'node:path';
import type { AgentId } from '../agents/agent-id.js';
import type { OrchestrateConfig } from '../config/schema.js';
import { UsageError } from '../errors.js';
import { loadPlanFile } from '../plan/plan-file.js';

/**
 * What can be checked before any probing, so a mistake is reported at once, on stderr, and
 * leaves no session behind: the target and workspace are usable by this user, and the plan file
 * is valid for the agents the session may use.
 */
export function preflight(input: {
  target: string;
  workspace: string;
  planFile?: string;
  task: string;
  agents: readonly AgentId[];
  config: OrchestrateConfig;
  timeoutMs: number;
}): void {
  checkTargetAndWorkspace(input.target, input.workspace);
  if (input.planFile) {
    const usable = input.agents.filter((a) => input.config.agents[a]?.enabled !== false);
    loadPlanFile(input.planFile, input.task, usable, input.timeoutMs);
  }
}

/** The target and the workspace are usable by this user (also run by `orchestrate doctor`). */
export function checkTargetAndWorkspace(target: string, workspace: string): void {
  mustWrite('--target', target, 'the agents edit the target: run as a user who may write it, or choose another --target');
  // the workspace may not exist yet: its nearest existing ancestor must let us create it
  let dir = workspace;
  while (!existsSync(dir) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  if (existsSync(dir) && !statSync(dir).isDirectory())
    throw new UsageError(`--workspace: not a directory: ${dir}`, 'give a directory for the session files');
  mustWrite('--workspace', dir, 'sessions are written there: choose a --workspace this user may write');
}

function mustWrite(flag: string, dir: string, hint: string): void {
  try {
    accessSync(dir, constants.W_OK | constants.X_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'EROFS' ? 'on a read-only file system' : 'permission denied';
    throw new UsageError(`${flag}: cannot write ${dir}: ${why}`, hint);
  }
}
