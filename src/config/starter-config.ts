import type { z } from 'zod';
import type { agentIdSchema } from './schema.js';

type AgentId = z.infer<typeof agentIdSchema>;

/** What `orchestrate init` knows about the target's machine when it writes the config. */
export interface StarterInput {
  /** `$schema`: the shipped JSON Schema, relative to the config file. */
  schemaRef: string;
  /** Each agent's CLI as found on PATH (its path), or undefined when not found. */
  found: Readonly<Record<AgentId, string | undefined>>;
}

/**
 * The commented starting config: every setting a person is likely to change, at its default,
 * with a line on what it does. Comments are allowed in the config (strip-comments.ts). Pure.
 */
export function starterConfig(input: StarterInput): string {
  const agent = (id: AgentId): string => {
    const where = input.found[id];
    const note = where ? `found: ${where}` : 'not found on PATH when this file was written: sessions skip it until it is installed';
    return `    "${id}": { "enabled": true }, // ${note}`;
  };
  return `{
  // Editors complete and check this file with orchestrate's JSON Schema (orchestrate ignores this key).
  "$schema": ${JSON.stringify(input.schemaRef)},

  // The agent CLIs. Per agent: "executable" (a name on PATH or a path), "model", extra "args",
  // "env" (values go to that agent only, never into the session files), "enabled": false to leave it out.
  "agents": {
${agent('claude')}
${agent('codex')}
${agent('gemini').replace(/,( \/\/)/, '$1')}
  },

  // The session's time budget (--timeout overrides it); each assignment ends at its share.
  "timeout": "30m",
  // Stop an agent that sent no event for this long; "0" turns the check off.
  "stallTimeout": "10m",

  // Agents work in a session copy under bubblewrap; folders they may also write (absolute paths).
  "sandbox": { "allowWrite": [] },

  // Your rules on top of the built-in command policy (docs/command-policy.md), by command prefix.
  "commands": {
    "block": [
      // { "prefix": "terraform apply", "reason": "infra changes go through CI" }
    ],
    "allow": [
      // { "prefix": "git push origin feature/", "reason": "our branches" }
    ]
  },

  // Headless runs: what a command that needs a person's yes gets ("deny" or "allow").
  "onConfirm": "deny",

  // Each agent's whole process tree: resident memory, and CPU in percent of one core (off unless set).
  "limits": { "memory": "4g" },

  // Peer reviews: one agent reviews another's work; "strict": a review with no independent reviewer fails the session.
  "review": { "enabled": true, "maxRounds": 2, "strict": false },

  // Relaunches per known failure cause, and the first wait between them (doubled each time).
  "recovery": { "maxAttempts": 2, "backoff": "2s" }
}
`;
}
