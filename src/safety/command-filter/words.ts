import type { ShNode, ShStmt, ShWord } from './shell-ast.js';
import { PAREXP } from './shell-ast.js';
import type { Scope, VarValue } from './scope.js';

/** Text standing in for an unknown expansion in sketches and re-parsed scripts. */
export const DYN = '__DYN__';

/** What the filter knows about one shell word after expansion and quote removal. */
export interface WordValue {
  /** Known expansions (alternatives: variables with several values, brace expansion). */
  readonly values: readonly string[];
  /** Same as `values`, with quoted glob characters backslash-escaped. */
  readonly patterns: readonly string[];
  /** Some part is unknown (an unknown variable, a substitution with unknown output). */
  readonly dynamic: boolean;
  /** An unknown part is unquoted, so it may split into several words, even options. */
  readonly splittable: boolean;
  /** Unquoted glob characters. */
  readonly glob: boolean;
  /** Quotes or backslashes were used. */
  readonly quoted: boolean;
  /** `$'…'` with numeric escapes (`\x72`, `\162`, `\u0072`). */
  readonly ansiC: boolean;
  /** Unquoted `$IFS` / `${IFS…}`. */
  readonly ifs: boolean;
  /** An unquoted variable expansion (subject to word splitting on `$IFS`). */
  readonly varSplit: boolean;
  /** `${x@P}`: prompt expansion runs substitutions stored in a variable. */
  readonly prompt: boolean;
  /** Unquoted brace expansion (`{a,b}`, `{1..3}`). */
  readonly brace: boolean;
  /** Contains `$(…)`, backticks or a process substitution. */
  readonly subst: boolean;
  /** A process substitution `<(…)`/`>(…)`. */
  readonly procSubst: boolean;
  /** A substitution in it runs a decoder (base64 -d, xxd -r, printf '\x..', …). */
  readonly decoder: boolean;
  /** A substitution in it downloads (curl, wget, …). */
  readonly remote: boolean;
  /** It comes from stdin operands (xargs, parallel without :::). */
  readonly stdin: boolean;
  /** What reading a `<(…)` in it gives, when its output is static (`<(echo 'rm -rf /')`). */
  readonly procText?: string;
  /** Text with unknown parts as `__DYN__` (re-parsed when a dynamic script is inspected). */
  readonly sketch: string;
  /** Display text, unknown parts as written (`$BUILD_DIR`, `$(…)`). */
  readonly display: string;
}

/** Result of running a command substitution's statements through the walker. */
export interface SubstOutcome {
  /** Output, when it is static (`$(echo x)`, `$(printf 'x')`, `$(pwd)`). */
  readonly output?: string;
  /** The substitution runs a decoder. */
  readonly decoder: boolean;
  /** The substitution downloads. */
  readonly remote: boolean;
}

/** Callbacks the word evaluator needs from the walker. */
export interface WordHooks {
  /** Walks `$(…)`/`<(…)` statements (recording findings) and says what they produce. */
  substitution(stmts: readonly ShStmt[], scope: Scope, proc: boolean): SubstOutcome;
  /** Walks words nested in arithmetic or parameter expressions, for their substitutions. */
  nested(node: ShNode, scope: Scope): void;
  /** Home directory. */
  readonly home: string;
  /** Value of `$TMPDIR`. */
  readonly tmpdir: string;
  /** User name, when known. */
  readonly user: string | undefined;
}

interface Seg {
  readonly text: string;
  readonly quoted: boolean;
  readonly dyn?: boolean;
  /** For unknown parts: how to show them. */
  readonly label?: string;
}
type Alt = readonly Seg[];

interface Flags {
  varSplit: boolean;
  dynamic: boolean;
  splittable: boolean;
  quoted: boolean;
  ansiC: boolean;
  ifs: boolean;
  prompt: boolean;
  subst: boolean;
  procSubst: boolean;
  decoder: boolean;
  remote: boolean;
  stdin: boolean;
  procText?: string;
}

const MAX_ALTS = 32;
const GLOB_CHARS = new Set(['*', '?', '[', ']']);

