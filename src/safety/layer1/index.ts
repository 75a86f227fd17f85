/** Safety layer 1: each CLI's own enforcement points, generated per launch from the one policy. */
export {
  writeEnforcement,
  DEFAULT_CONFIRM_WAIT_MS,
  type Enforcement,
  type EnforcementInput,
  type ReadOnlyBind,
} from './write-enforcement.js';
export { runClaudeHook, type HookOutcome } from './claude-hook.js';
export { buildClaudeSettings } from './claude-settings.js';
export { buildGeminiPolicy } from './gemini-policy.js';
export { buildCodexRules } from './codex-rules.js';
