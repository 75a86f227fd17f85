import type { AgentAdapter, CommandSpec, LaunchSpec } from '../adapter.js';
import { createCodexParser } from './codex-stream.js';

/** A model slug codex 0.169 knows; an unknown slug degrades its tool set (REFERENCE.md §2). */
export const CODEX_DEFAULT_MODEL = 'gpt-5.5';

/**
 * `-c approval_policy="never"`: nobody can answer an approval prompt in `exec`, so failures go
 * straight back to the model. `codex exec -a` is rejected and `--full-auto` was removed (exit 2).
 */
const APPROVAL_NEVER = ['-c', 'approval_policy="never"'];

/** TOML string (JSON string syntax is valid TOML basic-string syntax). */
function tomlString(value: string): string {
  return JSON.stringify(value);
}

/**
 * Builds `codex exec --json … -` or, to resume, `codex exec resume --json … <thread_id> -`, the
 * prompt on stdin (REFERENCE.md §2, fixtures/cli-help/codex-exec*.txt: `-` reads it from stdin).
 *
 * Order: the subcommand words come first (`exec`, `resume`) because clap binds options to the
 * subcommand they follow; then options; then extra args; the positionals (thread id, prompt)
 * last, where a trailing option cannot take them as a value.
 */
export function buildCodexCommand(spec: LaunchSpec): CommandSpec {
  const resuming = spec.resumeSessionId !== undefined;
  const args = resuming ? ['exec', 'resume', '--json'] : ['exec', '--json'];
  const sandboxMode = spec.mode === 'review' ? 'read-only' : 'workspace-write';

  if (!resuming) {
    args.push('-C', spec.cwd);
    for (const dir of spec.addDirs) args.push('--add-dir', dir);
  }
  args.push('-m', spec.model ?? CODEX_DEFAULT_MODEL);
  if (!spec.context.targetIsGitRepo) args.push('--skip-git-repo-check');
  // Stops the plugin-marketplace `git ls-remote https://github.com/…` at startup (offline).
  args.push('--disable', 'plugins');
  // Stops the default metrics exporter (ab.chatgpt.com), seen in strace by the compat suite.
  args.push('-c', 'otel.metrics_exporter="none"');

  if (resuming) {
    // `exec resume` has no -s/-C/--add-dir. The same settings go through `-c` config overrides:
    // `sandbox_mode` is the key behind -s, and `sandbox_workspace_write.writable_roots` the one
    // behind --add-dir (extra writable roots; only meaningful in workspace-write). The working
    // root is the process cwd, which the spawner sets to spec.cwd.
    args.push('-c', `sandbox_mode=${tomlString(sandboxMode)}`);
    if (sandboxMode === 'workspace-write' && spec.addDirs.length > 0) {
      args.push('-c', `sandbox_workspace_write.writable_roots=[${spec.addDirs.map(tomlString).join(',')}]`);
    }
  } else {
    args.push('-s', sandboxMode);
  }
  args.push(...APPROVAL_NEVER);
  args.push(...(spec.policyFiles?.codexHookFlags ?? []));
  if (spec.mode === 'review' && spec.outputSchema !== undefined) {
    args.push('--output-schema', spec.outputSchema.file);
  }

  args.push(...spec.extraArgs);
  if (spec.resumeSessionId !== undefined) args.push(spec.resumeSessionId);
  // `-`: the prompt is read from stdin (`codex exec --help`), so its size has no argv limit
  args.push('-');
  return { file: spec.executable, args, env: {}, promptOnStdin: true };
}

/** OpenAI Codex CLI (`codex exec --json`). */
export const codexAdapter: AgentAdapter = {
  id: 'codex',
  defaultExecutable: 'codex',
  versionArgs: ['--version'],
  buildCommand: buildCodexCommand,
  createParser: createCodexParser,
};
