import path from 'node:path';

/**
 * Where requests and responses live under a session's `control/` directory. The supervisor
 * claims a request by moving it from `requests/` to `processed/` before acting, so a request is
 * handled at most once even across a restart, and a requester can withdraw one it gave up on.
 */
export interface ControlPaths {
  requests: string;
  processed: string;
  responses: string;
}

export function controlPaths(controlDir: string): ControlPaths {
  return {
    requests: path.join(controlDir, 'requests'),
    processed: path.join(controlDir, 'processed'),
    responses: path.join(controlDir, 'responses'),
  };
}

export function requestFile(paths: ControlPaths, id: string): string {
  return path.join(paths.requests, `${id}.json`);
}

export function processedFile(paths: ControlPaths, id: string): string {
  return path.join(paths.processed, `${id}.json`);
}

export function responseFile(paths: ControlPaths, id: string): string {
  return path.join(paths.responses, `${id}.json`);
}

/**
 * The request id a directory entry names, or undefined for anything that is not a finished
 * request file (the atomic writer's `*.tmp`, dotfiles, editors' backups).
 */
export function requestIdOf(fileName: string): string | undefined {
  if (fileName.startsWith('.') || !fileName.endsWith('.json')) return undefined;
  const id = fileName.slice(0, -'.json'.length);
  // only names that are safe to reuse as the response's file name
  return /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/.test(id) ? id : undefined;
}
