/**
 * The command policy's rules as data: one entry per rule of COMMAND-POLICY.md (v1), with the
 * one-line reason a verdict carries. `docs/command-policy.md` lists this table; a unit test
 * checks that every id here is hit by at least one row of the command table.
 */

/** What the filter tells the supervisor to do with a command. */
export type Decision = 'allow' | 'confirm' | 'block';

/** Strictness order: block > confirm > allow. */
export const DECISION_RANK: Readonly<Record<Decision, number>> = { allow: 0, confirm: 1, block: 2 };

/** One rule of the policy. */
export interface RuleSpec {
  /** Stable id, `<decision>.<name>`. */
  readonly id: string;
  /** The decision the rule produces. */
  readonly decision: Decision;
  /** Where COMMAND-POLICY.md states it (`block 1`, `confirm 4`, `fail-closed`, `config`). */
  readonly policyRef: string;
  /** One-line reason shown to the person. */
  readonly reason: string;
}

export const RULES = [
  {
    id: 'block.recursive-delete-outside',
    decision: 'block',
    policyRef: 'block 1',
    reason: 'recursive delete of a path outside the workspace and temp dirs',
  },
  {
    id: 'block.workspace-wipe',
    decision: 'block',
    policyRef: 'block 2',
    reason: 'recursive delete of the workspace root or its git history',
  },
  {
    id: 'block.recursive-delete-unknown-targets',
    decision: 'block',
    policyRef: 'block 3',
    reason: 'recursive delete whose targets come from stdin (xargs/parallel)',
  },
  {
    id: 'block.critical-file',
    decision: 'block',
    policyRef: 'block 4',
    reason: 'deletes or overwrites a critical system file',
  },
  {
    id: 'block.disk-destruction',
    decision: 'block',
    policyRef: 'block 5',
    reason: 'destroys a disk, partition table, filesystem or block device',
  },
  {
    id: 'block.fork-bomb',
    decision: 'block',
    policyRef: 'block 6',
    reason: 'fork bomb: spawns processes without bound',
  },
  {
    id: 'block.permissions-system',
    decision: 'block',
    policyRef: 'block 7',
    reason: 'changes permissions or ownership of /, home or a system dir, or weakens credentials',
  },
  {
    id: 'block.host-control',
    decision: 'block',
    policyRef: 'block 8',
    reason: 'shuts down, reboots or kills the host',
  },
  {
    id: 'block.git-destructive',
    decision: 'block',
    policyRef: 'block 9',
    reason: 'destroys uncommitted work or local git history',
  },
  {
    id: 'block.git-force-push',
    decision: 'block',
    policyRef: 'block 9',
    reason: 'force-push rewrites remote history',
  },
  {
    id: 'block.obfuscation',
    decision: 'block',
    policyRef: 'block 10',
    reason: 'obfuscated command',
  },
  {
    id: 'block.interpreter-one-liner',
    decision: 'block',
    policyRef: 'block 11',
    reason: 'interpreter one-liner runs a block-class action',
  },
  {
    id: 'block.unparseable-dangerous',
    decision: 'block',
    policyRef: 'fail-closed',
    reason: 'could not parse the command, and it contains a block-class command',
  },
  {
    id: 'block.user-rule',
    decision: 'block',
    policyRef: 'config',
    reason: 'blocked by a configured rule',
  },
  {
    id: 'confirm.external-action',
    decision: 'confirm',
    policyRef: 'confirm 1',
    reason: 'externally visible action (push, PR, release or publish)',
  },
  {
    id: 'confirm.install',
    decision: 'confirm',
    policyRef: 'confirm 2',
    reason: 'installs third-party code',
  },
  {
    id: 'confirm.privilege',
    decision: 'confirm',
    policyRef: 'confirm 3',
    reason: 'raises privilege (sudo, doas, su, pkexec)',
  },
  {
    id: 'confirm.remote-code',
    decision: 'confirm',
    policyRef: 'confirm 4',
    reason: 'runs code downloaded from the network',
  },
  {
    id: 'confirm.dynamic-code',
    decision: 'confirm',
    policyRef: 'confirm 4',
    reason: 'runs code that cannot be seen before it runs',
  },
  {
    id: 'confirm.unresolved-delete-target',
    decision: 'confirm',
    policyRef: 'confirm 5',
    reason: 'recursive delete of a target that cannot be resolved',
  },
  {
    id: 'confirm.write-outside',
    decision: 'confirm',
    policyRef: 'confirm 6',
    reason: 'writes or deletes outside the workspace and temp dirs',
  },
  {
    id: 'confirm.unparseable',
    decision: 'confirm',
    policyRef: 'confirm 7',
    reason: 'could not parse the command',
  },
  {
    id: 'confirm.infra-destruction',
    decision: 'confirm',
    policyRef: 'confirm 8',
    reason: 'destroys remote or infrastructure resources',
  },
  {
    id: 'confirm.git-recovery-data',
    decision: 'confirm',
    policyRef: 'confirm 9',
    reason: 'destroys git recovery data (reflog, unreachable objects)',
  },
  {
    id: 'allow.default',
    decision: 'allow',
    policyRef: 'allow',
    reason: 'no rule matched: read-only, workspace-local or data',
  },
  {
    id: 'allow.user-rule',
    decision: 'allow',
    policyRef: 'config',
    reason: 'allowed by a configured rule',
  },
] as const satisfies readonly RuleSpec[];

/** Every rule id. */
export type RuleId = (typeof RULES)[number]['id'];

const BY_ID = new Map<string, RuleSpec>(RULES.map((r) => [r.id, r]));

/** The rule with this id. */
export function ruleSpec(id: RuleId): RuleSpec {
  const spec = BY_ID.get(id);
  if (spec === undefined) throw new Error(`unknown rule id ${id}`);
  return spec;
}
