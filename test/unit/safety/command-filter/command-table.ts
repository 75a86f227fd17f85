import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { CommandPolicySchema } from '../../../../src/config/command-policy.js';
import type { FilterContext } from '../../../../src/safety/command-filter/index.js';

/**
 * The command table: `command-table.json` beside this file (JSON so that
 * `bench/command-filter.mjs` can read it without TypeScript). Every row is re-decided under
 * COMMAND-POLICY.md, whatever the source project decides (its `note` says when we differ).
 */

/** Where a row came from. */
export const SOURCES = {
  policy: 'COMMAND-POLICY.md (rules, examples, wrappers, config)',
  style: 'shared/STYLE.md §7 adversarial table',
  dcg: 'Dicklesworthstone/destructive_command_guard tests/corpus/*.toml, tests/fixtures, tests/disk_tests.rs',
  'safety-net': 'kenryu42/claude-code-safety-net tests/core/rules-*.test.ts, tests/core/analyze/edge-cases.test.ts',
  codex: 'openai/codex core/src/command_safety/is_{dangerous,safe}_command.rs tests, execpolicy/tests/basic.rs',
  gemini: 'google-gemini/gemini-cli packages/core/src/utils/{shell-utils,command-classifier}.test.ts',
  families:
    'issue 15: the roads by which text becomes code (bash manual, git, interpreters, package runners, editors), written from the shell model',
} as const;

const RowSchema = z
  .object({
    cmd: z.string(),
    decision: z.enum(['allow', 'confirm', 'block']),
    rule: z.string().optional(),
    source: z.string().refine((s) => Object.keys(SOURCES).includes(s.split(':')[0] ?? ''), 'unknown source'),
    note: z.string().optional(),
    policy: CommandPolicySchema.optional(),
  })
  .strict();

/** One row of the table. */
export type CommandRow = z.infer<typeof RowSchema>;

/** The table, validated. */
export function loadCommandTable(): CommandRow[] {
  const raw: unknown = JSON.parse(readFileSync(new URL('./command-table.json', import.meta.url), 'utf8'));
  return z.array(RowSchema).parse(raw);
}

/** The context COMMAND-POLICY.md assumes for its examples. */
export const POLICY_CONTEXT: FilterContext = {
  cwd: '/workspace/project',
  workspaceRoots: ['/workspace/project'],
  home: '/home/dev',
  tmpDirs: ['/tmp', '/var/tmp'],
  user: 'dev',
};
