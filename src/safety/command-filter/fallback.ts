import { parseShell, ShellParseError } from './parse-shell.js';
import type { Env, Scope } from './scope.js';
import type { Finding } from './types.js';
import { MAX_DEPTH, scratchEnv } from './exec.js';
import { walkStmts } from './walker.js';
import { freshScope, tokenScan } from './token-scan.js';

/**
 * Fail-closed analysis of text bash rejects. First try to repair it the way a reader would
 * (close the quote, the parenthesis or the heredoc mvdan/sh says is open) and classify the
 * repaired text; if no repair parses, scan tokens: quotes are dropped, the text is cut at
 * operators, and every segment, and every dangerous-looking command name inside one, is
 * classified as a simple command. The caller turns a block finding into
 * `block.unparseable-dangerous` and anything else into `confirm.unparseable`.
 */

const MAX_REPAIRS = 4;

function repairSuffix(message: string, text: string): string | undefined {
  let m = /reached EOF without closing quote (.)/.exec(message);
  if (m) return m[1];
  m = /reached EOF without matching (\S+) with (\S+)/.exec(message);
  if (m) return m[2];
  m = /unclosed here-document '([^']*)'/.exec(message);
  if (m) return `\n${m[1] ?? 'EOF'}\n`;
  if (/"fi"/.test(message)) return '\nfi';
  if (/"done"/.test(message)) return '\ndone';
  if (/"esac"/.test(message)) return '\nesac';
  if (/reached EOF without matching \{/.test(message) || /\{ .*\}/.test(message)) return '\n}';
  if (/`/.test(message) && (text.split('`').length - 1) % 2 === 1) return '`';
  return undefined;
}

/** Findings for unparseable text (see above). Never throws. */
export function fallbackFindings(text: string, env: Env, scope?: Scope): Finding[] {
  const scratch: Env = { ...scratchEnv(env), depth: env.depth + 1 };
  const sc = freshScope(env, scope);
  if (scratch.depth < MAX_DEPTH) {
    let candidate = text;
    for (let attempt = 0; attempt < MAX_REPAIRS; attempt++) {
      try {
        const file = parseShell(candidate);
        walkStmts(file.Stmts, sc, scratch);
        return scratch.findings;
      } catch (e) {
        if (!(e instanceof ShellParseError)) break;
        const suffix = repairSuffix(e.message, candidate);
        if (suffix === undefined) break;
        candidate += suffix;
      }
    }
  }
  scratch.findings.length = 0;
  tokenScan(text, sc, scratch);
  return scratch.findings;
}