function newFlags(): Flags {
  return {
    varSplit: false,
    dynamic: false,
    splittable: false,
    quoted: false,
    ansiC: false,
    ifs: false,
    prompt: false,
    subst: false,
    procSubst: false,
    decoder: false,
    remote: false,
    stdin: false,
  };
}

function cross(a: readonly Alt[], b: readonly Alt[], flags: Flags): Alt[] {
  const out: Alt[] = [];
  for (const x of a) {
    for (const y of b) {
      if (out.length >= MAX_ALTS) {
        flags.dynamic = true;
        return out;
      }
      out.push([...x, ...y]);
    }
  }
  return out;
}

/** Decodes the body of `$'…'`; `numeric` says whether \x, \NNN, \u or \c escapes were used. */
export function decodeAnsiC(raw: string): { text: string; numeric: boolean } {
  let out = '';
  let numeric = false;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c !== '\\' || i + 1 >= raw.length) {
      out += c;
      continue;
    }
    const n = raw[++i] ?? '';
    const simple: Record<string, string> = {
      a: '\x07',
      b: '\b',
      e: '\x1b',
      E: '\x1b',
      f: '\f',
      n: '\n',
      r: '\r',
      t: '\t',
      v: '\v',
      '\\': '\\',
      "'": "'",
      '"': '"',
      '?': '?',
    };
    const s = simple[n];
    if (s !== undefined) {
      out += s;
      continue;
    }
    if (n === 'x') {
      const m = /^[0-9a-fA-F]{1,2}/.exec(raw.slice(i + 1));
      if (m) {
        out += String.fromCharCode(parseInt(m[0], 16));
        i += m[0].length;
        numeric = true;
        continue;
      }
    } else if (n === 'u' || n === 'U') {
      const m = (n === 'u' ? /^[0-9a-fA-F]{1,4}/ : /^[0-9a-fA-F]{1,8}/).exec(raw.slice(i + 1));
      if (m) {
        out += String.fromCodePoint(parseInt(m[0], 16));
        i += m[0].length;
        numeric = true;
        continue;
      }
    } else if (n >= '0' && n <= '7') {
      const m = /^[0-7]{1,3}/.exec(raw.slice(i));
      if (m) {
        out += String.fromCharCode(parseInt(m[0], 8) & 0xff);
        i += m[0].length - 1;
        numeric = true;
        continue;
      }
    } else if (n === 'c') {
      const ch = raw[i + 1];
      if (ch !== undefined) {
        out += String.fromCharCode(ch.toUpperCase().charCodeAt(0) ^ 0x40);
        i += 1;
        numeric = true;
        continue;
      }
    }
    out += '\\' + n;
  }
  return { text: out, numeric };
}

/** Whether text contains escapes that `echo -e`/`printf` turn into other characters. */
export function hasNumericEscapes(text: string): boolean {
  return /\\(?:x[0-9a-fA-F]|u[0-9a-fA-F]|U[0-9a-fA-F]|0?[0-7]{2,3}|c.)/.test(text);
}

function litSegments(value: string, inDbl: boolean, flags: Flags): Seg[] {
  const out: Seg[] = [];
  let buf = '';
  let bufQuoted = inDbl;
  const push = (ch: string, q: boolean): void => {
    if (q !== bufQuoted && buf !== '') {
      out.push({ text: buf, quoted: bufQuoted });
      buf = '';
    }
    bufQuoted = q;
    buf += ch;
  };
  for (let i = 0; i < value.length; i++) {
    const c = value[i] ?? '';
    if (c === '\\' && i + 1 < value.length) {
      const n = value[i + 1] ?? '';
      if (n === '\n') {
        i++;
        continue;
      }
      if (!inDbl || '$`"\\'.includes(n)) {
        flags.quoted = true;
        push(n, true);
        i++;
        continue;
      }
      push(c, inDbl);
      continue;
    }
    push(c, inDbl);
  }
  if (buf !== '') out.push({ text: buf, quoted: bufQuoted });
  if (inDbl) flags.quoted = true;
  return out;
}

