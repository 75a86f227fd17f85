import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { CommandPolicySchema } from '../../config/command-policy.js';

/**
 * What `orchestrate hook claude --context <file>` needs, written beside the settings file:
 * the session's real paths (the filter context), the user's rules and how long to wait for a
 * person. The confirm endpoint is not in it: it comes in the environment (ORCHESTRATE_CONFIRM).
 */
export const HookContextSchema = z
  .object({
    version: z.literal(1),
    agent: z.enum(['claude', 'codex', 'gemini']),
    assignment: z.string().min(1).optional(),
    filterContext: z
      .object({
        cwd: z.string().startsWith('/'),
        workspaceRoots: z.array(z.string().startsWith('/')).min(1),
        home: z.string().startsWith('/'),
        tmpDirs: z.array(z.string().startsWith('/')),
        user: z.string().optional(),
      })
      .strict(),
    policy: CommandPolicySchema,
    /** The hook's bound on a confirm answer, in ms; then it blocks. */
    confirmWaitMs: z.number().int().positive(),
  })
  .strict();

export type HookContext = z.infer<typeof HookContextSchema>;

/** Reads and validates a context file; throws with the reason. */
export function readHookContext(file: string): HookContext {
  return HookContextSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
}
