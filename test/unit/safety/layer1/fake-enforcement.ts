// The simulated CLIs' own rule readers (fixtures/agents/lib), so the generated files are checked
// the way the fakes read them. Loaded by URL: they are plain .mjs without type declarations.
import { fileURLToPath } from 'node:url';

const lib = (name: string): string => new URL(`../../../../fixtures/agents/lib/${name}`, import.meta.url).href;

export interface GeminiPolicyLib {
  parsePolicyToml(text: string): Array<Record<string, unknown>>;
  decideTool(
    rules: Array<Record<string, unknown>>,
    toolName: string,
    args: Record<string, unknown>,
  ): { decision: 'allow' | 'deny'; message?: string };
}
export interface CodexExecpolicyLib {
  parseRules(text: string): Array<{ pattern: unknown[]; decision: string; justification?: string }>;
  forbiddenRule(
    rules: Array<{ pattern: unknown[]; decision: string; justification?: string }>,
    command: string,
  ): { justification?: string } | undefined;
}
export interface ClaudePermissionsLib {
  loadClaudeSettings(opts: { cwd: string; settingsFlag?: string; settingSources?: string; env?: Record<string, string> }): {
    preToolUse: Array<{ matcher?: string; hooks?: Array<{ type: string; command: string; timeout?: number }> }>;
    allow: string[];
    deny: string[];
  };
  decideBash(opts: { command: string; mode: string; allow: string[]; deny: string[]; cwd: string; workingDirs: string[] }): {
    allow: boolean;
    denied?: { message: string };
  };
}

export const geminiPolicyLib = (): Promise<GeminiPolicyLib> => import(lib('gemini-policy.mjs')) as Promise<GeminiPolicyLib>;
export const codexExecpolicyLib = (): Promise<CodexExecpolicyLib> => import(lib('codex-execpolicy.mjs')) as Promise<CodexExecpolicyLib>;
export const claudePermissionsLib = (): Promise<ClaudePermissionsLib> =>
  import(lib('claude-permissions.mjs')) as Promise<ClaudePermissionsLib>;

/** The repository root (for bin/orchestrate.js). */
export const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
