import { lstatSync, readlinkSync, realpathSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AgentId } from '../agents/agent-id.js';
import type { AgentEvent } from '../events/agent-event.js';
import type { EventPolicy, PolicyAction, RunContext } from './event-policy.js';
import { isWithin } from '../paths.js';
import { agentStateDirs } from './sandbox.js';

/** Where one run may write with its file tools. */
export interface PathGuardRun {
  /** Absolute directories (or files, e.g. `~/.claude.json`); resolved through symlinks here. */
  allowedRoots: string[];
  /** For a `~/…` path, if a CLI ever gives one. */
  home?: string;
}

type ToolCall = Extract<AgentEvent, { type: 'agent.tool_call' }>;

/**
 * Journals every file-tool write or edit (`agent.tool_call` of kind file_write/file_edit) whose
 * path resolves outside the run's allowed roots, as `safety.violation` with kind `path`.
 *
 * Resolution is what the kernel would do: relative paths against the run's cwd, and every
 * symlink of the part that exists followed (a link in the target that points at /etc is /etc).
 *
 * It records and does not stop the run. The tool call is seen as it is announced, and the write
 * follows at once inside the CLI, so stopping could not prevent it; what does prevent it is the
 * sandbox (the write fails with EROFS, or lands in the private /tmp) and the CLIs' own workspace
 * checks (claude's working directories, gemini's workspace, codex's writable roots), which refuse
 * it with a permission denial. The entry is written even then: an agent that tries to write
 * outside is worth knowing about, whether or not it got through.
 */
export function createPathGuard(rootsFor: (run: RunContext) => PathGuardRun): EventPolicy {
  // Per run (the supervisor keeps one RunContext object per run): resolved roots and the tool
  // calls already judged (codex announces a file_change when it starts and again when it ends).
  const runs = new WeakMap<RunContext, { roots: string[]; home?: string; seen: Set<string> }>();
  const stateOf = (run: RunContext) => {
    let state = runs.get(run);
    if (!state) {
      const { allowedRoots, home } = rootsFor(run);
      state = { roots: [...new Set(allowedRoots.map((root) => realResolve(root, '/')))], seen: new Set() };
      if (home !== undefined) state.home = home;
      runs.set(run, state);
    }
    return state;
  };

  return {
    name: 'path-guard',
    onEvent(run, event) {
      if (event.type !== 'agent.tool_call' || (event.kind !== 'file_write' && event.kind !== 'file_edit')) return [];
      const state = stateOf(run);
      const actions: PolicyAction[] = [];
      for (const written of new Set(writtenPaths(event))) {
        const key = `${event.toolId ?? ''}\0${written}`;
        if (event.toolId !== undefined && state.seen.has(key)) continue;
        state.seen.add(key);
        const expanded = expandHome(written, state.home);
        const resolved = realResolve(expanded, run.cwd);
        if (state.roots.some((root) => isWithin(resolved, root))) continue;
        const lexical = path.resolve(run.cwd, expanded);
        const how = resolved === lexical ? '' : ` (it resolves to ${resolved} through a symlink)`;
        actions.push({
          type: 'journal',
          entryType: 'safety.violation',
          data: {
            kind: 'path',
            tool: event.tool,
            ...(event.toolId !== undefined ? { toolId: event.toolId } : {}),
            path: written,
            resolved,
            allowedRoots: state.roots,
            reason: `${event.tool} ${event.kind === 'file_write' ? 'writes' : 'edits'} ${written}${how}, outside the allowed roots`,
          },
        });
      }
      return actions;
    },
  };
}

function writtenPaths(event: ToolCall): string[] {
  const paths = [...(event.paths ?? [])];
  if (event.path !== undefined) paths.push(event.path);
  return paths.filter((p) => p !== '');
}

function expandHome(p: string, home: string | undefined): string {
  if (home === undefined) return p;
  if (p === '~') return home;
  return p.startsWith('~/') ? path.join(home, p.slice(2)) : p;
}

/**
 * `p` (relative to `cwd`) as the kernel would reach it: component by component, each existing
 * symlink followed (so `link/..` is the parent of the link's target, not `.`), and the part that
 * does not exist yet appended as written. Never throws.
 */
export function realResolve(p: string, cwd: string, depth = 0): string {
  // A path that exists all the way resolves in one realpath(3), as the walk below would (roots and
  // copies at every launch); a missing or unreadable part takes the walk.
  const joined = path.isAbsolute(p) ? p : `${cwd}/${p}`;
  if (path.isAbsolute(joined)) {
    try {
      return realpathSync.native(joined); // the raw text: `link/..` is the parent of the link's target there too
    } catch {
      // the walk below
    }
  }
  const parts = joined.split('/');
  let current = '/';
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (part === '' || part === '.') continue;
    if (part === '..') {
      current = path.dirname(current);
      continue;
    }
    const next = path.join(current, part);
    let isLink: boolean | undefined;
    try {
      // a missing path answers undefined instead of throwing (an exception per missing path is most of the cost)
      isLink = lstatSync(next, { throwIfNoEntry: false })?.isSymbolicLink();
    } catch {
      isLink = undefined;
    }
    if (isLink === undefined) {
      // Missing (or unreadable): nothing below can be a symlink we could see; the rest is lexical.
      return path.resolve(next, ...parts.slice(i + 1).filter((rest) => rest !== ''));
    }
    if (!isLink) {
      current = next;
      continue;
    }
    try {
      current = realpathSync(next);
    } catch {
      // A dangling link: a write creates its target, so resolve the target's text instead (as far
      // as the kernel would follow: a loop ends at SYMLOOP_MAX and stays where it is).
      if (depth >= 40) return path.resolve(next, ...parts.slice(i + 1).filter((rest) => rest !== ''));
      return realResolve([danglingTarget(next), ...parts.slice(i + 1)].join('/'), current, depth + 1);
    }
  }
  return current;
}

/** A dangling link's target as an absolute path (readlink still reads the text of a link that points nowhere). */
function danglingTarget(link: string): string {
  try {
    return path.resolve(path.dirname(link), readlinkSync(link));
  } catch {
    return link;
  }
}

/** What the sandbox lets an agent write, for the guard: the same roots, seen from outside. */
export interface AllowedRootsInput {
  agent: AgentId;
  target: string;
  /** `config.sandbox.allowWrite`. */
  allowWrite: readonly string[];
  /** The agent's environment (CLAUDE_CONFIG_DIR, CODEX_HOME, GEMINI_CLI_HOME move its state). */
  env: Record<string, string>;
  home: string;
  /** Default: os.tmpdir(), /tmp and /var/tmp. */
  tempDirs?: readonly string[];
}

/**
 * The target, `sandbox.allowWrite`, the agent's own state dirs and the temp dirs. A temp dir that
 * holds the target is left out: it would allow every sibling of the target (tests and demos keep
 * their targets under /tmp), and writes there land in the sandbox's private /tmp anyway.
 */
export function allowedWriteRoots(input: AllowedRootsInput): string[] {
  const target = realResolve(input.target, '/');
  const temp = (input.tempDirs ?? [os.tmpdir(), '/tmp', '/var/tmp']).filter((dir) => !isWithin(target, realResolve(dir, '/')));
  return [input.target, ...input.allowWrite, ...agentStateDirs(input.agent, input.env, input.home), ...temp];
}
