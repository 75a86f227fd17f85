import { createRequire } from 'node:module';
import type { ShFile, ShNode } from './shell-ast.js';

/**
 * Bash parsing through mvdan-sh (mvdan/sh compiled to JS by GopherJS), loaded lazily once.
 *
 * Reading the tree through mvdan-sh's public wrappers costs ~5 µs per field access, so the
 * converter reads the GopherJS objects behind them (`__internal_object__`) and checks, on
 * first load, that this gives the same tree as the public path; if it ever does not (another
 * mvdan-sh build), it falls back to the public path. The version is pinned in package.json.
 */

/** Thrown when the text is not valid bash; `message` is mvdan/sh's (`1:6: reached EOF …`). */
export class ShellParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ShellParseError';
  }
}

/** Fields kept per node type (positions are dropped). */
const FIELDS: Readonly<Record<string, readonly string[]>> = {
  File: ['Stmts'],
  Stmt: ['Cmd', 'Redirs', 'Negated', 'Background'],
  CallExpr: ['Assigns', 'Args'],
  Assign: ['Append', 'Naked', 'Name', 'Index', 'Value', 'Array'],
  Redirect: ['Op', 'N', 'Word', 'Hdoc'],
  Subshell: ['Stmts'],
  Block: ['Stmts'],
  IfClause: ['Cond', 'Then', 'Else'],
  WhileClause: ['Until', 'Cond', 'Do'],
  ForClause: ['Select', 'Loop', 'Do'],
  WordIter: ['Name', 'Items'],
  CStyleLoop: ['Init', 'Cond', 'Post'],
  BinaryCmd: ['Op', 'X', 'Y'],
  FuncDecl: ['RsrvWord', 'Name', 'Body'],
  Word: ['Parts'],
  Lit: ['Value'],
  SglQuoted: ['Dollar', 'Value'],
  DblQuoted: ['Dollar', 'Parts'],
  CmdSubst: ['Stmts', 'Backquotes'],
  ParamExp: ['Short', 'Excl', 'Length', 'Width', 'Param', 'Index', 'Slice', 'Repl', 'Names', 'Exp'],
  Slice: ['Offset', 'Length'],
  Replace: ['All', 'Orig', 'With'],
  Expansion: ['Op', 'Word'],
  ArithmExp: ['Bracket', 'X'],
  ArithmCmd: ['X'],
  BinaryArithm: ['Op', 'X', 'Y'],
  UnaryArithm: ['Op', 'Post', 'X'],
  ParenArithm: ['X'],
  CaseClause: ['Word', 'Items'],
  CaseItem: ['Op', 'Patterns', 'Stmts'],
  TestClause: ['X'],
  BinaryTest: ['Op', 'X', 'Y'],
  UnaryTest: ['Op', 'X'],
  ParenTest: ['X'],
  DeclClause: ['Variant', 'Args'],
  ArrayExpr: ['Elems'],
  ArrayElem: ['Index', 'Value'],
  ExtGlob: ['Op', 'Pattern'],
  ProcSubst: ['Op', 'Stmts'],
  TimeClause: ['PosixFormat', 'Stmt'],
  CoprocClause: ['Name', 'Stmt'],
  LetClause: ['Exprs'],
  BraceExp: ['Sequence', 'Elems'],
  TestDecl: ['Description', 'Body'],
};

/** Probe used to check the fast converter against the public one. */
const PROBE = [
  'f() { :|:& }; x=(a b); echo ${x[0]} ${y:-$(id)} "ä $(ls)" $\'\\x41\' <(a) >(b) `c`',
  'for ((i=0;i<2;i++)); do [[ -f $i && $i =~ ^a ]] && let i+=1; done; case $x in a|b) :;; esac',
  "if a; then b; elif c; then d; else e; fi; while f; do g; done; declare -x A=1 B; cat <<'E' >f\nhi\nE",
  'time { coproc z; } 2>&1; (( a = 1 << 2 )); echo ${a/b/c} ${a:1:2} ${!a} ${#a} @(x|y)',
].join('\n');

interface GoParser {
  Parse(text: string, name: string): unknown;
}
interface MvdanSh {
  syntax: { NewParser(): GoParser; NodeType(node: unknown): string };
}
/** GopherJS value: a struct pointer, slice or interface behind a public wrapper. */
interface GoValue {
  readonly constructor: { readonly string?: string; readonly nil?: unknown };
  readonly $length?: number;
  readonly $offset?: number;
  readonly $array?: readonly unknown[];
  readonly [field: string]: unknown;
}

type Converter = (file: unknown) => ShFile;

let loaded: { parser: GoParser; convert: Converter; fast: boolean } | undefined;