function tildeExpand(text: string, hooks: WordHooks, scope: Scope): string | null {
  // text starts with '~'; returns the expanded prefix or null when unknown
  const slash = text.indexOf('/');
  const name = slash === -1 ? text.slice(1) : text.slice(1, slash);
  const rest = slash === -1 ? '' : text.slice(slash);
  if (name === '') return hooks.home + rest;
  if (name === '+') return scope.cwd === null ? null : scope.cwd + rest;
  if (name === '-') return null;
  if (!/^[A-Za-z_][A-Za-z0-9._-]*$/.test(name)) return text;
  if (name === hooks.user) return hooks.home + rest;
  if (name === 'root') return '/root' + rest;
  return `/home/${name}` + rest;
}

/** A variable's value as the shell would find it (assigned in the line, or HOME/TMPDIR/PWD/USER). */
export function lookupVar(name: string, scope: Scope, hooks: WordHooks): VarValue | undefined {
  const v = scope.vars.get(name);
  if (v !== undefined) return v;
  switch (name) {
    case 'HOME':
      return { values: [hooks.home], dynamic: false };
    case 'TMPDIR':
      return { values: [hooks.tmpdir], dynamic: false };
    case 'PWD':
      return scope.cwd === null ? undefined : { values: [scope.cwd], dynamic: false };
    case 'USER':
    case 'LOGNAME':
      return hooks.user === undefined ? undefined : { values: [hooks.user], dynamic: false };
    default:
      break;
  }
  if (/^[0-9]$/.test(name) && scope.positional !== null) {
    return scope.positional[Number(name)] ?? { values: [''], dynamic: false };
  }
  if ((name === '@' || name === '*') && scope.positional !== null) {
    const values: string[] = [];
    let dynamic = false;
    let stdin = false;
    for (const p of scope.positional.slice(1)) {
      values.push(...p.values);
      dynamic ||= p.dynamic;
      stdin ||= p.stdin === true;
    }
    return { values, dynamic, stdin };
  }
  return undefined;
}

interface EvalCtx {
  readonly scope: Scope;
  readonly hooks: WordHooks;
  readonly flags: Flags;
}

function dynAlt(inDbl: boolean, label = DYN): Alt[] {
  return [[{ text: DYN, quoted: inDbl, dyn: true, label }]];
}

