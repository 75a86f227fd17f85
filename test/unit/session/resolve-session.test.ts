import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/errors.js';
import { resolveSession, resolveWorkspace } from '../../../src/session/resolve-session.js';

const IDS = ['20261121-100000-aaaa', '20261121-100000-aabb', '20261122-090000-cccc'];
let root: string;
let workspace: string;

beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'resolve-'));
  workspace = path.join(root, 'project', '.orchestrate');
  for (const id of IDS) {
    mkdirSync(path.join(workspace, 'sessions', id), { recursive: true });
    writeFileSync(path.join(workspace, 'sessions', id, 'session.json'), '{}');
  }
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const dirOf = (id: string): string => path.join(workspace, 'sessions', id);

function usageError(fn: () => unknown): UsageError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).exitCode).toBe(2);
    return error as UsageError;
  }
  throw new Error('expected a UsageError');
}

describe('resolveSession', () => {
  it('takes an exact id', () => {
    expect(resolveSession('20261121-100000-aaaa', workspace, root)).toEqual({
      id: '20261121-100000-aaaa',
      dir: dirOf('20261121-100000-aaaa'),
    });
  });

  it('takes a unique prefix', () => {
    expect(resolveSession('20261122', workspace, root).id).toBe('20261122-090000-cccc');
    expect(resolveSession('20261121-100000-aab', workspace, root).id).toBe('20261121-100000-aabb');
  });

  it('rejects an ambiguous prefix, listing the matches', () => {
    const error = usageError(() => resolveSession('20261121-100000-aa', workspace, root));
    expect(error.message).toContain('20261121-100000-aaaa');
    expect(error.message).toContain('20261121-100000-aabb');
    expect(error.message).not.toContain('cccc');
  });

  it('"last" is the newest id', () => {
    expect(resolveSession('last', workspace, root)).toEqual({ id: '20261122-090000-cccc', dir: dirOf('20261122-090000-cccc') });
  });

  it('takes a session directory path, absolute or relative to the cwd', () => {
    const dir = dirOf('20261121-100000-aabb');
    expect(resolveSession(dir, workspace, root)).toEqual({ id: '20261121-100000-aabb', dir });
    const elsewhere = mkdtempSync(path.join(os.tmpdir(), 'resolve-other-'));
    try {
      // the path wins even when the workspace given is not the session's own
      expect(resolveSession(path.relative(root, dir), path.join(elsewhere, 'none'), root).dir).toBe(dir);
      expect(resolveSession(`./${path.relative(path.dirname(dir), dir)}`, workspace, path.dirname(dir)).dir).toBe(dir);
    } finally {
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  it('rejects an unknown id naming the workspace searched, and a path that is not a session', () => {
    const error = usageError(() => resolveSession('2030', workspace, root));
    expect(error.message).toContain(path.join(workspace, 'sessions'));
    expect(usageError(() => resolveSession(path.join(root, 'project'), workspace, root)).message).toContain('not a session directory');
    expect(usageError(() => resolveSession('', workspace, root)).message).toContain('no session');
  });

  it('"last" in a workspace without sessions is a usage error', () => {
    expect(usageError(() => resolveSession('last', path.join(root, 'empty'), root)).message).toContain(
      path.join(root, 'empty', 'sessions'),
    );
  });
});

describe('resolveWorkspace', () => {
  it('defaults to <target>/.orchestrate, target defaulting to the cwd', () => {
    expect(resolveWorkspace('/w', {})).toBe('/w/.orchestrate');
    expect(resolveWorkspace('/w', { target: 'p' })).toBe('/w/p/.orchestrate');
    expect(resolveWorkspace('/w', { target: 'p', workspace: '../ws' })).toBe('/ws');
  });
});
