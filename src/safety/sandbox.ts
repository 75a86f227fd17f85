import path from 'node:path';
import type { AgentId } from '../agents/agent-id.js';
import type { CommandSpec } from '../agents/adapter.js';

/** What the sandbox exposes for one agent launch. All paths absolute. */
export interface SandboxLayout {
  /** Writable: the target and any extra allowed roots. */
  writable: string[];
  /** Writable: the agent CLI's own state (auth, sessions). */
  agentState: string[];
  /** Read-only even when under a writable root: the session workspace (journal, other sessions). */
  readOnly: string[];
  /** Read-only, mounted before the writable binds (e.g. the agent's executable under /tmp). */
  readOnlyBelow?: string[];
  /** Hidden (replaced by an empty tmpfs or /dev/null): secrets and other agents' state. */
  hiddenDirs: string[];
  hiddenFiles: string[];
  /**
   * Read-only binds added last, so they win over everything above: `source` is shown at `dest`
   * (codex's generated execpolicy rules over `$CODEX_HOME/rules` inside its writable state dir).
   */
  extraReadOnlyBinds?: ReadonlyArray<{ source: string; dest: string }>;
  cwd: string;
  /**
   * Map the agent to this uid/gid inside (set when orchestrate runs as root). Mapping uid 0 in a
   * nested user namespace needs CAP_SETFCAP, which --cap-drop ALL removes, so codex's own bwrap
   * could not start; a non-zero uid nests fine and gives nothing back.
   */
  uid?: number;
}

/**
 * Wraps an agent command in bubblewrap. Pure: builds argv only.
 * `--unshare-user --cap-drop ALL` always (as root, bwrap without them lets the child remount / rw);
 * `--die-with-parent` so agents never outlive orchestrate; `--new-session` against TIOCSTI;
 * `/` read-only, a private /tmp, then the writable binds, then read-only re-binds on top, then the
 * extra read-only binds (layer-1 files) last.
 * The network stays shared: the CLIs must reach their model APIs.
 */
export function buildBwrapCommand(bwrap: string, command: CommandSpec, layout: SandboxLayout): CommandSpec {
  const args = [
    '--unshare-user',
    ...(layout.uid !== undefined ? ['--uid', String(layout.uid), '--gid', String(layout.uid)] : []),
    '--cap-drop', 'ALL',
    '--die-with-parent',
    '--new-session',
    '--unshare-pid',
    '--unshare-ipc',
    '--unshare-uts',
    '--ro-bind', '/', '/',
    '--dev', '/dev',
    '--proc', '/proc',
    '--tmpfs', '/tmp',
  ];
  for (const dir of layout.hiddenDirs) args.push('--tmpfs', dir);
  for (const file of layout.hiddenFiles) args.push('--ro-bind', '/dev/null', file);
  for (const dir of unique(layout.readOnlyBelow ?? [])) args.push('--ro-bind', dir, dir);
  for (const dir of unique([...layout.writable, ...layout.agentState])) args.push('--bind', dir, dir);
  for (const dir of unique(layout.readOnly)) args.push('--ro-bind', dir, dir);
  for (const bind of layout.extraReadOnlyBinds ?? []) args.push('--ro-bind', bind.source, bind.dest);
  args.push('--chdir', layout.cwd, '--', command.file, ...command.args);
  return { file: bwrap, args, env: command.env };
}

/** Where each CLI keeps its state, from the environment it will run with. */
export function agentStateDirs(agent: AgentId, env: Record<string, string>, home: string): string[] {
  switch (agent) {
    case 'claude':
      return [env['CLAUDE_CONFIG_DIR'] ?? path.join(home, '.claude'), path.join(home, '.claude.json')];
    case 'codex':
      return [env['CODEX_HOME'] ?? path.join(home, '.codex')];
    case 'gemini':
      return [path.join(env['GEMINI_CLI_HOME'] ?? home, '.gemini')];
  }
}

/** Secret locations hidden from every agent. */
export const SECRET_DIRS = ['.ssh', '.aws', '.gnupg', '.azure', '.kube', '.docker', '.config/gcloud', '.password-store'];
export const SECRET_FILES = ['.netrc', '.npmrc', '.pypirc', '.git-credentials'];

function unique(list: string[]): string[] {
  return [...new Set(list)];
}
