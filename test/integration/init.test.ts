import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CONFIG_SCHEMA_FILE, configJsonSchemaText } from '../../src/config/json-schema.js';
import { loadConfig } from '../../src/config/load.js';
import { stripJsonComments } from '../../src/config/strip-comments.js';
import { OrchestrateHarness, REPO_ROOT } from '../helpers/orchestrate-harness.js';

// `orchestrate init` through the CLI: a commented config that loads, whose `$schema` is the
// shipped schema; never over an existing file without --force.
let h: OrchestrateHarness;
afterEach(async () => h?.cleanup());

describe('orchestrate init', () => {
  it('writes a commented config that loads, with $schema pointing at the shipped schema', async () => {
    h = new OrchestrateHarness({ agents: ['claude', 'codex'] });
    const file = path.join(h.target, 'orchestrate.config.json');
    const exit = await h.cli(['init', '--target', h.target]);
    expect(exit.code, exit.stderr).toBe(0);
    expect(exit.stdout).toContain(`wrote ${file}`);
    const text = readFileSync(file, 'utf8');
    expect(text).toMatch(/^\s*\/\/ /m);
    expect(text).toContain(`"codex": { "enabled": true }, // found: `);
    expect(text).toContain('"gemini": { "enabled": true } // not found on PATH');
    const { config } = loadConfig(undefined, h.target);
    expect(config.timeout).toBe('30m');
    expect(config.agents.claude?.enabled).toBe(true);
    const ref = (JSON.parse(stripJsonComments(text)) as { $schema: string }).$schema;
    const schemaFile = path.resolve(h.target, ref);
    expect(schemaFile).toBe(path.join(REPO_ROOT, CONFIG_SCHEMA_FILE));
    expect(readFileSync(schemaFile, 'utf8')).toBe(configJsonSchemaText());
    // and a session's own check of it: doctor loads it
    const doctor = await h.cli(['doctor', '--target', h.target, '--no-sandbox', '--json']);
    expect(JSON.parse(doctor.stdout).checks[0]).toMatchObject({ id: 'config.valid', status: 'ok' });
  });

  it('refuses to overwrite an existing config without --force (exit 2, file unchanged); --force replaces it', async () => {
    h = new OrchestrateHarness();
    const file = path.join(h.target, 'orchestrate.config.json');
    writeFileSync(file, '{ "timeout": "5m" }\n');
    const refused = await h.cli(['init']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`${file} already exists; nothing was written`);
    expect(refused.stderr).toContain('--force');
    expect(readFileSync(file, 'utf8')).toBe('{ "timeout": "5m" }\n');
    const forced = await h.cli(['init', '--force']);
    expect(forced.code).toBe(0);
    expect(loadConfig(undefined, h.target).config.timeout).toBe('30m');
  });

  it('--print writes nothing and prints the config; --config names another file', async () => {
    h = new OrchestrateHarness();
    const printed = await h.cli(['init', '--print']);
    expect(printed.code).toBe(0);
    expect(existsSync(path.join(h.target, 'orchestrate.config.json'))).toBe(false);
    expect(printed.stdout).toContain('"$schema"');
    const other = path.join(h.root, 'conf', 'orch.json');
    mkdirSync(path.dirname(other));
    const written = await h.cli(['init', '--config', other]);
    expect(written.code).toBe(0);
    expect(loadConfig(other, h.target).file).toBe(other);
  });
});
