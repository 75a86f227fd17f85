import path from 'node:path';
import { isWithin } from '../paths.js';

/**
 * One intent about a path inside the sandbox. The plan turns a set of intents into binds whose
 * result does not depend on the order the intents were given in (see planMounts).
 */
export type MountRule =
  /** Hidden, and nothing beneath it is ever shown again (secrets, other agents' state). */
  | { kind: 'secret'; path: string; isFile: boolean }
  /** A fresh private tmpfs (the home, the temp dirs); rules beneath it can show things again. */
  | { kind: 'empty'; path: string; sizeBytes?: number }
  /** Read-only where it would otherwise be hidden (an install under a temp dir or the home); no-op where already visible. */
  | { kind: 'show'; path: string }
  /** Read-only whatever contains it (the session workspace, the person's checkout, layer-1 files); `source` shown at `path`. */
  | { kind: 'readOnly'; path: string; source?: string }
  /** Writable (the working copy, allowed roots, the agent's private state copy at `source`). */
  | { kind: 'writable'; path: string; source?: string };

/** One bwrap mount, in the order it must be applied. */
export type Mount =
  | { op: 'tmpfs'; dest: string; sizeBytes?: number; readOnly: boolean }
  | { op: 'bind'; source: string; dest: string; readOnly: boolean }
  | { op: 'hideFile'; dest: string };

export interface MountPlan {
  mounts: Mount[];
  /** Rules that had no effect or were refused, and why (for the journal and the tests). */
  dropped: Array<{ rule: MountRule; reason: string }>;
}

/** Which rule wins when two name the same path. */
const PRECEDENCE: Record<MountRule['kind'], number> = { secret: 4, readOnly: 3, writable: 2, show: 1, empty: 0 };

/**
 * Right by construction: a path gets the rule of its deepest enclosing rule, whatever the order
 * the rules came in, because mounts are applied parents first (a bind only ever covers what is
 * beneath it). On top of that, two rules the order cannot express:
 * - nothing beneath a secret is ever shown or bound again (a CLI or HOME under the same temp root
 *   cannot re-expose ~/.ssh);
 * - `show` only makes a hidden place visible read-only; it never re-closes a writable root (the
 *   hook's files under the same /tmp folder as the target leave the target writable).
 * Pure: paths are taken as given (absolute, real); existence is the caller's business.
 */
export function planMounts(input: readonly MountRule[]): MountPlan {
  const dropped: MountPlan['dropped'] = [];
  const byPath = new Map<string, MountRule>();
  for (const raw of input) {
    const rule = { ...raw, path: normalize(raw.path) } as MountRule;
    if (rule.path === '/') {
      dropped.push({ rule: raw, reason: 'the root is always read-only' });
      continue;
    }
    const other = byPath.get(rule.path);
    if (!other) byPath.set(rule.path, rule);
    else if (PRECEDENCE[rule.kind] > PRECEDENCE[other.kind]) {
      byPath.set(rule.path, rule);
      dropped.push({ rule: other, reason: `same path as a ${rule.kind} rule, which wins` });
    } else dropped.push({ rule: raw, reason: `same path as a ${other.kind} rule, which wins` });
  }
  // each path's depth once (not in every comparison of the sort)
  const rules = [...byPath.values()].map((rule) => ({ rule, depth: depth(rule.path) })).sort((a, b) => a.depth - b.depth);
  const secrets = rules.filter((r) => r.rule.kind === 'secret').map((r) => r.rule);
  const kept: Array<{ rule: MountRule; depth: number }> = [];
  for (const entry of rules) {
    const { rule } = entry;
    const secret = secrets.find((s) => s !== rule && isWithin(rule.path, s.path));
    if (secret) {
      dropped.push({ rule, reason: `beneath the hidden ${secret.path}` });
      continue;
    }
    const nearest = nearestAncestor(rule.path, kept);
    if (rule.kind === 'show' && (!nearest || nearest.kind === 'show' || nearest.kind === 'readOnly' || nearest.kind === 'writable')) {
      dropped.push({ rule, reason: nearest ? `already visible through ${nearest.path}` : 'already visible' });
      continue;
    }
    if (rule.kind === 'secret' && nearest?.kind === 'empty') {
      dropped.push({ rule, reason: `already hidden by the private ${nearest.path}` });
      continue;
    }
    if ((rule.kind === 'writable' || rule.kind === 'readOnly') && !rule.source && nearest?.kind === rule.kind && !nearest.source) {
      dropped.push({ rule, reason: `already ${rule.kind} through ${nearest.path}` });
      continue;
    }
    kept.push(entry);
  }
  return { mounts: kept.map((k) => toMount(k.rule)), dropped };
}

function toMount(rule: MountRule): Mount {
  switch (rule.kind) {
    case 'secret':
      return rule.isFile ? { op: 'hideFile', dest: rule.path } : { op: 'tmpfs', dest: rule.path, readOnly: true };
    case 'empty':
      return { op: 'tmpfs', dest: rule.path, readOnly: false, ...(rule.sizeBytes !== undefined ? { sizeBytes: rule.sizeBytes } : {}) };
    case 'show':
      return { op: 'bind', source: rule.path, dest: rule.path, readOnly: true };
    case 'readOnly':
      return { op: 'bind', source: rule.source ?? rule.path, dest: rule.path, readOnly: true };
    case 'writable':
      return { op: 'bind', source: rule.source ?? rule.path, dest: rule.path, readOnly: false };
  }
}

/** The deepest rule at or above `p` (rules are already parents-first). */
function nearestAncestor(p: string, rules: ReadonlyArray<{ rule: MountRule; depth: number }>): MountRule | undefined {
  let best: { rule: MountRule; depth: number } | undefined;
  for (const r of rules) if (isWithin(p, r.rule.path) && (!best || r.depth > best.depth)) best = r;
  return best?.rule;
}

function normalize(p: string): string {
  return path.resolve('/', p);
}

function depth(p: string): number {
  return p === '/' ? 0 : p.split('/').length - 1;
}
