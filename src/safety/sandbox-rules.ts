import path from 'node:path';
import type { MountRule } from './mount-plan.js';
import type { PrivateState } from './private-state.js';

/** Everything one agent's sandbox is made of, as absolute paths (see sandboxRules). */
export interface AgentLayout {
  /** Where the agent works: writable. */
  workingCopy: string;
  /** The person's own checkout when the agent works on a copy of it: read-only. */
  checkout?: string;
  /** More writable roots: `sandbox.allowWrite`, directories a person granted at an escalation. */
  writable: readonly string[];
  /** Read-only even inside a writable root: the session workspace. */
  readOnly: readonly string[];
  /** The person's home and the agent's HOME (often the same): private and empty but for what is shown. */
  homes: readonly string[];
  /** The agent's private copies of its CLI state, bound writable over the originals. */
  privateState: readonly PrivateState[];
  /** Hidden whatever else says: secrets, other agents' state, other private copies. */
  hidden: ReadonlyArray<{ path: string; isFile: boolean }>;
  /** A private writable tmpfs at each (/tmp, /var/tmp, /dev/shm, wherever TMPDIR points). */
  tempDirs: readonly string[];
  /** Size of each private tmpfs (the home's too), bytes. */
  tmpSizeBytes?: number;
  /** Shown read-only where otherwise hidden: the CLI's and orchestrate's installs, PATH, `sandbox.allowRead`. */
  show: readonly string[];
  /** Read-only files shown at another path (layer-1 files over the CLI's state). */
  overlays: ReadonlyArray<{ source: string; dest: string }>;
}

/** The layout as mount intents; planMounts orders them. Pure. */
export function sandboxRules(layout: AgentLayout): MountRule[] {
  const size = layout.tmpSizeBytes !== undefined ? { sizeBytes: layout.tmpSizeBytes } : {};
  const rules: MountRule[] = [
    ...layout.tempDirs.map((p): MountRule => ({ kind: 'empty', path: p, ...size })),
    ...layout.homes.map((p): MountRule => ({ kind: 'empty', path: p, ...size })),
    ...layout.show.map((p): MountRule => ({ kind: 'show', path: p })),
    { kind: 'writable', path: layout.workingCopy },
    ...layout.writable.map((p): MountRule => ({ kind: 'writable', path: p })),
    ...layout.privateState.map((s): MountRule => ({ kind: 'writable', path: s.dest, source: s.source })),
    ...layout.readOnly.map((p): MountRule => ({ kind: 'readOnly', path: p })),
    ...layout.overlays.map((o): MountRule => ({ kind: 'readOnly', path: o.dest, source: o.source })),
    ...layout.hidden.map((h): MountRule => ({ kind: 'secret', path: h.path, isFile: h.isFile })),
  ];
  if (layout.checkout !== undefined && path.resolve(layout.checkout) !== path.resolve(layout.workingCopy)) {
    rules.push({ kind: 'readOnly', path: layout.checkout });
  }
  return rules;
}
