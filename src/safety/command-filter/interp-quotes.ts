/**
 * The quoting forms of interpreter languages, rewritten into plain quotes so the scans of
 * cmd-interp.ts (which read `'…'`, `"…"` and backticks) see the text the program holds:
 * Perl `q{}`/`qq()`/`qw[]`/`qx<>`, Ruby `%q{}`/`%Q[]`/`%()`/`%w[]`/`%x()`, here-documents
 * (Perl/Ruby `<<X`, `<<~X`, `<<'X'`, PHP `<<<X`), Python triple quotes and `r`/`b`/`f`/`u`
 * prefixes. Then simple literal assignments (`d = "/home"`, `my $c = q{…}`) are substituted
 * where a string interpolates them (`f"rm -rf {d}"`, `"rm -rf $d"`, `"#{d}"`).
 */
import type { Lang } from './cmd-interp.js';

const CLOSE: Readonly<Record<string, string>> = { '{': '}', '(': ')', '[': ']', '<': '>' };

/** A string literal in single quotes, with `\` and `'` escaped. */
function quoted(text: string, q = "'"): string {
  return q + text.replace(/\\/g, '\\\\').replace(new RegExp(q, 'g'), `\\${q}`) + q;
}

/** A list literal of the words of `text` (`qw`, `%w`). */
function wordList(text: string): string {
  return `[${text
    .trim()
    .split(/\s+/)
    .filter((w) => w !== '')
    .map((w) => quoted(w))
    .join(', ')}]`;
}

/** The end of a delimited body starting after `open` at `from` (nesting brackets), or -1. */
function bodyEnd(code: string, from: number, open: string): number {
  const close = CLOSE[open] ?? open;
  let depth = 0;
  for (let i = from; i < code.length; i++) {
    const c = code[i];
    if (c === '\\') i++;
    else if (c === close && depth === 0) return i;
    else if (c === close) depth--;
    else if (c === open && close !== open) depth++;
  }
  return -1;
}

/** Perl `q qq qw qx` and Ruby `%q %Q %w %W %x %i %()` forms. */
function delimitedForms(code: string, lang: Lang): string {
  // a sigil or word before `q` makes it a name (`$q{k}`, `$qx`); `%(` bare only where a value starts
  const re =
    lang === 'perl' ? /(?<![$@%&\w])(qq|qw|qx|q)\s*([{([<|!/#])/g : /(?:%([qQwWxi])|(?<=(?:^|[(,=[]|\bsystem|\bexec)\s*)%)([{([<|!/])/g;
  let out = '';
  let last = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(code)) !== null) {
    const kind = m[1] ?? '';
    const open = m[2] ?? '';
    const start = m.index + m[0].length;
    const end = bodyEnd(code, start, open);
    if (end === -1) break;
    const body = code.slice(start, end);
    const lower = kind.toLowerCase();
    const form = lower === 'w' || lower === 'i' ? wordList(body) : kind === 'qx' || kind === 'x' ? quoted(body, '`') : quoted(body);
    out += code.slice(last, m.index) + form;
    last = end + 1;
    re.lastIndex = end + 1;
  }
  return out + code.slice(last);
}

/** Here-documents: the body becomes a string at the `<<X` marker (the rest of that line kept). */
function heredocs(code: string): string {
  const re = /<<<?([~-]?)(['"]?)([A-Za-z_]\w*)\2([^\n]*)\n/;
  let out = code;
  for (let k = 0; k < 8; k++) {
    const m = re.exec(out);
    if (m === null) break;
    const tag = m[3] ?? '';
    const bodyStart = m.index + m[0].length;
    const endRe = new RegExp(`^[ \\t]*${tag};?[ \\t]*$`, 'm');
    const rest = out.slice(bodyStart);
    const e = endRe.exec(rest);
    if (e === null) break; // not a here-document after all (`a << b`): left as code
    const body = rest.slice(0, e.index);
    const after = rest.slice(e.index + e[0].length);
    out = `${out.slice(0, m.index)}${quoted(body.replace(/\n$/, ''))}${m[4] ?? ''}\n${after}`;
  }
  return out;
}

/** Python: triple quotes to single quotes, string prefixes dropped. */
function pythonStrings(code: string): string {
  const triple = code.replace(/(['"])\1\1([\s\S]*?)\1\1\1/g, (_m, _q: string, body: string) => quoted(body));
  return triple.replace(/\b(?:[rRbBuUfF]|[rR][bBfF]|[bBfF][rR])(?=['"])/g, '');
}

const STRING = /'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"|`((?:[^`\\]|\\.)*)`/g;

/** `name = 'literal'` assignments (with `my`/`const`/`$` sigils), by name. */
function literalAssignments(code: string): Map<string, string> {
  const out = new Map<string, string>();
  const re =
    /(?:^|[;\s{(])(?:(?:my|our|local|const|let|var)\s+)?([$@]?[A-Za-z_]\w*)\s*=(?!=)\s*(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(code)) !== null) out.set((m[1] ?? '').replace(/^[$@]/, ''), m[2] ?? m[3] ?? '');
  return out;
}

/** Interpolations of known literals inside strings: `{d}`, `${d}`, `$d`, `#{d}`. */
function interpolate(code: string, vars: Map<string, string>): string {
  if (vars.size === 0) return code;
  return code.replace(STRING, (s: string) =>
    s.replace(/#\{(\w+)\}|\$\{(\w+)\}|\{(\w+)\}|\$(\w+)/g, (ref: string, a?: string, b?: string, c?: string, d?: string) => {
      const v = vars.get(a ?? b ?? c ?? d ?? '');
      return v === undefined ? ref : v.replace(/['"`\\]/g, '\\$&');
    }),
  );
}

/** Rewrites the language's quoting forms into plain quotes and fills in known interpolations. */
export function seeThroughQuotes(code: string, lang: Lang): string {
  let out = code;
  if (lang === 'perl' || lang === 'ruby' || lang === 'php') out = heredocs(out);
  if (lang === 'perl' || lang === 'ruby') out = delimitedForms(out, lang);
  if (lang === 'python') out = pythonStrings(out);
  return interpolate(out, literalAssignments(out));
}

/** Every string literal and list literal (joined by spaces) of the code: what a shell-out built at run time could run. */
export function literalTexts(code: string): string[] {
  const out: string[] = [];
  const strings = (s: string): string[] => [...s.matchAll(STRING)].map((m) => (m[1] ?? m[2] ?? m[3] ?? '').replace(/\\(.)/g, '$1'));
  out.push(...strings(code));
  for (const m of code.matchAll(/\[([^[\]]*)\]/g)) {
    const items = strings(m[1] ?? '');
    if (items.length > 1) out.push(items.join(' '));
  }
  return out.filter((t) => /\S/.test(t));
}