function paramAlts(node: ShNode, inDbl: boolean, ec: EvalCtx): Alt[] {
  const { flags, scope, hooks } = ec;
  const param = node['Param'] as { Value?: string } | null;
  const name = param?.Value ?? '';
  for (const k of ['Index', 'Slice', 'Repl']) {
    const sub = node[k];
    if (sub !== null && sub !== undefined) hooks.nested(sub as ShNode, scope);
  }
  const exp = node['Exp'] as { Op: number; Word: ShWord | null } | null;
  if (name === 'IFS' && !inDbl) flags.ifs = true;
  if (!inDbl) flags.varSplit = true;
  if (exp !== null && exp.Op === PAREXP.OtherParamOps) {
    const w = exp.Word;
    const op = w === null ? '' : wordLiteral(w);
    if (op === 'P') flags.prompt = true;
  }
  const label =
    node['Short'] === true
      ? `$${name}`
      : `\${${node['Excl'] === true ? '!' : ''}${node['Length'] === true ? '#' : ''}${name}${exp !== null || node['Index'] || node['Slice'] || node['Repl'] ? '…' : ''}}`;
  const markDyn = (): Alt[] => {
    flags.dynamic = true;
    if (!inDbl) flags.splittable = true;
    return dynAlt(inDbl, label);
  };
  // `${!v}` with v=HOME: indirection to the variable v names (not `${!a[@]}` or `${!prefix*}`)
  if (
    node['Excl'] === true &&
    exp === null &&
    node['Length'] !== true &&
    !node['Index'] &&
    !node['Names'] &&
    !node['Slice'] &&
    !node['Repl']
  ) {
    const ref = lookupVar(name, scope, hooks);
    const targets = ref === undefined || ref.dynamic ? [] : ref.values;
    if (targets.length > 0 && targets.every((t) => /^[A-Za-z_]\w*$/.test(t))) {
      const values = targets.map((t) => lookupVar(t, scope, hooks));
      if (values.every((v) => v !== undefined && !v.dynamic))
        return values.flatMap((v) => (v?.values ?? []).map((s) => [{ text: s, quoted: inDbl }]));
    }
  }
  if (node['Excl'] === true || node['Length'] === true || node['Width'] === true) {
    if (exp?.Word) evalAlts(exp.Word.Parts, inDbl, ec);
    return markDyn();
  }
  if (node['Index'] || node['Slice'] || node['Repl']) {
    if (node['Repl']) {
      const r = node['Repl'] as { Orig: ShWord | null; With: ShWord | null };
      if (r.Orig) evalAlts(r.Orig.Parts, true, ec);
      if (r.With) evalAlts(r.With.Parts, true, ec);
    }
    return markDyn();
  }
  const v = lookupVar(name, scope, hooks);
  if (v?.stdin) flags.stdin = true;
  if (v?.decoder) flags.decoder = true;
  if (v?.remote) flags.remote = true;
  const known: Alt[] = (v?.values ?? []).map((s) => [{ text: s, quoted: inDbl }]);
  const unknown = v === undefined || v.dynamic;
  if (exp === null) {
    if (unknown) {
      markDyn();
      return [...known, ...dynAlt(inDbl, label)];
    }
    return known.length > 0 ? known : [[{ text: '', quoted: inDbl }]];
  }
  const op = exp.Op;
  const wordAlts = exp.Word ? evalAlts(exp.Word.Parts, inDbl, ec) : [[{ text: '', quoted: inDbl }]];
  const isDefault =
    op === PAREXP.DefaultUnset || op === PAREXP.DefaultUnsetOrNull || op === PAREXP.AssignUnset || op === PAREXP.AssignUnsetOrNull;
  const isAlternate = op === PAREXP.AlternateUnset || op === PAREXP.AlternateUnsetOrNull;
  const isError = op === PAREXP.ErrorUnset || op === PAREXP.ErrorUnsetOrNull;
  if (isDefault) {
    if (!unknown && known.length > 0 && (v?.values ?? []).every((s) => s !== '')) return known;
    const texts = wordAlts.map((alt) => (alt.some((s) => s.dyn) ? undefined : alt.map((s) => s.text).join('')));
    if ((op === PAREXP.AssignUnset || op === PAREXP.AssignUnsetOrNull) && /^[A-Za-z_]\w*$/.test(name)) {
      // `: ${X:=/}` assigns the default when X is unset: X may now hold it (or what it held)
      const values = [...(v?.values ?? []), ...texts.filter((t): t is string => t !== undefined)];
      scope.vars.set(name, { values, dynamic: unknown || texts.includes(undefined) });
    }
    markDyn();
    return [...known, ...wordAlts, ...(unknown ? dynAlt(inDbl, label) : [])];
  }
  if (isAlternate) {
    if (!unknown) return wordAlts;
    markDyn();
    return [...wordAlts, [{ text: '', quoted: inDbl }]];
  }
  if (isError) {
    if (!unknown) return known;
    markDyn();
    return [...known, ...dynAlt(inDbl, label)];
  }
  // ${PWD%/*}, ${x##*/}: remove a glob-matched suffix or prefix from each known value
  if (op >= PAREXP.RemSmallSuffix && op <= PAREXP.RemLargePrefix && !unknown && known.length > 0) {
    const patterns = wordAlts.map((alt) => (alt.some((s) => s.dyn) ? undefined : alt.map((s) => s.text).join('')));
    if (patterns.every((p): p is string => p !== undefined)) {
      const out = (v?.values ?? []).flatMap((value) => patterns.map((p) => trimMatch(value, p, op)));
      return out.map((text) => [{ text, quoted: inDbl }]);
    }
  }
  // ^, , and the rest: the value depends on operations we do not model.
  return markDyn();
}

