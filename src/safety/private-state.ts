import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { AgentId } from '../agents/agent-id.js';

/** The agent's private copy of one of its CLI's state places: `source` is bound writable at `dest`. */
export interface PrivateState {
  source: string;
  dest: string;
}

/** Bulky history the CLI does not need to log in or to run: not copied. */
const SKIP: Record<AgentId, string[]> = {
  claude: ['projects', 'todos', 'shell-snapshots', 'statsig', 'file-history', 'debug', 'logs', 'ide'],
  codex: ['sessions', 'archived_sessions', 'log', 'tmp', '.tmp'],
  gemini: ['tmp', 'history'],
};

/** The login each CLI may refresh during a run: the only thing that goes back to the person's files. */
const CREDENTIALS: Record<AgentId, string[]> = {
  claude: ['.credentials.json'],
  codex: ['auth.json'],
  gemini: ['oauth_creds.json'],
};

/**
 * Makes (once per session and agent) a private copy of each of the CLI's state places under
 * `copyRoot`, so the CLI finds its login and settings while nothing it writes (a hook in
 * settings.json, a user-tier policy) reaches the person's own files. A place that does not exist
 * yet starts empty (`.json` files as `{}`: claude expects ~/.claude.json to parse).
 */
export function privateStateCopies(agent: AgentId, originals: readonly string[], copyRoot: string): PrivateState[] {
  // the folders above: passable (the agent may run as the checkout's owner), not listable
  mkdirSync(path.dirname(copyRoot), { recursive: true, mode: 0o711 });
  mkdirSync(copyRoot, { recursive: true, mode: 0o700 });
  return originals.map((dest, i) => {
    const source = path.join(copyRoot, `${i}-${path.basename(dest)}`);
    if (!existsSync(source)) {
      const tmp = `${source}.partial`;
      if (isDir(dest))
        cpSync(dest, tmp, { recursive: true, filter: (src) => !SKIP[agent].includes(path.relative(dest, src).split(path.sep)[0] ?? '') });
      else if (existsSync(dest)) copyFileSync(dest, tmp);
      else if (dest.endsWith('.json')) writeFileSync(tmp, '{}\n', { mode: 0o600 });
      else mkdirSync(tmp, { mode: 0o700 });
      renameSync(tmp, source);
    }
    return { source, dest };
  });
}

/**
 * After a run: a login the CLI refreshed in its private copy goes back to the person's file, so
 * the next direct use of the CLI is still logged in. Only the known credential files, only over
 * one that exists, only valid JSON. Returns the files written.
 */
export function writeBackCredentials(agent: AgentId, copies: readonly PrivateState[]): string[] {
  const written: string[] = [];
  for (const { source, dest } of copies) {
    if (!isDir(source) || !isDir(dest)) continue;
    for (const name of CREDENTIALS[agent]) {
      const copy = path.join(source, name);
      const original = path.join(dest, name);
      if (!existsSync(copy) || !existsSync(original)) continue;
      const text = readFileSync(copy, 'utf8');
      if (text === readFileSync(original, 'utf8') || !isJson(text)) continue;
      writeFileSync(`${original}.orchestrate-new`, text, { mode: 0o600 });
      renameSync(`${original}.orchestrate-new`, original);
      written.push(original);
    }
  }
  return written;
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}
