import { posix } from 'node:path';
import type { Env, Scope } from './scope.js';
import { staticText } from './simple-command.js';
import { decodeAnsiC, literalWord, type WordValue } from './words.js';
import { scanOptions } from './options.js';
import { MKTEMP_OPTIONS } from './command-options.js';
import { resolvePath } from './paths.js';

/** Static output of echo/printf/pwd/whoami with known words; undefined otherwise. */
export function staticOutput(argv: readonly WordValue[], scope: Scope, env: Env): string | undefined {
  const texts: string[] = [];
  for (const w of argv) {
    const t = staticText(w);
    if (t === undefined) return undefined;
    texts.push(t);
  }
  const name = (texts[0] ?? '').split('/').pop();
  const rest = texts.slice(1);
  switch (name) {
    case 'echo': {
      let newline = true;
      let escapes = false;
      while (rest.length > 0 && /^-[neE]+$/.test(rest[0] ?? '')) {
        const f = rest.shift() ?? '';
        if (f.includes('n')) newline = false;
        if (f.includes('e')) escapes = true;
      }
      let out = rest.join(' ');
      if (escapes) out = decodeAnsiC(out.replace(/'/g, "\\'")).text;
      return out + (newline ? '\n' : '');
    }
    case 'printf': {
      if (rest[0] === '--') rest.shift();
      const fmt = rest.shift();
      if (fmt === undefined) return undefined;
      const args = [...rest];
      let out = '';
      let guard = 0;
      do {
        out += decodeAnsiC(fmt.replace(/'/g, "\\'")).text.replace(/%(?:[-+ #0]*\d*(?:\.\d+)?)?([sbdiouxXcq%])/g, (_, conv: string) => {
          if (conv === '%') return '%';
          const a = args.shift() ?? '';
          return conv === 'b' ? decodeAnsiC(a).text : a;
        });
        guard++;
      } while (args.length > 0 && guard < 64);
      return out;
    }
    case 'pwd':
      return scope.cwd === null ? undefined : scope.cwd + '\n';
    case 'whoami':
      return env.ctx.user === undefined ? undefined : env.ctx.user + '\n';
    case 'true':
    case ':':
      return '';
    case 'mktemp':
      return mktempOutput(rest, scope, env);
    case 'dirname':
    case 'basename':
    case 'realpath':
    case 'readlink':
      return pathOutput(name, rest, scope);
    default: {
      const found = lookedUpName(texts);
      return found === undefined ? undefined : `/usr/bin/${found}\n`;
    }
  }
}

/** `which rm`, `command -v rm`, `type -P rm`, `whereis -b`…: the program a name resolves to. */
export function lookedUpName(texts: readonly string[]): string | undefined {
  const [name, ...rest] = texts;
  const args = rest.filter((a) => !a.startsWith('-'));
  const flags = rest.filter((a) => a.startsWith('-'));
  const only = args.length === 1 ? args[0] : undefined;
  if (only === undefined || !/^[A-Za-z0-9._+-]+$/.test(only)) return undefined;
  if (name === 'which' && flags.every((f) => f === '--skip-alias' || f === '-s')) return only;
  if (name === 'command' && flags.length === 1 && (flags[0] === '-v' || flags[0] === '-V')) return only;
  if (name === 'type' && flags.length === 1 && (flags[0] === '-P' || flags[0] === '-p')) return only;
  return undefined;
}

/** dirname/basename/realpath -m/readlink -f: lexical path operations (no file system). */
function pathOutput(name: string, rest: readonly string[], scope: Scope): string | undefined {
  const flags = rest.filter((a) => a.startsWith('-'));
  const args = rest.filter((a) => !a.startsWith('-'));
  const arg = args[0];
  if (arg === undefined) return undefined;
  if (name === 'dirname' && flags.length === 0) {
    return args.map((a) => posix.dirname(a)).join('\n') + '\n';
  }
  if (name === 'basename' && flags.length === 0 && args.length <= 2) {
    const b = posix.basename(arg);
    const suffix = args[1];
    return (suffix !== undefined && b.endsWith(suffix) && b !== suffix ? b.slice(0, -suffix.length) : b) + '\n';
  }
  if (args.length !== 1) return undefined;
  if (name === 'realpath' || (name === 'readlink' && flags.some((f) => /^-[a-z]*[fem]/.test(f)))) {
    const abs = resolvePath(arg, scope);
    return abs === null ? undefined : abs + '\n';
  }
  return undefined;
}

/**
 * `mktemp [-d] [-p DIR|--tmpdir[=DIR]|-t] [TEMPLATE]`: a new name under the temp dir (or DIR, or
 * the cwd for a bare TEMPLATE); the X's are left as they are, the directory is what matters.
 */
function mktempOutput(rest: readonly string[], scope: Scope, env: Env): string | undefined {
  const scan = scanOptions(
    rest.map((t) => literalWord(t)),
    MKTEMP_OPTIONS,
  );
  let dir: string | undefined;
  let tmp = false;
  for (const it of scan.items) {
    if (it.name === '-p' || (it.name === '--tmpdir' && it.value !== undefined)) dir = staticText(it.value ?? literalWord(''));
    else if (it.name === '-t' || it.name === '--tmpdir') tmp = true;
    // a suffix or an unknown option: the name is not known
    else if (!['-d', '-q', '-u', '--directory', '--quiet', '--dry-run'].includes(it.name)) return undefined;
  }
  const args = scan.operands.map((w) => staticText(w) ?? '');
  const tmpVar = scope.vars.get('TMPDIR');
  const tmpDir = tmpVar === undefined ? env.ctx.tmpDirs?.[0] : tmpVar.dynamic || tmpVar.values.length !== 1 ? undefined : tmpVar.values[0];
  const template = args[0] ?? 'tmp.XXXXXXXXXX';
  // under -p/--tmpdir/-t mktemp refuses an absolute template (it prints nothing): not a known name
  if ((dir !== undefined || tmp) && template.startsWith('/')) return undefined;
  const base = dir ?? (tmp || args.length === 0 ? tmpDir : undefined);
  const abs = resolvePath(base === undefined ? template : posix.join(base, template), scope);
  return abs === null ? undefined : abs + '\n';
}