/** A glob pattern as an anchored regex body (`*`, `?`, `[…]`; the rest literal). */
function globRegex(pattern: string): string {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] ?? '';
    if (c === '*') out += '[^]*';
    else if (c === '?') out += '[^]';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end === -1) out += '\\[';
      else {
        out += `[${pattern
          .slice(i + 1, end)
          .replace(/^!/, '^')
          .replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else if (c === '\\' && i + 1 < pattern.length) out += (pattern[++i] ?? '').replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    else out += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return out;
}

/** `${v%p}`, `${v%%p}`, `${v#p}`, `${v##p}` on a known value. */
function trimMatch(value: string, pattern: string, op: number): string {
  const re = globRegex(pattern);
  const suffix = op === PAREXP.RemSmallSuffix || op === PAREXP.RemLargeSuffix;
  const longest = op === PAREXP.RemLargeSuffix || op === PAREXP.RemLargePrefix;
  const anchored = new RegExp(`^(?:${re})$`);
  // try cut points from the shortest match to the longest (or the reverse)
  const cuts = [...Array(value.length + 1).keys()];
  const order = suffix ? (longest ? cuts : cuts.reverse()) : longest ? cuts.reverse() : cuts;
  for (const k of order) {
    const piece = suffix ? value.slice(k) : value.slice(0, k);
    if (anchored.test(piece)) return suffix ? value.slice(0, k) : value.slice(k);
  }
  return value;
}

function evalPart(part: ShNode, inDbl: boolean, ec: EvalCtx, first: boolean): Alt[] {
  const { flags } = ec;
  switch (part.type) {
    case 'Lit': {
      const value = String(part['Value'] ?? '');
      if (first && !inDbl && value.startsWith('~')) {
        const slash = value.indexOf('/');
        const head = slash === -1 ? value : value.slice(0, slash);
        if (!head.includes('\\')) {
          const expanded = tildeExpand(head, ec.hooks, ec.scope);
          const tail = slash === -1 ? '' : value.slice(slash);
          if (expanded === null) {
            flags.dynamic = true;
            return [[{ text: DYN, quoted: false, dyn: true }, ...litSegments(tail, false, flags)]];
          }
          return [[{ text: expanded, quoted: true }, ...litSegments(tail, false, flags)]];
        }
      }
      return [litSegments(value, inDbl, flags)];
    }
    case 'SglQuoted': {
      flags.quoted = true;
      const raw = String(part['Value'] ?? '');
      if (part['Dollar'] === true) {
        const d = decodeAnsiC(raw);
        if (d.numeric) flags.ansiC = true;
        return [[{ text: d.text, quoted: true }]];
      }
      return [[{ text: raw, quoted: true }]];
    }
    case 'DblQuoted': {
      flags.quoted = true;
      const parts = (part['Parts'] as ShNode[] | null) ?? [];
      if (parts.length === 0) return [[{ text: '', quoted: true }]];
      return evalAlts(parts, true, ec);
    }
    case 'ParamExp':
      return paramAlts(part, inDbl, ec);
    case 'CmdSubst':
    case 'ProcSubst': {
      const proc = part.type === 'ProcSubst';
      if (proc) flags.procSubst = true;
      const stmts = (part['Stmts'] as ShStmt[] | null) ?? [];
      flags.subst = true;
      const r = ec.hooks.substitution(stmts, ec.scope, proc);
      if (r.decoder) flags.decoder = true;
      if (r.remote) flags.remote = true;
      if (proc && r.output !== undefined) flags.procText = r.output;
      if (!proc && r.output !== undefined) {
        // static output undergoes word splitting when unquoted; keep it as one text
        return [[{ text: r.output, quoted: inDbl }]];
      }
      flags.dynamic = true;
      if (!inDbl && !proc) flags.splittable = true;
      return dynAlt(inDbl, proc ? `${Number(part['Op']) === 66 ? '<' : '>'}(…)` : part['Backquotes'] === true ? '`…`' : '$(…)');
    }
    case 'ArithmExp': {
      const x = part['X'];
      if (x !== null && x !== undefined) ec.hooks.nested(x as ShNode, ec.scope);
      flags.dynamic = true;
      return dynAlt(inDbl, '$((…))');
    }
    case 'ExtGlob': {
      const pat = part['Pattern'] as { Value?: string } | null;
      const opChar: Record<number, string> = { 139: '?', 140: '*', 141: '+', 142: '@', 143: '!' };
      return [[{ text: `${opChar[Number(part['Op'])] ?? '@'}(${pat?.Value ?? ''})`, quoted: false }]];
    }
    default:
      flags.dynamic = true;
      return dynAlt(inDbl);
  }
}

function evalAlts(parts: readonly ShNode[], inDbl: boolean, ec: EvalCtx): Alt[] {
  let alts: Alt[] = [[]];
  parts.forEach((p, i) => {
    alts = cross(alts, evalPart(p, inDbl, ec, i === 0), ec.flags);
  });
  return alts;
}

interface Ch {
  readonly c: string;
  readonly q: boolean;
  readonly dyn: boolean;
  readonly label?: string;
}

function toChars(alt: Alt): Ch[] {
  const out: Ch[] = [];
  for (const s of alt) {
    if (s.dyn) {
      out.push({ c: DYN, q: s.quoted, dyn: true, label: s.label ?? DYN });
      continue;
    }
    for (const c of s.text) out.push({ c, q: s.quoted, dyn: false });
  }
  return out;
}

function seqExpand(body: string): string[] | null {
  const m = /^(-?\d+|[A-Za-z])\.\.(-?\d+|[A-Za-z])(?:\.\.(-?\d+))?$/.exec(body);
  if (!m) return null;
  const [, a = '', b = '', stepRaw] = m;
  const step = Math.abs(Number(stepRaw ?? '1')) || 1;
  const num = /^-?\d+$/.test(a) && /^-?\d+$/.test(b);
  const from = num ? Number(a) : a.charCodeAt(0);
  const to = num ? Number(b) : b.charCodeAt(0);
  const out: string[] = [];
  const dir = from <= to ? 1 : -1;
  for (let x = from; dir > 0 ? x <= to : x >= to; x += dir * step) {
    out.push(num ? String(x) : String.fromCharCode(x));
    if (out.length > 64) break;
  }
  return out;
}

/** Bash brace expansion over unquoted braces; null when the word has none. */
function braceExpand(chars: Ch[], depth = 0): Ch[][] | null {
  if (depth > 8) return null;
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i];
    if (!ch || ch.q || ch.dyn || ch.c !== '{') continue;
    if (i > 0 && chars[i - 1]?.c === '$' && !chars[i - 1]?.q) continue;
    let level = 0;
    const commas: number[] = [];
    let close = -1;
    for (let j = i + 1; j < chars.length; j++) {
      const cj = chars[j];
      if (!cj || cj.q || cj.dyn) continue;
      if (cj.c === '{') level++;
      else if (cj.c === '}') {
        if (level === 0) {
          close = j;
          break;
        }
        level--;
      } else if (cj.c === ',' && level === 0) commas.push(j);
    }
    if (close === -1) continue;
    const prefix = chars.slice(0, i);
    const suffix = chars.slice(close + 1);
    let options: Ch[][];
    if (commas.length > 0) {
      options = [];
      let start = i + 1;
      for (const c of [...commas, close]) {
        options.push(chars.slice(start, c));
        start = c + 1;
      }
    } else {
      const body = chars.slice(i + 1, close);
      if (body.some((x) => x.q || x.dyn)) continue;
      const seq = seqExpand(body.map((x) => x.c).join(''));
      if (seq === null) continue;
      options = seq.map((s) => [...s].map((c) => ({ c, q: false, dyn: false })));
    }
    const out: Ch[][] = [];
    for (const opt of options) {
      const combined = [...prefix, ...opt, ...suffix];
      const again = braceExpand(combined, depth + 1);
      for (const r of again ?? [combined]) {
        out.push(r);
        if (out.length >= 64) return out;
      }
    }
    return out;
  }
  return null;
}

