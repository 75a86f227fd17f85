import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { AgentId } from '../agents/agent-id.js';
import { AGENT_IDS } from '../agents/agent-id.js';
import { isWithin } from '../safety/command-filter/paths.js';
import { agentStateDirs, buildBwrapCommand, SECRET_DIRS, SECRET_FILES } from '../safety/sandbox.js';
import type { SandboxPlan, WrapContext } from './sandbox-plan.js';

/** What the bubblewrap plan needs to know about the session. */
export interface BwrapPlanInput {
  bwrap: string;
  reason: string;
  target: string;
  workspace: string;
  /** Extra writable roots from config (`sandbox.allowWrite`). */
  allowWrite: readonly string[];
  home: string;
  /** orchestrate runs as uid 0: agents get SANDBOX_UID inside (see SandboxLayout.uid). */
  runAsRoot: boolean;
}

/** The uid (and gid) a root-run agent has inside the sandbox; files it writes stay root's outside. */
export const SANDBOX_UID = 1000;

/**
 * The active sandbox: every agent runs in bubblewrap with only the target, its own state and the
 * configured roots writable, the session workspace read-only, and secrets and the other agents'
 * state hidden.
 */
export function bwrapSandboxPlan(input: BwrapPlanInput): SandboxPlan {
  return {
    active: true,
    reason: input.reason,
    wrap(command, ctx: WrapContext) {
      const home = ctx.env['HOME'] ?? input.home;
      const own = agentStateDirs(ctx.agent, ctx.env, home);
      prepareStateDirs(own);
      const others = AGENT_IDS.filter((a: AgentId) => a !== ctx.agent)
        .flatMap((a) => agentStateDirs(a, ctx.env, home))
        .filter((p) => !own.some((o) => isWithin(p, o) || isWithin(o, p)));
      const hiddenDirs = [...SECRET_DIRS.map((d) => path.join(home, d)), ...others].filter((p) => isDir(p));
      const hiddenFiles = [...SECRET_FILES.map((f) => path.join(home, f)), ...others].filter((p) => existsSync(p) && !isDir(p));
      const work = ctx.workDir ?? input.target;
      const writable = [work, ...input.allowWrite, ...(ctx.extraWritable ?? [])].filter((p) => existsSync(p));
      // An executable under a temp dir would vanish behind the private /tmp: show the top-level
      // temp folder it lives in read-only (a CLI package reads files beside its own folder).
      const execRoot = tempRoot(command.file);
      const readOnlyBelow = execRoot ? [execRoot] : [];
      const readOnly = [input.workspace, ...(work === input.target ? [] : [input.target])].filter((p) => existsSync(p));
      const wrapped = buildBwrapCommand(input.bwrap, command, {
        writable,
        agentState: own.filter((p) => existsSync(p)),
        readOnly,
        readOnlyBelow,
        hiddenDirs,
        hiddenFiles,
        extraReadOnlyBinds: (ctx.extraReadOnlyBinds ?? []).filter((b) => existsSync(b.source)),
        cwd: work,
        ...(input.runAsRoot ? { uid: SANDBOX_UID } : {}),
      });
      // Inside, /tmp is a private tmpfs; point TMPDIR there (codex refuses CODEX_HOME under TMPDIR).
      return { ...wrapped, env: { ...wrapped.env, TMPDIR: '/tmp' } };
    },
  };
}

/** State dirs must exist to be bound; claude's `~/.claude.json` is a file it expects to write. */
function prepareStateDirs(paths: string[]): void {
  for (const p of paths) {
    if (existsSync(p)) continue;
    if (p.endsWith('.json')) {
      mkdirSync(path.dirname(p), { recursive: true });
      writeFileSync(p, '{}\n', { flag: 'wx' });
    } else {
      mkdirSync(p, { recursive: true });
    }
  }
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** `/tmp/x/y/z` → `/tmp/x` (likewise /var/tmp); undefined outside the temp dirs. */
function tempRoot(p: string): string | undefined {
  const match = /^(\/tmp|\/var\/tmp)\/[^/]+/.exec(p);
  return match?.[0];
}
