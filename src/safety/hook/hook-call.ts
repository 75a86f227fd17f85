import path from 'node:path';
import type { AgentId } from '../../agents/agent-id.js';

/** What one CLI hook call asks about, in the CLI-neutral form the decision point judges. */
export type HookCall =
  | { kind: 'shell'; tool: string; command: string; cwd?: string; toolId?: string }
  | { kind: 'write'; tool: string; paths: string[]; cwd?: string; toolId?: string }
  | { kind: 'other'; tool: string };

/** Tools whose input names files they write: claude's file tools, gemini's, codex's apply_patch. */
const FILE_TOOLS: Record<string, string> = {
  Write: 'file_path',
  Edit: 'file_path',
  MultiEdit: 'file_path',
  NotebookEdit: 'notebook_path',
  write_file: 'file_path',
  replace: 'file_path',
};
const SHELL_TOOLS = new Set(['Bash', 'run_shell_command']);

/**
 * Reads a hook's stdin (HOOKS.md: claude and codex `PreToolUse`, gemini `BeforeTool`; samples in
 * hook-samples/). Throws with the reason on anything malformed: the caller blocks.
 */
export function parseHookCall(cli: AgentId, text: string): HookCall {
  const input = JSON.parse(text) as unknown;
  if (typeof input !== 'object' || input === null) throw new Error('the hook input is not a JSON object');
  const o = input as Record<string, unknown>;
  const tool = o['tool_name'];
  if (typeof tool !== 'string') throw new Error('the hook input has no tool_name');
  const toolInput = (typeof o['tool_input'] === 'object' && o['tool_input'] !== null ? o['tool_input'] : {}) as Record<string, unknown>;
  const cwd = typeof o['cwd'] === 'string' && path.isAbsolute(o['cwd']) ? o['cwd'] : undefined;
  const toolId = typeof o['tool_use_id'] === 'string' ? o['tool_use_id'] : undefined;
  const where = { ...(cwd !== undefined ? { cwd } : {}), ...(toolId !== undefined ? { toolId } : {}) };
  if (cli === 'codex' && tool === 'apply_patch') {
    const patch = toolInput['command'] ?? toolInput['patch'] ?? toolInput['input'];
    if (typeof patch !== 'string') throw new Error('the apply_patch call has no patch text');
    return { kind: 'write', tool, paths: patchPaths(patch), ...where };
  }
  if (SHELL_TOOLS.has(tool)) {
    const command = toolInput['command'];
    if (typeof command !== 'string') throw new Error(`the ${tool} call has no command string`);
    // gemini runs a command in `dir_path` (relative to its cwd) when the model names one.
    const dir = toolInput['dir_path'];
    if (typeof dir === 'string' && dir !== '' && cwd !== undefined)
      return { kind: 'shell', tool, command, ...where, cwd: path.resolve(cwd, dir) };
    return { kind: 'shell', tool, command, ...where };
  }
  const field = FILE_TOOLS[tool];
  if (field !== undefined) {
    const file = toolInput[field];
    if (typeof file !== 'string' || file === '') throw new Error(`the ${tool} call has no ${field}`);
    return { kind: 'write', tool, paths: [file], ...where };
  }
  return { kind: 'other', tool };
}

/**
 * Every file an apply_patch touches: the `*** Add File:`, `*** Update File:`, `*** Delete File:`
 * and `*** Move to:` lines of codex's patch format.
 */
export function patchPaths(patch: string): string[] {
  const out: string[] = [];
  for (const m of patch.matchAll(/^\*\*\* (?:Add File|Update File|Delete File|Move to): (.+?)\s*$/gm)) out.push(m[1]!);
  return out;
}