function hasGlob(chars: readonly Ch[]): boolean {
  let open = false;
  for (const ch of chars) {
    if (ch.q || ch.dyn) continue;
    if (ch.c === '*' || ch.c === '?') return true;
    if (ch.c === '[') open = true;
    if (ch.c === ']' && open) return true;
  }
  return false;
}

/** Evaluates a parsed word: quote removal, tilde, variables, static substitutions, braces. */
export function evalWord(word: ShWord, scope: Scope, hooks: WordHooks): WordValue {
  const flags = newFlags();
  const ec: EvalCtx = { scope, hooks, flags };
  const alts = evalAlts(word.Parts, false, ec);
  const values: string[] = [];
  const patterns: string[] = [];
  let glob = false;
  let brace = false;
  let sketch: string | undefined;
  let display: string | undefined;
  for (const alt of alts) {
    let chars = toChars(alt);
    const expanded = braceExpand(chars);
    const list = expanded ?? [chars];
    if (expanded !== null) brace = true;
    // past the cap some expansions were not looked at: they are unknown
    if (expanded !== null && expanded.length >= 64) flags.dynamic = true;
    for (chars of list) {
      if (hasGlob(chars)) glob = true;
      const text = chars.map((x) => x.c).join('');
      sketch ??= text;
      display ??= chars.map((x) => (x.dyn ? (x.label ?? DYN) : x.c)).join('');
      if (chars.some((x) => x.dyn)) continue;
      values.push(text);
      patterns.push(chars.map((x) => (x.q && GLOB_CHARS.has(x.c) ? '\\' + x.c : x.c)).join(''));
    }
  }
  return {
    values,
    patterns,
    dynamic: flags.dynamic,
    splittable: flags.splittable,
    glob,
    quoted: flags.quoted,
    ansiC: flags.ansiC,
    ifs: flags.ifs,
    varSplit: flags.varSplit,
    prompt: flags.prompt,
    brace,
    subst: flags.subst,
    procSubst: flags.procSubst,
    decoder: flags.decoder,
    remote: flags.remote,
    stdin: flags.stdin,
    ...(flags.procText !== undefined && { procText: flags.procText }),
    sketch: sketch ?? '',
    display: display ?? sketch ?? '',
  };
}

