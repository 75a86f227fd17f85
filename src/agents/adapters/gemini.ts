import type { AgentAdapter, CommandSpec, LaunchSpec } from '../adapter.js';
import { createGeminiParser } from './gemini-stream.js';

/** Always passed: without `-m` gemini uses "auto" routing, with extra classifier calls. */
export const GEMINI_DEFAULT_MODEL = 'gemini-2.5-flash';

/**
 * Builds `gemini -o stream-json -m <model> …` with the prompt on stdin (REFERENCE.md §2: a non-TTY
 * stdin makes gemini headless and is read as the prompt, up to 8 MiB; `-p` would be appended to it
 * and is limited to one argument's 128 KiB). Extra args go last.
 * Review mode uses `--approval-mode default`, not `plan`: in headless default mode the write
 * and shell tools are not offered to the model at all (recorded: gemini-noyolo), which is
 * read-only by construction; `plan` is untested headless and may need extra settings.
 */
export function buildGeminiCommand(spec: LaunchSpec): CommandSpec {
  const args = ['-o', 'stream-json', '-m', spec.model ?? GEMINI_DEFAULT_MODEL];
  // One comma-separated value, as the help documents (a path containing a comma cannot be passed).
  if (spec.addDirs.length > 0) args.push('--include-directories', spec.addDirs.join(','));
  // Without trust, headless gemini exits 55 before its first event.
  if (spec.context.trustTarget) args.push('--skip-trust');
  if (spec.policyFiles?.geminiPolicy !== undefined) args.push('--policy', spec.policyFiles.geminiPolicy);
  if (spec.mode === 'review') {
    args.push('--approval-mode', 'default');
  } else {
    args.push('--yolo');
  }
  // Sessions are per project (cwd): the spawner must resume in the same cwd.
  if (spec.resumeSessionId !== undefined) args.push('--resume', spec.resumeSessionId);
  args.push(...spec.extraArgs);
  return { file: spec.executable, args, env: {}, promptOnStdin: true };
}

/** Google Gemini CLI (`gemini -o stream-json`). */
export const geminiAdapter: AgentAdapter = {
  id: 'gemini',
  defaultExecutable: 'gemini',
  versionArgs: ['--version'],
  buildCommand: buildGeminiCommand,
  createParser: createGeminiParser,
};
