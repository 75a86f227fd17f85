import { readdirSync } from 'node:fs';
import path from 'node:path';
import { sessionsDir } from './paths.js';
import { readSessionRecord, type SessionRecord } from './session-record.js';

/** The session directory names of a workspace, oldest first (ids sort by start time). Empty when there is none. */
export function sessionIds(workspace: string): string[] {
  try {
    return readdirSync(sessionsDir(workspace), { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      .sort();
  } catch {
    return [];
  }
}

/** Every session of a workspace, newest first; damaged ones are listed as `unreadable`, never thrown. */
export function listSessions(workspace: string): SessionRecord[] {
  return sessionIds(workspace)
    .reverse()
    .map((id) => readSessionRecord(path.join(sessionsDir(workspace), id)));
}
