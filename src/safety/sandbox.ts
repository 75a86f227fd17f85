import path from 'node:path';
import type { AgentId } from '../agents/agent-id.js';
import type { CommandSpec } from '../agents/adapter.js';
import type { Mount } from './mount-plan.js';

/** What the sandbox exposes for one agent launch. */
export interface SandboxLayout {
  /** From planMounts: applied in this order after the read-only root, /dev and /proc. */
  mounts: readonly Mount[];
  cwd: string;
  /**
   * Map the agent to this uid/gid inside (set when orchestrate runs as root). Mapping uid 0 in a
   * nested user namespace needs CAP_SETFCAP, which --cap-drop ALL removes, so codex's own bwrap
   * could not start; a non-zero uid nests fine and gives nothing back.
   */
  uid?: number;
  /** A file descriptor the child inherits holding a seccomp program (see seccomp-setid.ts). */
  seccompFd?: number;
  /** A network namespace of its own (only loopback): egress goes through orchestrate's proxy. */
  unshareNet?: boolean;
}

/**
 * Wraps an agent command in bubblewrap. Pure: builds argv only.
 * `--unshare-user --cap-drop ALL` always (as root, bwrap without them lets the child remount / rw);
 * `--die-with-parent` so agents never outlive orchestrate; `--new-session` against TIOCSTI;
 * `/` read-only, then the planned mounts parents first (mount-plan.ts).
 * With `unshareNet` the agent has only loopback; otherwise the host's network.
 */
export function buildBwrapCommand(bwrap: string, command: CommandSpec, layout: SandboxLayout): CommandSpec {
  const args = [
    '--unshare-user',
    ...(layout.uid !== undefined ? ['--uid', String(layout.uid), '--gid', String(layout.uid)] : []),
    '--cap-drop',
    'ALL',
    '--die-with-parent',
    '--new-session',
    '--unshare-pid',
    '--unshare-ipc',
    '--unshare-uts',
    ...(layout.unshareNet ? ['--unshare-net'] : []),
    '--ro-bind',
    '/',
    '/',
    '--dev',
    '/dev',
    '--proc',
    '/proc',
  ];
  for (const m of layout.mounts) {
    if (m.op === 'hideFile') args.push('--ro-bind', '/dev/null', m.dest);
    else if (m.op === 'bind') args.push(m.readOnly ? '--ro-bind' : '--bind', m.source, m.dest);
    else {
      if (m.sizeBytes !== undefined) args.push('--size', String(m.sizeBytes));
      args.push('--tmpfs', m.dest);
      if (m.readOnly) args.push('--remount-ro', m.dest);
    }
  }
  if (layout.seccompFd !== undefined) args.push('--seccomp', String(layout.seccompFd));
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