/** A word with one known value (used for words the filter builds itself). */
export function literalWord(text: string, extra: Partial<WordValue> = {}): WordValue {
  return {
    values: [text],
    patterns: [text.replace(/[*?[\]]/g, (c) => '\\' + c)],
    dynamic: false,
    splittable: false,
    glob: false,
    quoted: false,
    ansiC: false,
    ifs: false,
    varSplit: false,
    prompt: false,
    brace: false,
    subst: false,
    procSubst: false,
    decoder: false,
    remote: false,
    stdin: false,
    sketch: text,
    display: text,
    ...extra,
  };
}

/** A word with an unglobbed pattern (a path under find's root, `{}` …). */
export function patternWord(value: string, pattern: string, extra: Partial<WordValue> = {}): WordValue {
  return {
    ...literalWord(value),
    patterns: [pattern],
    glob: /(^|[^\\])[*?[]/.test(pattern),
    ...extra,
  };
}

/** A word whose value is unknown. */
export function unknownWord(extra: Partial<WordValue> = {}): WordValue {
  return {
    ...literalWord(DYN),
    values: [],
    patterns: [],
    dynamic: true,
    splittable: true,
    ...extra,
  };
}

/** The literal text of a word made only of literal parts, else ''. */
export function wordLiteral(word: ShWord): string {
  let out = '';
  for (const p of word.Parts) {
    if (p.type !== 'Lit') return '';
    out += String(p['Value'] ?? '');
  }
  return out;
}

/** First known value of a word, or its sketch. */
export function wordText(w: WordValue): string {
  return w.values[0] ?? w.sketch;
}

/** First known value of a word, or how it was written (for messages). */
export function wordDisplay(w: WordValue): string {
  return w.values[0] ?? w.display;
}

/** Whether the word has exactly one known value equal to `s`. */
export function wordIs(w: WordValue, s: string): boolean {
  return !w.dynamic && w.values.length === 1 && w.values[0] === s;
}

/** Quotes a word for display when it needs it. */
export function displayWord(s: string): string {
  if (s === '') return "''";
  if (/^[A-Za-z0-9_@%+=:,./~{}$()*…`-]+$/.test(s) || s.includes(DYN)) return s;
  return `'${s.replace(/'/g, `'\\''`)}'`;
}