/** Go strings are byte strings in GopherJS; decode UTF-8 when a byte ≥ 0x80 is present. */
function decodeGoString(s: string): string {
  return /[\x80-\xff]/.test(s) ? Buffer.from(s, 'latin1').toString('utf8') : s;
}

function convertInternal(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (typeof v !== 'object') return v;
  const go = v as GoValue;
  const typeName = go.constructor.string;
  if (typeName === undefined) return null; // nil interface
  if (typeName.startsWith('[]')) {
    const out: unknown[] = [];
    const len = go.$length ?? 0;
    const off = go.$offset ?? 0;
    const arr = go.$array ?? [];
    for (let i = 0; i < len; i++) out.push(convertInternal(arr[off + i]));
    return out;
  }
  if (v === go.constructor.nil) return null;
  const type = typeName.startsWith('*syntax.') ? typeName.slice(8) : typeName;
  const fields = FIELDS[type];
  if (fields === undefined) throw new Error(`mvdan-sh: unexpected node type ${typeName}`);
  const node: Record<string, unknown> = { type };
  for (const k of fields) {
    const x = go[k];
    node[k] = typeof x === 'string' ? decodeGoString(x) : convertInternal(x);
  }
  return node;
}

function makePublicConverter(sh: MvdanSh): (v: unknown) => unknown {
  const conv = (v: unknown): unknown => {
    if (v === null || v === undefined) return null;
    if (Array.isArray(v)) return v.map(conv);
    if (typeof v !== 'object') return v;
    let type: string;
    try {
      type = sh.syntax.NodeType(v);
    } catch {
      // Slice, Replace and Expansion are plain structs, not Nodes
      const o = v as Record<string, unknown>;
      type = 'Orig' in o ? 'Replace' : 'Offset' in o ? 'Slice' : 'Expansion';
    }
    const fields = FIELDS[type];
    if (fields === undefined) throw new Error(`mvdan-sh: unexpected node type ${type}`);
    const node: Record<string, unknown> = { type };
    const obj = v as Record<string, unknown>;
    for (const k of fields) node[k] = conv(obj[k]);
    return node;
  };
  return conv;
}

/** Loads mvdan-sh once and undoes the globals its GopherJS runtime sets. */
function load(): { parser: GoParser; convert: Converter; fast: boolean } {
  if (loaded !== undefined) return loaded;
  const g = globalThis as Record<string, unknown>;
  const hadRequire = Object.prototype.hasOwnProperty.call(g, 'require');
  const hadSh = Object.prototype.hasOwnProperty.call(g, 'sh');
  const oldSh = g['sh'];
  const stackLimit = Error.stackTraceLimit;
  const require = createRequire(import.meta.url);
  let sh: MvdanSh;
  try {
    sh = require('mvdan-sh') as MvdanSh;
  } finally {
    // GopherJS sets Error.stackTraceLimit = Infinity, global.require and global.sh.
    Error.stackTraceLimit = stackLimit;
    if (!hadRequire) delete g['require'];
    if (hadSh) g['sh'] = oldSh;
    else delete g['sh'];
  }
  const parser = sh.syntax.NewParser();
  const publicConv = makePublicConverter(sh);
  const fast: Converter = (f) => convertInternal((f as { __internal_object__: unknown }).__internal_object__) as ShFile;
  const slow: Converter = (f) => publicConv(f) as ShFile;
  let convert = slow;
  try {
    const probe = parser.Parse(PROBE, '');
    if (JSON.stringify(fast(probe)) === JSON.stringify(slow(probe))) convert = fast;
  } catch {
    convert = slow;
  }
  loaded = { parser, convert, fast: convert === fast };
  return loaded;
}

/** Extracts mvdan/sh's message from a GopherJS-wrapped Go error. */
function errorMessage(e: unknown): string {
  if (e !== null && typeof e === 'object') {
    const maybe = e as { Error?: unknown; message?: unknown };
    if (typeof maybe.Error === 'function') {
      try {
        return String((maybe.Error as () => unknown).call(e));
      } catch {
        /* fall through */
      }
    }
    if (typeof maybe.message === 'string') return maybe.message;
  }
  return String(e);
}

/** Parses bash source; throws `ShellParseError` when bash would reject it. */
export function parseShell(source: string): ShFile {
  const { parser, convert } = load();
  let file: unknown;
  try {
    file = parser.Parse(source, '');
  } catch (e) {
    throw new ShellParseError(errorMessage(e));
  }
  return convert(file);
}

/** Loads the parser now (it is loaded on first use otherwise); returns the load time in ms. */
export function warmUpShellParser(): number {
  const t0 = performance.now();
  load();
  return performance.now() - t0;
}

/** Exposed for tests: whether the fast converter passed its self-check. */
export function usesFastConverter(): boolean {
  return load().fast;
}

export type { ShNode };
