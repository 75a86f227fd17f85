import type { LaunchSpec } from '../agents/adapter.js';
import type { AgentId } from '../agents/agent-id.js';
import { getAdapter } from '../agents/registry.js';

/** Stands in for the prompt, which is not a flag and differs between launches. */
const PROMPT = '\u0000prompt\u0000';

/** The adapter's argv (prompt left out) and the env it adds as `NAME=value`. */
function words(agent: AgentId, spec: LaunchSpec): { args: string[]; env: string[] } {
  const cmd = getAdapter(agent).buildCommand({ ...spec, prompt: PROMPT });
  const env = Object.keys(cmd.env)
    .sort()
    .map((k) => `${k}=${cmd.env[k] ?? ''}`);
  return { args: cmd.args.filter((a) => a !== PROMPT), env };
}

/** Longest-common-subsequence table of two short word lists. */
function lcs(a: readonly string[], b: readonly string[]): number[][] {
  const t = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      t[i]![j] = a[i] === b[j] ? t[i + 1]![j + 1]! + 1 : Math.max(t[i + 1]![j]!, t[i]![j + 1]!);
    }
  }
  return t;
}

/**
 * What a relaunch changes in the CLI's argv, as the adapter really builds it: `+ --add-dir /x`,
 * `- --permission-mode dontAsk`. Computed from both argvs, so the journal can never claim a flag
 * the launched argv lacks. A changed value keeps its flag word on both lines.
 */
export function flagDiff(agent: AgentId, before: LaunchSpec, after: LaunchSpec): string[] {
  const was = words(agent, before);
  const is = words(agent, after);
  return [
    ...argvDiff(was.args, is.args),
    ...was.env.filter((e) => !is.env.includes(e)).map((e) => `- env ${e}`),
    ...is.env.filter((e) => !was.env.includes(e)).map((e) => `+ env ${e}`),
  ];
}

/** Runs of removed and added words between the common ones. */
function argvDiff(a: readonly string[], b: readonly string[]): string[] {
  const t = lcs(a, b);
  const lines: string[] = [];
  let i = 0;
  let j = 0;
  let lastCommon: string | undefined;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      lastCommon = a[i];
      i++;
      j++;
      continue;
    }
    // One run of differences between two common words.
    const removed: string[] = [];
    const added: string[] = [];
    while (i < a.length || j < b.length) {
      if (i < a.length && j < b.length && a[i] === b[j]) break;
      if (j >= b.length || (i < a.length && t[i + 1]![j]! >= t[i]![j + 1]!)) removed.push(a[i++]!);
      else added.push(b[j++]!);
    }
    // A value whose flag stayed the same: show the flag with it.
    const first = removed[0] ?? added[0] ?? '-';
    const flag = lastCommon?.startsWith('-') && !first.startsWith('-') ? [lastCommon] : [];
    if (removed.length > 0) lines.push(`- ${[...flag, ...removed].join(' ')}`);
    if (added.length > 0) lines.push(`+ ${[...flag, ...added].join(' ')}`);
  }
  return lines;
}
