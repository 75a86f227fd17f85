import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../errors.js';
import { configSchema, type OrchestrateConfig } from './schema.js';
import { formatIssues, where } from './format-issues.js';
import { parseDuration } from './duration.js';
import { parseJsonFile } from './parse-json.js';
import { stripJsonComments } from './strip-comments.js';

/** The config file looked up in the target when `--config` is not given. */
export const DEFAULT_CONFIG_NAME = 'orchestrate.config.json';

/** A loaded config and where it came from (undefined when defaults only). */
export interface LoadedConfig {
  config: OrchestrateConfig;
  file?: string;
  /** sha256 of the bytes read (journaled in session.started). */
  sha256?: string;
}

/**
 * Loads `--config <file>`, else `<target>/orchestrate.config.json` when present, else defaults.
 * Errors name the file, the field and the fix.
 */
export function loadConfig(explicitFile: string | undefined, targetDir: string): LoadedConfig {
  const file = explicitFile ? path.resolve(explicitFile) : path.join(targetDir, DEFAULT_CONFIG_NAME);
  if (!existsSync(file)) {
    if (explicitFile) throw new ConfigError(`config file not found: ${file}`, 'check the --config path');
    return { config: configSchema.parse({}) };
  }
  const bytes = readFileSync(file);
  return { config: parseConfigText(bytes.toString('utf8'), file), file, sha256: createHash('sha256').update(bytes).digest('hex') };
}

/** Validates config text (JSON, comments allowed); exported for tests and for `--config -` style callers. */
export function parseConfigText(text: string, file = 'config'): OrchestrateConfig {
  const source = { file, text: stripJsonComments(text) };
  const raw = parseJsonFile(source.text, file, 'fix the JSON syntax; the file must hold one object');
  const result = configSchema.safeParse(raw);
  if (!result.success) {
    throw new ConfigError(
      `${file}: invalid config\n${formatIssues(result.error, 5, source)}`,
      'see "Config file" in the README for every field',
    );
  }
  for (const key of ['timeout', 'probeTimeout', 'killGrace', 'stallTimeout'] as const) {
    if (result.data[key] === '0') continue;
    const value = result.data[key];
    if (value !== undefined && parseDuration(value) === undefined) {
      throw new ConfigError(`${where(source, { path: [key] })}: ${key}: not a duration: "${value}"`, 'use e.g. "90s", "15m" or "1h"');
    }
  }
  return result.data;
}
