import { existsSync, readFileSync } from 'node:fs';

/** gemini's tools that run a command or write a file (HOOKS.md). */
export const GEMINI_HOOK_MATCHER = 'run_shell_command|write_file|replace';
/** The hook's name in gemini's settings (hooksConfig.disabled names hooks). */
export const GEMINI_HOOK_NAME = 'orchestrate-pre-execution';

/**
 * gemini's user settings with orchestrate's BeforeTool hook added: the person's own settings
 * (auth, model, telemetry) kept, hooks switched on and our hook never in a `disabled` list. The
 * file is bound read-only over `$GEMINI_CLI_HOME/.gemini/settings.json` in the sandbox, so the
 * agent cannot edit it; project settings are not read (orchestrate passes --skip-trust).
 */
export function buildGeminiSettings(userSettings: Record<string, unknown>, command: string, timeoutMs: number): Record<string, unknown> {
  const hooksConfig = isObject(userSettings['hooksConfig']) ? userSettings['hooksConfig'] : {};
  const hooks = isObject(userSettings['hooks']) ? userSettings['hooks'] : {};
  const theirs = Array.isArray(hooks['BeforeTool']) ? hooks['BeforeTool'] : [];
  return {
    ...userSettings,
    hooksConfig: { ...hooksConfig, enabled: true, disabled: [] },
    hooks: {
      ...hooks,
      BeforeTool: [
        { matcher: GEMINI_HOOK_MATCHER, hooks: [{ name: GEMINI_HOOK_NAME, type: 'command', command, timeout: timeoutMs }] },
        ...theirs,
      ],
    },
  };
}

/** The user's settings file as an object; `{}` when missing; throws with the reason when unreadable. */
export function readGeminiSettings(file: string): Record<string, unknown> {
  if (!existsSync(file)) return {};
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as unknown;
  if (!isObject(parsed)) throw new Error(`${file}: not a JSON object`);
  return parsed;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
