import { copyFileSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { AgentId } from '../../agents/agent-id.js';
import type { LaunchSpec } from '../../agents/adapter.js';
import type { FilterContext } from '../command-filter/types.js';
import type { CommandPolicy } from '../../config/command-policy.js';
import { CONFIRM_ENV, formatEndpoint, type ConfirmEndpoint } from '../confirm/endpoint.js';
import { buildClaudeSettings } from './claude-settings.js';
import { buildCodexRules } from './codex-rules.js';
import { buildGeminiPolicy } from './gemini-policy.js';
import type { HookContext } from './hook-context.js';
import { buildCodexHookFlags } from './codex-hook-flags.js';
import { buildGeminiSettings, readGeminiSettings } from './gemini-settings.js';
import { hookCommand, hookTimeoutSec, type HookEndpoint } from './hook-command.js';

/** A read-only bind the sandbox adds after its own binds (so it wins over a writable state dir). */
export interface ReadOnlyBind {
  source: string;
  dest: string;
}

/** What one launch needs for safety layer 1. */
export interface Enforcement {
  /** For LaunchSpec.policyFiles (claude `--settings`, gemini `--policy`). */
  policyFiles: NonNullable<LaunchSpec['policyFiles']>;
  /** Added to the agent's environment (the confirm endpoint). */
  env: Record<string, string>;
  /** For WrapContext.extraReadOnlyBinds (codex rules over $CODEX_HOME/rules, the hook's files). */
  extraReadOnlyBinds: ReadOnlyBind[];
  /** What layer 1 does not cover for this launch, for the journal and summary. */
  notes: string[];
}

export interface EnforcementInput {
  sessionDir: string;
  agent: AgentId;
  /** Names the files' folder and the confirm requests; default the agent. */
  assignment?: string;
  filterContext: FilterContext;
  policy: CommandPolicy;
  /** The session's confirm broker; without it confirm-class commands are blocked by claude's hook. */
  confirm?: ConfirmEndpoint;
  /** The command that runs orchestrate, e.g. `[process.execPath, <abs path of bin/orchestrate.js>]`. */
  orchestrateBin: string[];
  /** orchestrate's bubblewrap sandbox is active for this launch (codex's rules need its bind). */
  sandboxed: boolean;
  /** The agent's environment (CODEX_HOME); default HOME from the filter context. */
  agentEnv?: Record<string, string>;
  /** gemini and codex cannot ask the broker: their static confirm prefixes are denied unless `allow`. */
  confirmFallback?: 'deny' | 'allow';
  /** How long claude's hook waits for the broker, in ms (the broker's own bound plus a margin). */
  confirmWaitMs?: number;
  /** The session's decision point: when given, every CLI gets a pre-execution hook that asks it. */
  hook?: HookEndpoint;
}

/** Default bound of the hook's wait for a confirm answer: 2 minutes for a person, plus margin. */
export const DEFAULT_CONFIRM_WAIT_MS = 125_000;
/** Seconds claude gives the hook beyond the wait: node start and the parser load. */
const HOOK_STARTUP_SEC = 30;

/**
 * Writes one launch's enforcement files under `<sessionDir>/policy/<assignment or agent>/`
 * (the session workspace is read-only inside the sandbox, so the agent cannot edit them) and
 * says how to launch with them. One policy, three dialects: claude gets a PreToolUse hook that
 * runs the full filter; gemini a `--policy` TOML and codex execpolicy rules with the prefixes
 * the CLI can match. Layer 2 (the stream guard) still checks every command.
 */
export function writeEnforcement(input: EnforcementInput): Enforcement {
  const dir = path.join(input.sessionDir, 'policy', safeName(input.assignment ?? input.agent));
  mkdirSync(dir, { recursive: true, mode: 0o755 });
  const home = input.filterContext.home;
  const denyConfirmPrefixes = input.confirmFallback !== 'allow';
  const binds = tempRootBinds(input.orchestrateBin);
  const unsandboxed = input.sandboxed
    ? []
    : [
        `${input.agent}: without the sandbox the agent could rewrite its layer-1 files in ${dir}; the stream guard (layer 2) still stops block-class commands`,
      ];
  if (input.hook && (input.agent !== 'gemini' || input.sandboxed)) return withHook(input, input.hook, dir, unsandboxed);
  switch (input.agent) {
    case 'claude': {
      const contextFile = path.join(dir, 'hook-context.json');
      const waitMs = input.confirmWaitMs ?? DEFAULT_CONFIRM_WAIT_MS;
      const context: HookContext = {
        version: 1,
        agent: input.agent,
        ...(input.assignment ? { assignment: input.assignment } : {}),
        filterContext: { ...input.filterContext },
        policy: input.policy,
        confirmWaitMs: waitMs,
      };
      writeFileSync(contextFile, `${JSON.stringify(context, null, 2)}\n`, { mode: 0o644 });
      const settingsFile = path.join(dir, 'claude-settings.json');
      const settings = buildClaudeSettings({
        hookArgv: [...input.orchestrateBin, 'hook', 'claude', '--context', contextFile],
        hookTimeoutSec: Math.ceil(waitMs / 1000) + HOOK_STARTUP_SEC,
        policy: input.policy,
      });
      writeFileSync(settingsFile, `${JSON.stringify(settings, null, 2)}\n`, { mode: 0o644 });
      return {
        policyFiles: { claudeSettings: settingsFile },
        env: input.confirm ? { [CONFIRM_ENV]: formatEndpoint(input.confirm) } : {},
        extraReadOnlyBinds: binds,
        notes: [...(input.confirm ? [] : ['claude: no confirm broker, so confirm-class commands are blocked by the hook']), ...unsandboxed],
      };
    }
    case 'gemini': {
      const file = path.join(dir, 'gemini-policy.toml');
      writeFileSync(file, buildGeminiPolicy({ policy: input.policy, home, denyConfirmPrefixes }), { mode: 0o644 });
      return {
        policyFiles: { geminiPolicy: file },
        env: {},
        extraReadOnlyBinds: [],
        notes: [
          'gemini: layer 1 denies only the fixed block-class prefixes (and confirm-class ones it cannot ask about); gemini hooks are not used (not verified against the real CLI), the stream guard covers the rest',
          ...unsandboxed,
        ],
      };
    }
    case 'codex': {
      const rulesDir = path.join(dir, 'codex-rules');
      mkdirSync(rulesDir, { recursive: true, mode: 0o755 });
      const codexHome = input.agentEnv?.['CODEX_HOME'] ?? path.join(input.agentEnv?.['HOME'] ?? home, '.codex');
      const ownRules = path.join(codexHome, 'rules');
      // The bind hides the user's own rules: carry them over (read only; nothing is written there).
      for (const name of listRules(ownRules)) copyFileSync(path.join(ownRules, name), path.join(rulesDir, `user-${name}`));
      writeFileSync(path.join(rulesDir, 'orchestrate.rules'), buildCodexRules({ policy: input.policy, home, denyConfirmPrefixes }), {
        mode: 0o644,
      });
      if (!input.sandboxed) {
        return {
          policyFiles: {},
          env: {},
          extraReadOnlyBinds: [],
          notes: [
            `codex: layer 1 is off without the sandbox (its rules must be in $CODEX_HOME/rules, and orchestrate does not write into ${codexHome}); the stream guard (layer 2) still stops block-class commands`,
          ],
        };
      }
      return {
        policyFiles: {},
        env: {},
        extraReadOnlyBinds: [{ source: rulesDir, dest: ownRules }],
        notes: [
          'codex: layer 1 forbids only the fixed block-class prefixes, and only in plain scripts codex can split; the stream guard covers the rest',
        ],
      };
    }
  }
}

/**
 * Layer 1 through the session's decision point (HOOKS.md): claude a PreToolUse hook on shell and
 * file tools in `--settings`, no user or project settings read; gemini a BeforeTool hook in its
 * user settings, bound read-only in the sandbox; codex a hash-trusted PreToolUse hook given as
 * `-c` flags, plus its execpolicy rules for the fixed block-class prefixes.
 */
function withHook(input: EnforcementInput, hook: HookEndpoint, dir: string, unsandboxed: string[]): Enforcement {
  const waitMs = input.confirmWaitMs ?? DEFAULT_CONFIRM_WAIT_MS;
  const command = hookCommand(input.agent, hook, waitMs);
  const timeoutSec = hookTimeoutSec(waitMs);
  const hookBinds = hook.dirs.map((d) => ({ source: d, dest: d }));
  switch (input.agent) {
    case 'claude': {
      const settingsFile = path.join(dir, 'claude-settings.json');
      const settings = buildClaudeSettings({ hookCommand: command, hookTimeoutSec: timeoutSec, policy: input.policy });
      writeFileSync(settingsFile, `${JSON.stringify(settings, null, 2)}\n`, { mode: 0o644 });
      return {
        policyFiles: { claudeSettings: settingsFile, claudeOnlyFlagSettings: true },
        env: {},
        extraReadOnlyBinds: hookBinds,
        notes: unsandboxed,
      };
    }
    case 'gemini': {
      const home = input.agentEnv?.['GEMINI_CLI_HOME'] ?? input.agentEnv?.['HOME'] ?? input.filterContext.home;
      const userFile = path.join(home, '.gemini', 'settings.json');
      const file = path.join(dir, 'gemini-settings.json');
      writeFileSync(file, `${JSON.stringify(buildGeminiSettings(readGeminiSettings(userFile), command, timeoutSec * 1000), null, 2)}\n`, {
        mode: 0o644,
      });
      // A bind needs its mount point; an empty settings file is what gemini assumes anyway.
      if (!existsSync(userFile)) {
        mkdirSync(path.dirname(userFile), { recursive: true });
        writeFileSync(userFile, '{}\n', { flag: 'wx' });
      }
      return { policyFiles: {}, env: {}, extraReadOnlyBinds: [...hookBinds, { source: file, dest: userFile }], notes: [] };
    }
    case 'codex': {
      const rules = writeEnforcement({ ...input, confirmFallback: 'allow', hook: undefined } as EnforcementInput);
      return {
        policyFiles: { codexHookFlags: buildCodexHookFlags(command, timeoutSec) },
        env: {},
        extraReadOnlyBinds: [...rules.extraReadOnlyBinds, ...hookBinds],
        notes: input.sandboxed ? [] : rules.notes,
      };
    }
  }
}

function listRules(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((n) => n.endsWith('.rules'))
      .sort();
  } catch {
    return [];
  }
}

/** The hook's node and orchestrate under /tmp would vanish behind the sandbox's private /tmp. */
function tempRootBinds(argv: string[]): ReadOnlyBind[] {
  const roots = new Set<string>();
  for (const p of argv.filter((a) => path.isAbsolute(a))) {
    const m = /^(\/tmp|\/var\/tmp)\/[^/]+/.exec(p);
    if (m) roots.add(m[0]);
  }
  return [...roots].map((r) => ({ source: r, dest: r }));
}

function safeName(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]/g, '_') || 'agent';
}
