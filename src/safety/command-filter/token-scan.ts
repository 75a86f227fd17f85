/**
 * The token scan: text read as words, not parsed. Quotes are dropped, the text is cut at
 * operators, and every segment, and every dangerous-looking command name inside one, is
 * classified as a simple command. The fail-closed fallback uses it for text bash rejects, and
 * shells reading partly known stdin use it for what shows of that text.
 */
import type { Env, Scope } from './scope.js';
import type { Finding } from './types.js';
import { patternWord } from './words.js';
import { MAX_DEPTH, scratchEnv } from './exec.js';

/** Command names after which the token scan starts a command even mid-segment. */
const DANGEROUS_NAMES = new Set([
  'rm',
  'dd',
  'shred',
  'wipefs',
  'fdisk',
  'sfdisk',
  'cfdisk',
  'sgdisk',
  'parted',
  'mke2fs',
  'mkswap',
  'git',
  'chmod',
  'chown',
  'find',
  'shutdown',
  'reboot',
  'halt',
  'poweroff',
  'init',
  'kill',
  'systemctl',
  'sudo',
  'doas',
  'xargs',
  'parallel',
  'mv',
  'tee',
  'truncate',
  'blkdiscard',
]);

export function freshScope(env: Env, scope?: Scope): Scope {
  return (
    scope ?? {
      cwd: env.ctx.cwd,
      vars: new Map(),
      positional: null,
      workspaceRoots: env.ctx.workspaceRoots,
      remote: false,
    }
  );
}

/**
 * Block-class findings of text a shell may run but that is only partly known (what shows of a
 * filter's output: `cut -d: -f2 <<< 'x:rm -rf ~' | sh`): the token scan, also cutting at the
 * punctuation data formats put around a command (`:`, `,`, `[ ]`).
 */
export function sketchFindings(text: string, env: Env): Finding[] {
  const scratch: Env = { ...scratchEnv(env), depth: env.depth + 1 };
  // a program's string escapes (`print "rm -rf ~\n"`) print line breaks and tabs: cut there too
  const printed = text.replace(/\\[nrt]/g, '\n');
  if (scratch.depth < MAX_DEPTH) tokenScan(printed, freshScope(env), scratch, /\$\(|[;&|\n(){}<>:,[\]]/);
  return scratch.findings.filter((f) => f.rule.startsWith('block.'));
}

export function tokenScan(text: string, scope: Scope, env: Env, cuts = /\$\(|[;&|\n(){}<>]/): void {
  const cleaned = text.replace(/\\\n/g, ' ').replace(/['"`]/g, ' ');
  for (const segment of cleaned.split(cuts)) {
    const tokens = segment
      .trim()
      .split(/\s+/)
      .filter((t) => t !== '');
    tokens.forEach((tok, k) => {
      const base = tok.split('/').pop() ?? tok;
      if (k !== 0 && !DANGEROUS_NAMES.has(base) && !base.startsWith('mkfs')) return;
      // the text runs as a script, so `~` and `$HOME` mean home there
      const home = (t: string): string => t.replace(/^(?:~|\$HOME|\$\{HOME\})(?=\/|$)/, env.ctx.home);
      const argv = tokens.slice(k).map((t) => patternWord(home(t), home(t)));
      try {
        env.exec.words(argv, scope, env, () => ({ kind: 'none' }), {}, scope);
      } catch {
        /* the scan is best effort */
      }
    });
  }
}
