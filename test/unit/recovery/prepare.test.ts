import { describe, expect, it } from 'vitest';
import type { LaunchMode, LaunchSpec } from '../../../src/agents/adapter.js';
import { AGENT_IDS } from '../../../src/agents/agent-id.js';
import { getAdapter } from '../../../src/agents/registry.js';
import { CATALOGUE } from '../../../src/recovery/catalogue.js';
import { describePreparations } from '../../../src/recovery/prepare.js';

type Context = LaunchSpec['context'];

/** Every combination of the four launch facts. */
const CONTEXTS: Context[] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15].map((n) => ({
  isRoot: (n & 1) !== 0,
  sandboxed: (n & 2) !== 0,
  targetIsGitRepo: (n & 4) !== 0,
  trustTarget: (n & 8) !== 0,
}));

const VARIANTS: Array<{ mode: LaunchMode; addDirs: string[]; resuming: boolean }> = [
  { mode: 'work', addDirs: [], resuming: false },
  { mode: 'work', addDirs: ['/data/cache', '/srv/out'], resuming: false },
  { mode: 'work', addDirs: ['/data/cache'], resuming: true },
  { mode: 'review', addDirs: [], resuming: false },
];

const CASES = AGENT_IDS.flatMap((agent) => CONTEXTS.flatMap((context) => VARIANTS.map((v) => ({ agent, context, ...v }))));

/** True when `words` occur in `argv` one after the other. */
function containsRun(argv: readonly string[], words: readonly string[]): boolean {
  if (words.length === 0) return true;
  return argv.some((_, i) => words.every((w, k) => argv[i + k] === w));
}

function commandFor(c: (typeof CASES)[number]) {
  const spec: LaunchSpec = {
    executable: c.agent,
    prompt: 'p',
    cwd: '/t',
    addDirs: c.addDirs,
    extraArgs: [],
    mode: c.mode,
    context: c.context,
  };
  if (c.resuming) spec.resumeSessionId = 'sid-1';
  return getAdapter(c.agent).buildCommand(spec);
}

/** The catalogue entries whose failure a flag or variable of the launch avoids. */
const AVOIDING = ['codex.outside-git-repo', 'gemini.untrusted-folder', 'claude.root-bypass-refused', 'claude.stream-json-needs-verbose'];

/** Which of them the built command avoids, read from its argv and environment. */
function avoided(cmd: { args: readonly string[]; env: Record<string, string> }): string[] {
  return [
    cmd.args.includes('--skip-git-repo-check') && 'codex.outside-git-repo',
    cmd.args.includes('--skip-trust') && 'gemini.untrusted-folder',
    (cmd.env['IS_SANDBOX'] !== undefined || cmd.args.includes('acceptEdits')) && 'claude.root-bypass-refused',
    cmd.args.includes('--verbose') && 'claude.stream-json-needs-verbose',
  ].filter((id): id is string => typeof id === 'string');
}

/** Which of them the preparations say were avoided (gemini without trust is journaled, not avoided). */
function journaled(preps: ReturnType<typeof describePreparations>): string[] {
  return preps
    .filter((p) => AVOIDING.includes(p.id) && !(p.id === 'gemini.untrusted-folder' && p.choice !== '--skip-trust'))
    .map((p) => p.id)
    .sort((a, b) => AVOIDING.indexOf(a) - AVOIDING.indexOf(b));
}

function name(c: (typeof CASES)[number]): string {
  return `${c.agent} ${c.mode}${c.resuming ? ' resume' : ''} addDirs=${c.addDirs.length} ${JSON.stringify(c.context)}`;
}

describe('describePreparations agrees with the argv the adapters build', () => {
  it.each(CASES.map((c) => [name(c), c] as const))('%s', (_name, c) => {
    const cmd = commandFor(c);
    const preps = describePreparations(c.agent, c.context, { mode: c.mode, addDirs: c.addDirs, resuming: c.resuming });
    for (const prep of preps) {
      // Never a claim the argv or env lacks.
      expect(containsRun(cmd.args, prep.argv), `${prep.id}: ${prep.argv.join(' ')}`).toBe(true);
      for (const [k, v] of Object.entries(prep.env ?? {})) expect(cmd.env[k]).toBe(v);
      expect(prep.id.startsWith('prepare.') || CATALOGUE.some((e) => e.id === prep.id && e.agent === c.agent)).toBe(true);
    }
    // And every avoiding flag the argv has is journaled, and none that it lacks.
    expect(avoided(cmd), 'avoiding flags in the argv').toEqual(journaled(preps));
  });

  it('meets every avoiding flag in at least one case (the check above is never vacuous)', () => {
    const seen = new Set(CASES.flatMap((c) => avoided(commandFor(c))));
    expect([...seen].sort()).toEqual([...AVOIDING].sort());
  });

  it('as root, sets IS_SANDBOX=1 only when the sandbox is really active', () => {
    const root = { isRoot: true, targetIsGitRepo: true, trustTarget: true };
    expect(describePreparations('claude', { ...root, sandboxed: true }).find((p) => p.id === 'claude.root-bypass-refused')?.env).toEqual({
      IS_SANDBOX: '1',
    });
    const unsandboxed = describePreparations('claude', { ...root, sandboxed: false }).find((p) => p.id === 'claude.root-bypass-refused');
    expect(unsandboxed?.env).toBeUndefined();
    expect(unsandboxed?.choice).toMatch(/^--permission-mode acceptEdits --allowedTools /);
  });

  it('says what happens to gemini without trust', () => {
    const untrusted = describePreparations('gemini', { isRoot: false, sandboxed: true, targetIsGitRepo: true, trustTarget: false });
    expect(untrusted).toEqual([
      expect.objectContaining({ id: 'gemini.untrusted-folder', choice: 'no --skip-trust (--no-trust)', argv: [] }),
    ]);
  });

  it('lists the folders to create before launch', () => {
    const preps = describePreparations('claude', CONTEXTS[0]!, { addDirs: ['/data/a', '/data/b'], dirExists: (d) => d === '/data/a' });
    expect(preps.find((p) => p.id === 'prepare.directories-exist')?.ensureDirs).toEqual(['/data/b']);
  });
});
