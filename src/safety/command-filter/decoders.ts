/**
 * Which commands decode data (base64 -d, xxd -r, rev, printf '\\x..') and which download: the
 * walker marks what such a stage writes, so a decoder piped into a shell is obfuscation
 * whatever it decodes to, and a download piped into one is remote code.
 */
import type { ShCallExpr } from './shell-ast.js';
import { DYN, hasNumericEscapes, wordLiteral } from './words.js';
import { DOWNLOADERS } from './cmd-downloads.js';
import type { ShNode } from './shell-ast.js';

export function callWordsLiteral(call: ShCallExpr): string[] {
  return call.Args.map((w) => {
    const lit = wordLiteral(w);
    if (lit !== '') return lit;
    // quoted literal words: take their text without quotes
    return w.Parts.map((p) =>
      p.type === 'SglQuoted' || p.type === 'Lit'
        ? String(p['Value'] ?? '')
        : p.type === 'DblQuoted'
          ? ((p['Parts'] as ShNode[]) ?? []).map((q) => String(q['Value'] ?? '')).join('')
          : DYN,
    ).join('');
  });
}

const DECODE_CODE =
  /b64decode|base64\.decode|decodebytes|unhexlify|fromhex|Buffer\.from\([^)]*['"](?:base64|hex)['"]|atob\(|unpack\(\s*['"][mHh]|decode64|\.decode\(\s*['"](?:base64|hex|rot13)/;

/** Whether a command (by its words) decodes data: base64 -d, xxd -r, printf '\x..', … */
export function isDecoder(words: readonly string[], ansiC = false): boolean {
  const name = (words[0] ?? '').split('/').pop() ?? '';
  const rest = words.slice(1);
  const flagHas = (ch: string, long: string): boolean => rest.some((a) => a === long || (/^-[A-Za-z]+$/.test(a) && a.includes(ch)));
  switch (name) {
    case 'base64':
    case 'base32':
    case 'basenc':
    case 'base58':
    case 'gbase64':
      return flagHas('d', '--decode') || rest.includes('-D');
    case 'xxd':
      return flagHas('r', '-revert') || rest.includes('-revert');
    case 'uudecode':
    case 'uudeview':
    case 'rev':
    case 'tr':
    case 'gunzip':
    case 'zcat':
    case 'bunzip2':
    case 'bzcat':
    case 'unxz':
    case 'xzcat':
    case 'unzstd':
    case 'zstdcat':
    case 'lzcat':
    case 'rot13':
      return true;
    case 'gzip':
    case 'bzip2':
    case 'xz':
    case 'zstd':
    case 'lz4':
      return flagHas('d', '--decompress') || flagHas('d', '--decode');
    case 'openssl':
      return rest.includes('-d') || rest.includes('--decode');
    case 'printf':
      return ansiC || rest.some((a) => hasNumericEscapes(a));
    case 'echo':
      return ansiC || (rest.some((a) => /^-[neE]*e[neE]*$/.test(a)) && rest.some((a) => hasNumericEscapes(a)));
    case 'python':
    case 'python3':
    case 'perl':
    case 'ruby':
    case 'node':
    case 'php':
      return rest.some((a) => DECODE_CODE.test(a));
    default:
      return false;
  }
}

export function isDownloaderName(words: readonly string[]): boolean {
  const name = (words[0] ?? '').split('/').pop() ?? '';
  if (name === 'rsync' || name === 'scp') return false;
  return DOWNLOADERS.has(name);
}
