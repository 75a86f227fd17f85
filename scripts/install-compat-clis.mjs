#!/usr/bin/env node
// Installs the pinned real agent CLIs for the compatibility suite (docs/compat.md) into a cache
// directory outside the project's node_modules, and prints their executable paths as JSON.
//
//   node scripts/install-compat-clis.mjs          # install if needed, print {"claude":…,"codex":…,"gemini":…}
//
// Cache root: $ORCHESTRATE_COMPAT_CACHE, else ~/.cache/orchestrate-compat. The CLIs go to
// <root>/<versions-hash>/, so a change of pinned version gets a fresh directory. A run whose
// directory already holds the pinned versions and whose three `--version` answer installs nothing.
// Any failure prints what failed and exits 1: the suite must never skip silently.
//
// Also importable: `import { ensureCompatClis } from './install-compat-clis.mjs'`.

import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The pinned sets (docs/compat.md). `pinned`: the versions the adapters and recordings were made
 * with (shared/agents/REFERENCE.md §1; change them together). `newest`: the newest releases seen,
 * so a CLI's move is caught before users meet it. ORCHESTRATE_COMPAT_SET picks one (default pinned).
 */
export const COMPAT_SETS = Object.freeze({
  pinned: Object.freeze({
    claude: { pkg: '@anthropic-ai/claude-code', version: '2.1.330', bin: 'claude' },
    codex: { pkg: '@openai/codex', version: '0.169.0', bin: 'codex' },
    gemini: { pkg: '@google/gemini-cli', version: '0.61.0', bin: 'gemini' },
  }),
  newest: Object.freeze({
    claude: { pkg: '@anthropic-ai/claude-code', version: '2.1.332', bin: 'claude' },
    codex: { pkg: '@openai/codex', version: '0.171.0', bin: 'codex' },
    gemini: { pkg: '@google/gemini-cli', version: '0.61.0', bin: 'gemini' },
  }),
});

function selectSet(env = process.env) {
  const name = env.ORCHESTRATE_COMPAT_SET || 'pinned';
  const set = COMPAT_SETS[name];
  if (!set) {
    process.stderr.write(`[compat] ORCHESTRATE_COMPAT_SET=${name}: unknown set (known: ${Object.keys(COMPAT_SETS).join(', ')})\n`);
    process.exit(1);
  }
  return set;
}

/** The set this run installs and tests. */
export const PINNED = selectSet();

export function cacheRoot(env = process.env) {
  return resolve(env.ORCHESTRATE_COMPAT_CACHE || join(homedir(), '.cache', 'orchestrate-compat'));
}

export function versionsHash() {
  const specs = Object.values(PINNED)
    .map((p) => `${p.pkg}@${p.version}`)
    .sort()
    .join('\n');
  return createHash('sha256').update(specs).digest('hex').slice(0, 12);
}

export function installDir(env = process.env) {
  return join(cacheRoot(env), versionsHash());
}

/** Where each CLI's executable is once installed (npm's .bin links). */
export function executables(dir = installDir()) {
  const out = {};
  for (const [id, p] of Object.entries(PINNED)) out[id] = join(dir, 'node_modules', '.bin', p.bin);
  return out;
}

class InstallError extends Error {}

function installedVersion(dir, pkg) {
  const file = join(dir, 'node_modules', ...pkg.split('/'), 'package.json');
  try {
    return JSON.parse(readFileSync(file, 'utf8')).version;
  } catch {
    return undefined;
  }
}

