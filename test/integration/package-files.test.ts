import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/orchestrate-harness.js';

// What `npm pack` ships: what a user needs to run `orchestrate` (the built CLI, the dashboard's
// page, the config schema, the simulated agents the demo uses) and nothing else: no tests, no
// sources, no source maps, no recorded streams or other fixtures. Run after a build (npm test builds, from an empty dist/).
interface PackResult {
  name: string;
  files: Array<{ path: string }>;
}

function packedFiles(): PackResult {
  // --ignore-scripts: prepack would rebuild dist/ under the tests' feet
  const run = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    env: { ...process.env, npm_config_loglevel: 'silent' },
  });
  expect(run.status, run.stderr).toBe(0);
  return (JSON.parse(run.stdout) as PackResult[])[0]!;
}

/** Every shipped path matches one of these. */
const ALLOWED = [
  /^package\.json$/,
  /^README\.md$/,
  /^bin\/orchestrate\.js$/,
  /^dist\/.+\.js$/,
  /^orchestrate\.config\.schema\.json$/,
  /^src\/dashboard\/web\/public\/[^/]+\.(html|js|css)$/,
  /^fixtures\/agents\/(claude|codex|gemini|package\.json|README\.md)$/,
  /^fixtures\/agents\/lib\/[^/]+\.mjs$/,
];

describe('npm pack', () => {
  it('ships the CLI, its page, the schema and the simulated agents, and nothing else', () => {
    const pack = packedFiles();
    const pkg = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { name: string; bin: Record<string, string> };
    expect(pack.name).toBe('orchestrate-agents');
    expect(pkg.bin).toEqual({ orchestrate: './bin/orchestrate.js' });
    const files = pack.files.map((f) => f.path).sort();
    expect(files.filter((f) => !ALLOWED.some((re) => re.test(f)))).toEqual([]);
    for (const needed of [
      'bin/orchestrate.js',
      'dist/cli/bin.js',
      'dist/cli/commands/doctor.js',
      'dist/cli/commands/init.js',
      'dist/process/watchdog-main.js',
      'orchestrate.config.schema.json',
      'src/dashboard/web/public/index.html',
      'fixtures/agents/claude',
      'fixtures/agents/codex',
      'fixtures/agents/gemini',
      'fixtures/agents/lib/main.mjs',
    ]) {
      expect(files).toContain(needed);
    }
    // every compiled file has its source: no stale output of a deleted file ships
    const stale = files.filter(
      (f) => f.startsWith('dist/') && !existsSync(path.join(REPO_ROOT, 'src', f.slice('dist/'.length).replace(/\.js$/, '.ts'))),
    );
    expect(stale).toEqual([]);
    // every simulated-agent module the fakes import is shipped
    const libs = readFileSync(path.join(REPO_ROOT, 'fixtures/agents/lib/main.mjs'), 'utf8').match(/'\.\/[^']+\.mjs'/g) ?? [];
    for (const lib of libs) expect(files).toContain(`fixtures/agents/lib/${lib.slice(3, -1)}`);
  });
});
