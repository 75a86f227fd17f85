import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';

/**
 * The layout the sandbox-plan tests build a plan over: a person's home with secrets and CLI state
 * (.ssh, .codex, .claude), a project with its .orchestrate workspace, and a state root; all in one
 * temp folder removed after the file's tests.
 */
export function sandboxLayout(prefix: string): { root: string; home: string; target: string; workspace: string; stateRoot: string } {
  const root = mkdtempSync(path.join(os.tmpdir(), prefix));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const home = path.join(root, 'home');
  const target = path.join(root, 'project');
  const workspace = path.join(target, '.orchestrate');
  for (const d of [path.join(home, '.ssh'), path.join(home, '.codex'), path.join(home, '.claude'), workspace])
    mkdirSync(d, { recursive: true });
  return { root, home, target, workspace, stateRoot: path.join(root, 'state') };
}
