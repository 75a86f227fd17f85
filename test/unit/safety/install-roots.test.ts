// The folders an executable needs inside the sandbox: where it is called from, where it really
// lives, its npm prefix and its interpreter (found on PATH for `#!/usr/bin/env node`).
import { chmodSync, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { installRoots } from '../../../src/safety/install-roots.js';

const roots: string[] = [];
afterEach(() => {
  for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true });
});

function world(): string {
  const root = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'orch-installroots-')));
  roots.push(root);
  return root;
}

describe('installRoots', () => {
  it('a linked npm CLI: its bin folder, its real folder, its npm prefix and the env interpreter from the first PATH entry having it', () => {
    const root = world();
    const pkg = path.join(root, 'prefix', 'node_modules', 'cli', 'dist');
    mkdirSync(pkg, { recursive: true });
    writeFileSync(path.join(pkg, 'cli.js'), '#!/usr/bin/env node\n');
    chmodSync(path.join(pkg, 'cli.js'), 0o755);
    mkdirSync(path.join(root, 'bin'));
    symlinkSync(path.join(pkg, 'cli.js'), path.join(root, 'bin', 'cli'));
    // PATH: a folder without node, a missing folder, then node as a link into an install
    mkdirSync(path.join(root, 'empty'));
    mkdirSync(path.join(root, 'nodes', 'v20', 'bin'), { recursive: true });
    writeFileSync(path.join(root, 'nodes', 'v20', 'bin', 'node'), '');
    mkdirSync(path.join(root, 'shims'));
    symlinkSync(path.join(root, 'nodes', 'v20', 'bin', 'node'), path.join(root, 'shims', 'node'));
    const PATH = [path.join(root, 'empty'), path.join(root, 'missing'), 'relative', path.join(root, 'shims')].join(':');
    expect(installRoots(path.join(root, 'bin', 'cli'), PATH).sort()).toEqual(
      [path.join(root, 'bin'), pkg, path.join(root, 'prefix'), path.join(root, 'shims'), path.join(root, 'nodes', 'v20', 'bin')].sort(),
    );
  });

  it('an interpreter named by path, an env interpreter on no PATH entry, a dangling link, a relative name', () => {
    const root = world();
    writeFileSync(path.join(root, 'tool'), '#!/opt/py/bin/python3 -u\n');
    expect(installRoots(path.join(root, 'tool'), '').sort()).toEqual([root, '/opt/py/bin'].sort());
    writeFileSync(path.join(root, 'tool2'), '#!/usr/bin/env nosuchinterpreter\n');
    expect(installRoots(path.join(root, 'tool2'), `${root}:/usr/bin`)).toEqual([root]);
    symlinkSync(path.join(root, 'gone', 'x'), path.join(root, 'dangling'));
    expect(installRoots(path.join(root, 'dangling'), '')).toEqual([root]);
    expect(installRoots('claude', '/usr/bin')).toEqual([]);
  });
});
