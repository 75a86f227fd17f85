/** One node of the plan's dependency graph, as the time budget sees it. */
export interface BudgetNode {
  id: string;
  /** The assignment's weight (any positive scale: only ratios along a path matter). */
  weight: number;
  dependsOn: readonly string[];
}

/**
 * Each assignment's time window when the whole plan gets `totalMs`: its weight's share of the
 * heaviest dependency chain through it. Assignments that run at the same time share a window,
 * they do not split it: 32 parallel assignments in 10 minutes each get 10 minutes, a chain of
 * 0.4, 0.45, 0.15 gets 40%, 45%, 15%. No chain's windows add up to more than `totalMs`, because
 * every assignment on a chain is scaled by a path at least as heavy as that chain. Pure.
 */
export function timeShares(nodes: readonly BudgetNode[], totalMs: number): Map<string, number> {
  const before = longestChains(nodes, 'before');
  const after = longestChains(nodes, 'after');
  const out = new Map<string, number>();
  for (const n of nodes) {
    // the heaviest chain through n: what comes before it, n, and what comes after it
    const through = (before.get(n.id) ?? 0) + n.weight + (after.get(n.id) ?? 0);
    out.set(n.id, through > 0 ? Math.round((n.weight / through) * totalMs) : 0);
  }
  return out;
}

/**
 * The window of one assignment starting now, re-balanced on what is left: `remainingMs` (the
 * session's deadline minus now) shared along the heaviest chain from it through the assignments
 * still to come. Earlier assignments that finished early leave it more time; late ones, less.
 * `done` holds the ids that finished (their weight no longer counts).
 */
export function windowAtStart(
  nodes: readonly BudgetNode[],
  id: string,
  remainingMs: number,
  done: ReadonlySet<string> = new Set(),
): number {
  const left = nodes.filter((n) => n.id === id || !done.has(n.id));
  const self = left.find((n) => n.id === id);
  if (!self || remainingMs <= 0) return 0;
  const chain = self.weight + (longestChains(left, 'after').get(id) ?? 0);
  return chain > 0 ? Math.max(0, Math.round((self.weight / chain) * remainingMs)) : 0;
}

/**
 * For each node, the heaviest chain strictly before it (`before`: its dependencies' side) or
 * strictly after it (`after`: its dependents' side). Dependencies on ids not in `nodes` are ignored.
 */
function longestChains(nodes: readonly BudgetNode[], side: 'before' | 'after'): Map<string, number> {
  const ids = new Set(nodes.map((n) => n.id));
  const weight = new Map(nodes.map((n) => [n.id, n.weight]));
  const next = new Map<string, string[]>(nodes.map((n) => [n.id, []]));
  for (const n of nodes) {
    for (const d of n.dependsOn) {
      if (!ids.has(d)) continue;
      if (side === 'before') next.get(n.id)?.push(d);
      else next.get(d)?.push(n.id);
    }
  }
  const memo = new Map<string, number>();
  const visiting = new Set<string>();
  const chain = (id: string): number => {
    const known = memo.get(id);
    if (known !== undefined) return known;
    if (visiting.has(id)) throw new Error(`dependency cycle through ${id}`);
    visiting.add(id);
    let best = 0;
    for (const m of next.get(id) ?? []) best = Math.max(best, (weight.get(m) ?? 0) + chain(m));
    visiting.delete(id);
    memo.set(id, best);
    return best;
  };
  for (const n of nodes) chain(n.id);
  return memo;
}
