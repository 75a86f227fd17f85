import { z } from 'zod';

/**
 * User additions to the built-in command policy, as they appear in the config file.
 * Rules match *simple commands* after quote removal and wrapper unwrapping (so `sudo terraform
 * apply` is seen both as `sudo terraform apply` and as `terraform apply`), never the raw line,
 * so dangerous text used as data does not trigger them.
 *
 * - `block` entries add blocks: `prefix` is matched word by word (`"terraform apply"` matches
 *   `terraform apply -auto-approve`, not `terraform applyx`); `pattern` is a JavaScript regular
 *   expression tested against the command's words joined by single spaces.
 * - `allow` entries turn a `confirm` into `allow` for matching commands (and for everything a
 *   matching wrapper runs). They never weaken a built-in `block`: the verdict stays `block` and
 *   its reason says which allow rule was ignored.
 */

const reason = z.string().trim().min(1, 'reason must not be empty');
const prefix = z
  .string()
  .trim()
  .min(1, 'prefix must not be empty')
  .refine((p) => p.split(/\s+/).length <= 32, 'prefix is too long');

function isValidRegExp(source: string): boolean {
  try {
    new RegExp(source);
    return true;
  } catch {
    return false;
  }
}

/** A block rule matched by a word prefix. */
export const BlockPrefixRuleSchema = z.object({ prefix, reason }).strict();
/** A block rule matched by a regular expression. */
export const BlockPatternRuleSchema = z
  .object({
    pattern: z.string().min(1).refine(isValidRegExp, 'pattern is not a valid regular expression'),
    reason,
  })
  .strict();
/** An allow rule (prefixes only: a regex allow is too easy to make too wide). */
export const AllowRuleSchema = z.object({ prefix, reason }).strict();

/** Config-file additions to the command policy. */
export const CommandPolicySchema = z
  .object({
    block: z.array(z.union([BlockPrefixRuleSchema, BlockPatternRuleSchema])).default([]),
    allow: z.array(AllowRuleSchema).default([]),
  })
  .strict();

/** Validated user additions (see `CommandPolicySchema`). */
export type CommandPolicy = z.infer<typeof CommandPolicySchema>;
/** The config-file shape before defaults are applied. */
export type CommandPolicyInput = z.input<typeof CommandPolicySchema>;

/** The empty policy: built-in rules only. */
export const EMPTY_COMMAND_POLICY: CommandPolicy = { block: [], allow: [] };

/** Validates config data; throws a `ZodError` listing the problems. */
export function parseCommandPolicy(input: unknown): CommandPolicy {
  return CommandPolicySchema.parse(input);
}

/** A compiled user rule. */
export interface CompiledUserRule {
  /** `block` or `allow`. */
  readonly kind: 'block' | 'allow';
  /** The text shown in reasons: the prefix or `/pattern/`. */
  readonly label: string;
  /** The user's reason. */
  readonly reason: string;
  /** Whether the rule matches a command's words. */
  readonly matches: (argv: readonly string[]) => boolean;
}

function prefixMatcher(p: string): (argv: readonly string[]) => boolean {
  const want = p.trim().split(/\s+/);
  return (argv) => want.length <= argv.length && want.every((w, i) => argv[i] === w);
}

const compiled = new WeakMap<CommandPolicy, readonly CompiledUserRule[]>();

/** Compiles (once per policy object) the user rules into matchers. */
export function compileUserRules(policy: CommandPolicy): readonly CompiledUserRule[] {
  const cached = compiled.get(policy);
  if (cached !== undefined) return cached;
  const rules: CompiledUserRule[] = [];
  for (const b of policy.block) {
    if ('prefix' in b) {
      rules.push({
        kind: 'block',
        label: b.prefix,
        reason: b.reason,
        matches: prefixMatcher(b.prefix),
      });
    } else {
      const re = new RegExp(b.pattern);
      rules.push({
        kind: 'block',
        label: `/${b.pattern}/`,
        reason: b.reason,
        matches: (argv) => re.test(argv.join(' ')),
      });
    }
  }
  for (const a of policy.allow) {
    rules.push({
      kind: 'allow',
      label: a.prefix,
      reason: a.reason,
      matches: prefixMatcher(a.prefix),
    });
  }
  compiled.set(policy, rules);
  return rules;
}
