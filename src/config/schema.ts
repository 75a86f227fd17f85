import { z } from 'zod';

/** An agent id as config spells it. */
export const agentIdSchema = z.enum(['claude', 'codex', 'gemini']);

/** The three roles of the default decomposition. */
export const roleSchema = z.enum(['design', 'implementation', 'validation']);

/** Per-agent settings: how to launch that CLI. */
export const agentConfigSchema = z
  .object({
    /** Executable name on PATH or a path; default the CLI's own name. */
    executable: z.string().min(1).optional(),
    /** Model passed with the CLI's model flag. */
    model: z.string().min(1).optional(),
    /** Extra arguments appended to the CLI's argv (before the prompt). */
    args: z.array(z.string()).default([]),
    /** Extra environment variables for that CLI (values are never written to the session). */
    env: z.record(z.string(), z.string()).default({}),
    /** false removes the agent from every tier. */
    enabled: z.boolean().default(true),
  })
  .strict();

/** `orchestrate.config.json`. Unknown keys are errors, so a typo never silently does nothing. */
export const configSchema = z
  .object({
    $schema: z.string().optional(),
    agents: z
      .object({
        claude: agentConfigSchema.optional(),
        codex: agentConfigSchema.optional(),
        gemini: agentConfigSchema.optional(),
      })
      .strict()
      .default({}),
    /** Preference list per role: the first available agent takes the role (see docs/plan.md). */
    roles: z
      .object({
        design: z.array(agentIdSchema).min(1).optional(),
        implementation: z.array(agentIdSchema).min(1).optional(),
        validation: z.array(agentIdSchema).min(1).optional(),
      })
      .strict()
      .default({}),
    /** Share of the time budget per role; re-normalised to sum to 1. */
    weights: z
      .object({
        design: z.number().positive().max(1).optional(),
        implementation: z.number().positive().max(1).optional(),
        validation: z.number().positive().max(1).optional(),
      })
      .strict()
      .default({}),
    /** Whole-session time budget, e.g. "30m", "90s", "1h". */
    timeout: z.string().optional(),
    /** Bound on each agent's version probe, e.g. "10s". */
    probeTimeout: z.string().optional(),
    /** Grace between SIGTERM and SIGKILL when stopping an agent's process group. */
    killGrace: z.string().optional(),
    /** Stop an agent that sent no event for this long, e.g. "10m"; "0" turns it off. */
    stallTimeout: z.string().optional(),
    /** The OS sandbox around every agent. */
    sandbox: z
      .object({
        /** Extra directories agents may write besides the target (absolute paths). */
        allowWrite: z.array(z.string().startsWith('/', 'must be an absolute path')).default([]),
      })
      .strict()
      .default({ allowWrite: [] }),
  })
  .strict();

export type AgentConfig = z.infer<typeof agentConfigSchema>;
export type OrchestrateConfig = z.infer<typeof configSchema>;
export type Role = z.infer<typeof roleSchema>;
