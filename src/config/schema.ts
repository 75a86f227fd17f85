import { z } from 'zod';
import { CommandPolicySchema } from './command-policy.js';

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
    /** Session cost ceiling in USD (`--max-cost`), split over the assignments by weight. */
    maxCost: z.number().positive().optional(),
    /** Session token ceiling, input plus output of every agent (`--max-tokens`). */
    maxTokens: z.number().int().positive().optional(),
    /** Prices for models the built-in table lacks or has wrong: USD per million tokens (src/budget/prices.ts). */
    prices: z.record(z.string(), z.object({ input: z.number().min(0), output: z.number().min(0) }).strict()).default({}),
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
        /** Extra places agents may read where they would be hidden (e.g. ~/.gitconfig; absolute paths). */
        allowRead: z.array(z.string().startsWith('/', 'must be an absolute path')).default([]),
        /** Names of variables of orchestrate's environment passed to every agent (`NAME` or a prefix `NAME_*`). */
        passEnv: z.array(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*\*?$/, 'use a variable name, or a prefix ending in *')).default([]),
        /** "allowlist": egress only to each CLI's API and `allowHosts` (default); "host": the host's network as is. */
        network: z.enum(['allowlist', 'host']).default('allowlist'),
        /** Hosts every agent may reach besides its CLI's API: `host`, `host:port`, `.suffix` (e.g. "registry.npmjs.org"). */
        allowHosts: z
          .array(z.string().regex(/^(\.?[A-Za-z0-9.-]+|\[[0-9a-fA-F:]+\])(:\d{1,5})?$/, 'use "host", "host:port" or ".suffix"'))
          .default([]),
      })
      .strict()
      .default({ allowWrite: [], allowRead: [], passEnv: [], network: 'allowlist', allowHosts: [] }),
    /** Additions to the built-in command policy (docs/command-policy.md): block rules, allow rules. */
    commands: CommandPolicySchema.default({ block: [], allow: [] }),
    /** What a confirm-class command gets when nobody can be asked (headless): "deny" (default) or "allow". */
    onConfirm: z.enum(['deny', 'allow']).optional(),
    /** Per-agent resource limits, sampled over the agent's whole process tree. */
    limits: z
      .object({
        /** Resident memory of the tree, e.g. "4g", "512m". */
        memory: z
          .string()
          .regex(/^\d+(\.\d+)?\s*[kmgKMG]?[bB]?$/, 'use e.g. "4g" or "512m"')
          .optional(),
        /** Processes (threads included) per agent, enforced by the kernel where a cgroup is available. */
        processes: z.number().int().min(8).optional(),
        /** Size of each private tmpfs of an agent (/tmp, $TMPDIR, its home), e.g. "1g". */
        tmp: z
          .string()
          .regex(/^\d+(\.\d+)?\s*[kmgKMG]?[bB]?$/, 'use e.g. "1g" or "512m"')
          .optional(),
        /** CPU of the tree in percent of one core (200 = two cores). */
        cpu: z.number().positive().optional(),
        /** Consecutive samples over a limit before the agent is stopped (a warning comes first). */
        samples: z.number().int().min(1).max(100).optional(),
        /** Time between samples, e.g. "2s". */
        interval: z.string().optional(),
      })
      .strict()
      .default({}),
    /** Peer reviews (README "Peer reviews"). */
    review: z
      .object({
        /** false: no review runs at all (the summary says so). */
        enabled: z.boolean().default(true),
        /** Fallback timer: review a running assignment this long after its last review, e.g. "15m"; "0" turns it off. */
        timer: z.string().optional(),
        /** Revision rounds an assignment may get before a request for changes escalates. */
        maxRounds: z.number().int().min(0).max(10).default(2),
        /** A degraded review (no independent reviewer) fails the session. */
        strict: z.boolean().default(false),
        /** Who reviews whose work: author → reviewer. */
        matrix: z
          .object({ claude: agentIdSchema.optional(), codex: agentIdSchema.optional(), gemini: agentIdSchema.optional() })
          .strict()
          .default({}),
      })
      .strict()
      .default({ enabled: true, maxRounds: 2, strict: false, matrix: {} }),
    /** Automatic recovery from catalogued failures (README "Recovery"). */
    recovery: z
      .object({
        /** Relaunches per cause before giving up on it. */
        maxAttempts: z.number().int().min(0).max(10).default(2),
        /** First backoff between attempts, doubled each time, e.g. "2s". */
        backoff: z.string().optional(),
      })
      .strict()
      .default({ maxAttempts: 2 }),
  })
  .strict();

export type AgentConfig = z.infer<typeof agentConfigSchema>;
export type OrchestrateConfig = z.infer<typeof configSchema>;
export type Role = z.infer<typeof roleSchema>;
