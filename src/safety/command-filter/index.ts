/**
 * The command filter: a pure classifier of shell command lines into `block`, `confirm` or
 * `allow` (see docs/command-policy.md and COMMAND-POLICY.md).
 */
export { classifyCommand, MAX_COMMAND_LENGTH } from './classify.js';
export type { Decision, FilterContext, Verdict, RuleId } from './types.js';
export { RULES, ruleSpec, DECISION_RANK } from '../policy/rules.js';
export type { RuleSpec } from '../policy/rules.js';
export { WRAPPERS } from '../policy/wrappers.js';
export { CommandPolicySchema, parseCommandPolicy, EMPTY_COMMAND_POLICY } from '../../config/command-policy.js';
export type { CommandPolicy, CommandPolicyInput } from '../../config/command-policy.js';
export { parseShell, ShellParseError, warmUpShellParser } from './parse-shell.js';
