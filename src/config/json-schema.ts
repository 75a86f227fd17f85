import { z } from 'zod';
import { configSchema } from './schema.js';

/** The shipped file's name, at the package's root (package.json `files`). */
export const CONFIG_SCHEMA_FILE = 'orchestrate.config.schema.json';

/** What an editor shows on hover for the top-level fields (the zod schema carries none). */
const DESCRIPTIONS: Record<string, string> = {
  $schema: "This file's JSON Schema, for editors; orchestrate ignores it.",
  agents: 'Per agent: executable, model, extra args and env, enabled.',
  roles: 'Preference list per role: the first available agent takes the role.',
  weights: 'Share of the time budget per role; re-normalised to sum to 1.',
  timeout: 'The session\'s time budget, e.g. "30m", "90s", "1h30m".',
  probeTimeout: 'Bound on each agent\'s --version probe, e.g. "10s".',
  killGrace: 'Time between SIGTERM and SIGKILL when stopping an agent\'s process group, e.g. "5s".',
  stallTimeout: 'Stop an agent that sent no event for this long, e.g. "10m"; "0" turns it off.',
  sandbox: 'The bubblewrap sandbox around every agent.',
  commands: 'Additions to the built-in command policy: block and allow rules by prefix.',
  onConfirm: 'Headless: what a confirm-class command gets, "deny" (default) or "allow".',
  limits: 'Per-agent resource limits over its whole process tree (memory, cpu, samples, interval).',
  review: 'Peer reviews: enabled, timer, maxRounds, strict, matrix.',
  recovery: 'Automatic recovery from catalogued failures: maxAttempts, backoff.',
};

/**
 * The config's JSON Schema, generated from the zod schema (the input side: fields with a default
 * are optional). `allowComments` is VS Code's extension: the config may hold comments
 * (config/strip-comments.ts). scripts/write-config-schema.mjs writes it; a test keeps the shipped file equal.
 */
export function configJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(configSchema, { io: 'input' }) as Record<string, unknown> & {
    properties?: Record<string, Record<string, unknown>>;
  };
  for (const [key, text] of Object.entries(DESCRIPTIONS)) {
    const prop = schema.properties?.[key];
    if (prop) prop['description'] = text;
  }
  return { ...schema, title: 'orchestrate.config.json', description: 'Config of orchestrate (README "Config file").', allowComments: true };
}

/** The file's exact text: 2-space JSON and a final newline. */
export function configJsonSchemaText(): string {
  return `${JSON.stringify(configJsonSchema(), null, 2)}\n`;
}
