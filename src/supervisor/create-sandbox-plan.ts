import { existsSync, lchownSync, lstatSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { AgentId } from '../agents/agent-id.js';
import { AGENT_IDS } from '../agents/agent-id.js';
import { isWithin } from '../paths.js';
import { installRoots } from '../safety/install-roots.js';
import { planMounts, type MountPlan } from '../safety/mount-plan.js';
import { privateStateCopies, writeBackCredentials } from '../safety/private-state.js';
import { agentStateDirs, buildBwrapCommand, SECRET_DIRS, SECRET_FILES } from '../safety/sandbox.js';
import { sandboxRules, type AgentLayout } from '../safety/sandbox-rules.js';
import { prepareRunNetwork } from '../safety/network/run-network.js';
import type { RunSandboxExtras, SandboxPlan, WrapContext } from './sandbox-plan.js';

/** What the bubblewrap plan needs to know about the session. */
export interface BwrapPlanInput {
  bwrap: string;
  reason: string;
  /** The working copy the agents write (today the target itself). */
  target: string;
  /** The person's own checkout, when the agents work on a copy of it elsewhere: read-only inside. */
  checkout?: string;
  workspace: string;
  /** Extra writable roots from config (`sandbox.allowWrite`). */
  allowWrite: readonly string[];
  /** Extra read-only places from config (`sandbox.allowRead`), e.g. ~/.gitconfig. */
  allowRead?: readonly string[];
  /** orchestrate's own HOME: hidden like the agent's. */
  home: string;
  /** Where the agents' private CLI state copies live (`<root>/<session id>/<agent>`); default under ~/.local/state. */
  stateRoot?: string;
  /** Folders orchestrate itself runs from (claude's hook calls it): shown read-only. */
  orchestrateInstall?: readonly string[];
  /** Size of each private tmpfs (temp dirs, home), bytes. */
  tmpSizeBytes?: number;
  /** orchestrate runs as uid 0: agents get SANDBOX_UID inside (see SandboxLayout.uid). */
  runAsRoot: boolean;
  /** Network by allow list (default when given): egress only through orchestrate's proxy. */
  network?: { allowHosts: readonly string[]; node: string; forwarder: string };
  /** Kernel-side extras per run (cgroup, seccomp): see sandbox-runtime.ts. */
  extras?: (ctx: WrapContext, tmpfs: readonly string[]) => RunSandboxExtras;
}

/** The uid (and gid) a root-run agent has inside the sandbox. */
export const SANDBOX_UID = 1000;
/** The private temp dirs every agent gets besides $TMPDIR. */
const TEMP_DIRS = ['/tmp', '/var/tmp', '/dev/shm'];
/** Default size of each private tmpfs. */
export const DEFAULT_TMP_BYTES = 1024 ** 3;

/**
 * The active sandbox: each agent sees the system read-only, its working copy and configured roots
 * writable, the session workspace read-only, a private copy of its own CLI state, private temp
 * dirs, and nothing of the person's home. The binds come from mount-plan.ts (right whatever the
 * relative positions of the paths).
 */
export function bwrapSandboxPlan(input: BwrapPlanInput): SandboxPlan {
  const roots = sessionInstallRoots();
  return {
    active: true,
    reason: input.reason,
    wrap(command, ctx: WrapContext) {
      const agent = agentLayout(input, command.file, ctx, roots);
      const net = input.network ? prepareRunNetwork({ agent: ctx.agent, env: ctx.env, command, ...input.network }) : undefined;
      const layout: AgentLayout = net ? { ...agent.layout, show: [...agent.layout.show, net.socketDir] } : agent.layout;
      const env = agent.env;
      // As root, in a checkout a user owns: the agent runs as that user (its files are theirs, and
      // root without capabilities could not write there anyway); its private state becomes theirs.
      const asUser = input.runAsRoot ? checkoutOwner(layout.workingCopy) : undefined;
      if (asUser) for (const s of layout.privateState) chownTree(path.dirname(s.source), asUser);
      const plan = planMounts(sandboxRules(layout));
      const extras = input.extras?.(ctx, [...layout.tempDirs, ...layout.homes]);
      const wrapped = buildBwrapCommand(input.bwrap, net?.command ?? command, {
        mounts: plan.mounts,
        ...(net ? { unshareNet: true } : {}),
        cwd: layout.workingCopy,
        ...(input.runAsRoot ? { uid: SANDBOX_UID } : {}),
        ...(extras?.seccompFd !== undefined ? { seccompFd: extras.seccompFd } : {}),
      });
      const prelude = extras?.prelude?.(wrapped, asUser) ?? wrapped;
      return {
        ...prelude,
        env: { ...wrapped.env, ...env, ...net?.env },
        mountPlan: plan,
        ...(extras?.limits ? { limits: extras.limits } : {}),
        afterRun: () => [
          ...(net?.close().map((n) => `network: ${n}`) ?? []),
          ...writeBackCredentials(ctx.agent, layout.privateState).map((f) => `wrote the refreshed login back to ${f}`),
          ...(extras?.afterRun?.() ?? []),
        ],
      };
    },
  };
}

/** The layout of one agent's sandbox, and the variables its environment needs for it (TMPDIR). */
export function agentLayout(
  input: BwrapPlanInput,
  executable: string,
  ctx: WrapContext,
  rootsOf: typeof installRoots = installRoots,
): { layout: AgentLayout; env: Record<string, string> } {
  const home = ctx.env['HOME'] ?? input.home;
  const homes = [...new Set([input.home, home])];
  const own = agentStateDirs(ctx.agent, ctx.env, home);
  const stateRoot = stateRootOf(input);
  const copyRoot = path.join(stateRoot, path.basename(ctx.sessionDir), ctx.agent);
  const privateState = privateStateCopies(ctx.agent, own, copyRoot);
  const others = AGENT_IDS.filter((a: AgentId) => a !== ctx.agent)
    .flatMap((a) => agentStateDirs(a, ctx.env, home))
    .filter((p) => !own.some((o) => isWithin(p, o) || isWithin(o, p)));
  const secrets = homes.flatMap((h) => [...SECRET_DIRS, ...SECRET_FILES].map((d) => path.join(h, d)));
  const hidden = [...secrets, ...others, ...otherCopies(stateRoot, copyRoot)]
    .filter((p) => existsSync(p))
    .map((p) => ({ path: p, isFile: !isDir(p) }));
  // The agent's temp dir: where TMPDIR points, unless that holds its state (codex refuses to make
  // its helper binaries, codex-linux-sandbox among them, under the temp dir).
  const personTmp = ctx.env['TMPDIR'] && path.isAbsolute(ctx.env['TMPDIR']) ? path.resolve(ctx.env['TMPDIR']) : '/tmp';
  const tmp = own.some((o) => isWithin(o, personTmp)) ? path.join(personTmp, `orchestrate-${ctx.agent}-tmp`) : personTmp;
  const pathDirs = (ctx.env['PATH'] ?? '').split(':').filter((d) => path.isAbsolute(d) && !homes.some((h) => isWithin(h, d)));
  // the session copy the agent works in (issue 11); the person's checkout is then read-only
  const work = ctx.workDir ?? input.target;
  const checkout = work !== input.target ? input.target : input.checkout;
  const layout: AgentLayout = {
    workingCopy: work,
    ...(checkout !== undefined ? { checkout } : {}),
    writable: [...input.allowWrite, ...(ctx.extraWritable ?? [])].filter((p) => existsSync(p)),
    readOnly: [input.workspace].filter((p) => existsSync(p)),
    homes,
    privateState,
    hidden,
    tempDirs: [...new Set([...TEMP_DIRS, personTmp, tmp])],
    ...(input.tmpSizeBytes !== undefined ? { tmpSizeBytes: input.tmpSizeBytes } : {}),
    show: [
      ...rootsOf(ctx.executable ?? executable, ctx.env['PATH']),
      ...(input.orchestrateInstall ?? []),
      ...pathDirs,
      ...(input.allowRead ?? []),
      ...(ctx.extraReadOnlyBinds ?? []).filter((b) => b.source === b.dest).map((b) => b.source),
    ].filter((p) => existsSync(p)),
    overlays: (ctx.extraReadOnlyBinds ?? []).filter((b) => b.source !== b.dest && existsSync(b.source)),
  };
  return { layout, env: { TMPDIR: tmp } };
}

/**
 * installRoots once per executable and PATH for the session: the CLIs were resolved before the
 * first launch and live outside what agents can write (shown read-only). Whether each root still
 * exists is checked at every launch (the `show` filter).
 */
function sessionInstallRoots(): typeof installRoots {
  const known = new Map<string, string[]>();
  return (file, pathVar) => {
    const key = `${file}\0${pathVar ?? ''}`;
    let roots = known.get(key);
    if (!roots) known.set(key, (roots = installRoots(file, pathVar)));
    return [...roots];
  };
}

function stateRootOf(input: BwrapPlanInput): string {
  return input.stateRoot ?? path.join(input.home, '.local', 'state', 'orchestrate', 'agent-state');
}

/** The owner of the working copy when it is not root. */
function checkoutOwner(target: string): { uid: number; gid: number } | undefined {
  try {
    const st = statSync(target);
    return st.uid === 0 ? undefined : { uid: st.uid, gid: st.gid };
  } catch {
    return undefined;
  }
}

function chownTree(dir: string, user: { uid: number; gid: number }): void {
  lchownSync(dir, user.uid, user.gid);
  for (const name of list(dir)) {
    const p = path.join(dir, name);
    if (isDir(p) && !lstatSync(p).isSymbolicLink()) chownTree(p, user);
    else lchownSync(p, user.uid, user.gid);
  }
}

/** Every other private copy under the state root: other sessions', and other agents' in this one. */
function otherCopies(stateRoot: string, own: string): string[] {
  const out: string[] = [];
  for (const session of list(stateRoot)) {
    const dir = path.join(stateRoot, session);
    if (!isWithin(own, dir)) out.push(dir);
    else for (const agent of list(dir)) if (!isWithin(own, path.join(dir, agent))) out.push(path.join(dir, agent));
  }
  return out;
}

function list(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

export type { MountPlan };
