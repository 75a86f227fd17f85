import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { AgentId } from '../agents/agent-id.js';
import type { CommandSpec } from '../agents/adapter.js';
import { fixAgentFiles } from './identity-fix.js';
import { AgentCgroup, sweepCgroups, type CgroupSupport } from './limits/cgroups.js';
import { runLimits, type RunLimits } from './limits/kernel-limits.js';
import { setidSeccompProgram } from './seccomp-setid.js';

/** The descriptor the prelude opens the seccomp program on (bwrap `--seccomp 9`). */
export const SECCOMP_FD = 9;

export interface SandboxRuntimeInput {
  cgroups: CgroupSupport;
  pidsMax: number;
  memoryBytes: number;
  cpuPercent?: number;
  tmpSizeBytes: number;
  /** Where the seccomp program file is written (not visible to agents). */
  dir: string;
  runAsRoot: boolean;
  /** The agent's writable roots and what not to walk in them (identity fix after each run). */
  writableRoots: (extra: readonly string[]) => string[];
  exclude: readonly string[];
}

/** The kernel side of one run: its cgroup, the setid seccomp filter, the limit watch, the clean-up. */
export interface RunRuntime {
  seccompFd?: number;
  /** `asUser`: the host user bwrap runs as (the working copy's owner when orchestrate is root). */
  prelude: (command: CommandSpec, asUser?: HostUser) => CommandSpec;
  limits: RunLimits;
  afterRun: () => string[];
}

/** A host uid/gid. */
export interface HostUser {
  uid: number;
  gid: number;
}

/** One line for the session start: which mechanisms bound the agents here. */
export function describeMechanisms(input: Pick<SandboxRuntimeInput, 'cgroups' | 'pidsMax' | 'memoryBytes' | 'tmpSizeBytes'>): string {
  const mib = (b: number): string => `${Math.round(b / 1024 ** 2)} MiB`;
  const tmp = `private tmpfs of ${mib(input.tmpSizeBytes)} each`;
  if (input.cgroups.kind === 'none') {
    return `no cgroup (${input.cgroups.reason}): processes counted every 200 ms (stop above ${input.pidsMax}), memory sampled; ${tmp}`;
  }
  return `${input.cgroups.kind === 'cgroup2' ? 'cgroup v2' : 'cgroup v1'} per agent: pids.max ${input.pidsMax}, memory ${mib(input.memoryBytes)}; ${tmp}`;
}

let counter = 0;

/** Prepares per-run extras; the seccomp program is written once. */
export function createSandboxRuntime(
  input: SandboxRuntimeInput,
): (ctx: { agent: AgentId; extraWritable?: readonly string[] }, tmpfs: readonly string[]) => RunRuntime {
  sweepCgroups(input.cgroups);
  const program = setidSeccompProgram();
  let seccompFile: string | undefined;
  if (program) {
    mkdirSync(path.dirname(input.dir), { recursive: true, mode: 0o711 }); // passable: the agent's state copies sit beside it
    mkdirSync(input.dir, { recursive: true, mode: 0o700 });
    seccompFile = path.join(input.dir, `setid-${process.arch}.bpf`);
    if (!existsSync(seccompFile)) writeFileSync(seccompFile, program, { mode: 0o600 });
  }
  return (ctx, tmpfs) => {
    const started = Date.now();
    const cgroup =
      input.cgroups.kind === 'none'
        ? undefined
        : AgentCgroup.create(input.cgroups, `orchestrate-${process.pid}-${ctx.agent}-${++counter}`, {
            pidsMax: input.pidsMax,
            memoryBytes: input.memoryBytes,
            ...(input.cpuPercent !== undefined ? { cpuPercent: input.cpuPercent } : {}),
          });
    const limits = runLimits({
      ...(cgroup ? { cgroup } : {}),
      mechanism: input.cgroups.kind === 'none' ? 'none' : input.cgroups.kind,
      pidsMax: input.pidsMax,
      memoryBytes: input.memoryBytes,
      tmpfs,
      tmpSizeBytes: input.tmpSizeBytes,
    });
    return {
      ...(seccompFile ? { seccompFd: SECCOMP_FD } : {}),
      prelude: (command, asUser) => prelude(command, cgroup?.procsFiles() ?? [], seccompFile, asUser),
      limits,
      afterRun: () => {
        const notes: string[] = [];
        limits.close?.();
        cgroup?.remove();
        const fixed = fixAgentFiles({
          roots: input.writableRoots(ctx.extraWritable ?? []),
          exclude: input.exclude,
          sinceMs: started,
          runAsRoot: input.runAsRoot,
        });
        if (fixed.stripped.length)
          notes.push(
            `removed setuid/setgid bits from ${fixed.stripped.length} file(s) the agent left: ${fixed.stripped.slice(0, 5).join(', ')}`,
          );
        if (fixed.chowned.length) notes.push(`gave ${fixed.chowned.length} root-owned file(s) the agent left to the owner of their folder`);
        return notes;
      },
    };
  };
}

/**
 * `sh` joins the run's cgroup(s) before it becomes bwrap (so every process the agent starts is
 * counted from the first), opens the seccomp program for bwrap on a fixed descriptor and, when
 * orchestrate is root and the working copy belongs to a user, becomes that user (setpriv): the
 * agent writes as the owner of the checkout, never as root.
 */
function prelude(
  command: CommandSpec,
  procsFiles: readonly string[],
  seccompFile: string | undefined,
  asUser: HostUser | undefined,
): CommandSpec {
  const become = asUser ? `setpriv --reuid=${asUser.uid} --regid=${asUser.gid} --clear-groups -- ` : '';
  const script = [
    'cg=$1; sc=$2; shift 2',
    'for f in $cg; do echo $$ > "$f" || { echo "orchestrate: cannot join the cgroup $f" >&2; exit 125; }; done',
    `if [ -n "$sc" ]; then exec ${become}"$@" ${SECCOMP_FD}<"$sc"; else exec ${become}"$@"; fi`,
  ].join('\n');
  return {
    file: '/bin/sh',
    args: ['-c', script, 'orchestrate-sandbox', procsFiles.join(' '), seccompFile ?? '', command.file, ...command.args],
    env: command.env,
  };
}