/** Runs `<exe> --version` offline; resolves to its first output line or rejects with an InstallError. */
function probeVersion(id, exe) {
  return new Promise((resolveProbe, reject) => {
    const child = spawn(exe, ['--version'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 60_000,
      // No network for a version probe.
      env: {
        ...process.env,
        DISABLE_AUTOUPDATER: '1',
        DISABLE_TELEMETRY: '1',
        CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
        GEMINI_CLI_NO_RELAUNCH: 'true',
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    child.on('error', (e) => reject(new InstallError(`${id}: running \`${exe} --version\` failed: ${e.message}`)));
    child.on('close', (code, signal) => {
      if (code !== 0) {
        reject(new InstallError(`${id}: \`${exe} --version\` exited ${code ?? signal}: ${(stderr || stdout).trim().slice(0, 500)}`));
        return;
      }
      const line = stdout.trim().split('\n')[0] ?? '';
      if (!line.includes(PINNED[id].version)) {
        reject(new InstallError(`${id}: \`${exe} --version\` answered "${line}", expected ${PINNED[id].version}`));
        return;
      }
      resolveProbe(line);
    });
  });
}

/** Checks `dir`: { problems (empty: usable), versions (each CLI's `--version` line) }. */
async function checkInstall(dir) {
  const problems = [];
  const versions = {};
  const exes = executables(dir);
  await Promise.all(
    Object.entries(PINNED).map(async ([id, p]) => {
      const v = installedVersion(dir, p.pkg);
      if (v !== p.version) {
        problems.push(`${p.pkg}: ${v ? `version ${v} installed` : 'not installed'}, want ${p.version}`);
        return;
      }
      if (!existsSync(exes[id])) {
        problems.push(`${id}: executable ${exes[id]} missing`);
        return;
      }
      try {
        versions[id] = await probeVersion(id, exes[id]);
      } catch (e) {
        problems.push(e.message);
      }
    }),
  );
  return { problems, versions };
}

/**
 * Makes sure the pinned CLIs are installed; resolves to { dir, executables, versions, installed, seconds }.
 * Rejects with an Error naming what failed.
 */
export async function ensureCompatClis({ env = process.env, log = (m) => process.stderr.write(`${m}\n`) } = {}) {
  const started = process.hrtime.bigint();
  const dir = installDir(env);
  let installed = false;
  let check = existsSync(dir) ? await checkInstall(dir) : { problems: ['not installed yet'], versions: {} };
  if (check.problems.length > 0) {
    installed = true;
    mkdirSync(dir, { recursive: true });
    const pkgJson = join(dir, 'package.json');
    if (!existsSync(pkgJson)) {
      writeFileSync(pkgJson, `${JSON.stringify({ name: 'orchestrate-compat-clis', private: true }, null, 2)}\n`);
    }
    const specs = Object.values(PINNED).map((p) => `${p.pkg}@${p.version}`);
    log(`[compat] installing ${specs.join(' ')} into ${dir} (${check.problems.join('; ')})`);
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const r = spawnSync(npm, ['install', '--prefix', dir, '--no-audit', '--no-fund', '--save-exact', '--loglevel', 'error', ...specs], {
      // npm's own report ("added 11 packages") goes to stderr: stdout carries only our JSON.
      stdio: ['ignore', 2, 'inherit'],
      env: { ...env, npm_config_update_notifier: 'false' },
    });
    if (r.error) throw new InstallError(`npm install could not start: ${r.error.message}`);
    if (r.status !== 0) {
      throw new InstallError(`npm install ${specs.join(' ')} --prefix ${dir} exited ${r.status ?? r.signal}`);
    }
    check = await checkInstall(dir);
    if (check.problems.length > 0) throw new InstallError(`after npm install: ${check.problems.join('; ')}`);
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { dir, executables: executables(dir), versions: check.versions, installed, seconds };
}

const isMain = process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  try {
    const r = await ensureCompatClis();
    process.stdout.write(`${JSON.stringify(r.executables, null, 2)}\n`);
    process.stderr.write(
      `[compat] ${r.installed ? 'installed' : 'already installed (cached)'} in ${r.dir}; ` +
        `elapsed ${r.seconds.toFixed(1)} s; ${Object.entries(r.versions)
          .map(([id, v]) => `${id} ${v}`)
          .join(', ')}\n`,
    );
  } catch (e) {
    process.stderr.write(`[compat] FAILED to install the real CLIs for the compat suite: ${e.message}\n`);
    process.exit(1);
  }
}
