import type { ShNode, ShStmt, ShWord, ShCallExpr, ShAssign, ShRedirect } from './shell-ast.js';
import { BINCMD, PROC, REDIR } from './shell-ast.js';
import { parseShell, ShellParseError } from './parse-shell.js';
import type { Env, Scope, VarValue } from './scope.js';
import { childScope } from './scope.js';
import type { RunMode, SimpleCommand, Stdin } from './simple-command.js';
import { argTexts, report, staticText, shortFlags } from './simple-command.js';
import type { SubstOutcome, WordHooks, WordValue } from './words.js';
import {
  DYN,
  decodeAnsiC,
  evalWord,
  hasNumericEscapes,
  literalWord,
  unknownWord,
  wordDisplay,
  wordLiteral,
  wordText,
} from './words.js';
import { globMatchSegment, resolvePath } from './paths.js';
import type { Finding } from './types.js';
import {
  classifyCopy,
  classifyDd,
  classifyDisk,
  classifyFileOperands,
  classifyFind,
  classifyMove,
  classifyPerms,
  classifyRedirectTarget,
  classifyRm,
  classifyRsync,
  classifySed,
  classifyShred,
  classifyTee,
  classifyUnlink,
  checkWrite,
} from './cmd-fs.js';
import { classifyGit } from './cmd-git.js';
import {
  classifyHost,
  classifyInfra,
  classifyPackages,
  DOWNLOADERS,
  recordDownloads,
} from './cmd-misc.js';
import { classifyInterpreterCode, interpreterLang } from './cmd-interp.js';
import type { Lang } from './cmd-interp.js';
import { fallbackFindings } from './fallback.js';
import { staticOutput } from './static-output.js';
import { classifyDeleteTool, classifyPackageRunner, DELETE_TOOLS } from './cmd-runners.js';
import { classifyAt, classifyEditor, classifyEmacs, classifyMake, classifyScreen, classifySedExec, classifyTmux, sshLocalCommands } from './cmd-text-to-code.js';
import { cdTarget, runPrintfV, runRead, runSet } from './shell-builtins.js';

/** Deepest nesting of re-parsed scripts (`sh -c "sh -c '…'"`) before giving up. */
export const MAX_DEPTH = 10;

const SHELLS = new Set([
  'sh',
  'bash',
  'zsh',
  'dash',
  'ksh',
  'mksh',
  'ash',
  'fish',
  'csh',
  'tcsh',
  'rbash',
  'yash',
  'posh',
  'oksh',
  'loksh',
  'pdksh',
]);
const PRIV = new Set(['sudo', 'doas', 'pkexec', 'run0', 'sudoedit']);

/**
 * How a wrapper's own arguments end and its command begins: options (those in `valueOpts` take
 * a value), then `skip` positionals (`timeout DURATION`, `chroot DIR`), then the command.
 * `noCommand`: an argument that makes the wrapper act on a running process (`ionice -p`).
 */
interface ArgvWrapper {
  readonly valueOpts?: readonly string[];
  readonly skip?: number;
  readonly noCommand?: (arg: string) => boolean;
}

/** Policy-listed wrappers read as `[options] [skip positionals] command…`. */
const OPTION_WRAPPERS: ReadonlyMap<string, ArgvWrapper> = new Map<string, ArgvWrapper>([
  ['exec', { valueOpts: ['-a'] }],
  ['nice', { valueOpts: ['-n', '--adjustment'] }],
  ['time', { valueOpts: ['-f', '-o', '--format', '--output'] }],
  ['timeout', { valueOpts: ['-k', '-s', '--kill-after', '--signal'], skip: 1 }],
  ['stdbuf', { valueOpts: ['-i', '-o', '-e', '--input', '--output', '--error'] }],
  [
    'ionice',
    {
      valueOpts: ['-c', '-n', '--class', '--classdata'],
      noCommand: (t) => t === '-p' || t === '-P' || t === '-u' || t.startsWith('--pid'),
    },
  ],
  [
    'chrt',
    {
      valueOpts: ['-T', '-P', '-D', '--sched-runtime', '--sched-period', '--sched-deadline'],
      skip: 1,
      noCommand: (t) => t === '-p' || t === '--pid',
    },
  ],
  ['taskset', { skip: 1, noCommand: (t) => /^-[a-z]*p/.test(t) || t === '--pid' }],
]);

/** Programs that run a program named by their arguments but are not on the policy's list. */
const RUNNERS: Readonly<Record<string, ArgvWrapper>> = {
  strace: {
    valueOpts: ['-o', '-e', '-p', '-s', '-u', '-E', '-a', '-P', '-O', '-S', '-X', '-b', '-I'],
  },
  ltrace: {
    valueOpts: ['-o', '-e', '-p', '-s', '-u', '-a', '-n', '-A', '-D', '-F', '-l', '-x', '-L'],
  },
  valgrind: {},
  setsid: {},
  unshare: {},
  nsenter: { valueOpts: ['-t', '--target', '-S', '-G', '-r', '-w'] },
  chroot: { skip: 1 },
  flock: { skip: 1, valueOpts: ['-w', '--timeout', '-E', '--conflict-exit-code'] },
  fakeroot: {},
  firejail: {},
  'xvfb-run': { valueOpts: ['-n', '-s', '-f', '-e', '-p', '--server-num', '--server-args'] },
  'systemd-run': {
    valueOpts: [
      '-p',
      '--property',
      '-u',
      '--unit',
      '-E',
      '--setenv',
      '--uid',
      '--gid',
      '-M',
      '--machine',
    ],
  },
  runuser: { valueOpts: ['-u', '-g', '-G', '--user', '--group'] },
  catchsegv: {},
  unbuffer: {},
  'dbus-run-session': {},
  proot: {},
  entr: {},
  caffeinate: {},
  torsocks: {},
  proxychains: {},
  proxychains4: {},
  faketime: { skip: 1 },
  perf: { skip: 1 },
  gdb: {},
  direnv: { skip: 2 },
  'nix-shell': {},
  hyperfine: {},
  script: {},
  tmux: {},
  screen: {},
  at: {},
  batch: {},
  sg: { skip: 1 },
};

// ---------------------------------------------------------------------------------------------
// hooks: how words see substitutions

const hooksCache = new WeakMap<Env, WordHooks>();

function hooksFor(env: Env): WordHooks {
  const cached = hooksCache.get(env);
  if (cached !== undefined) return cached;
  const hooks: WordHooks = {
    home: env.ctx.home,
    tmpdir: env.ctx.tmpDirs[0] ?? '/tmp',
    user: env.ctx.user,
    substitution: (stmts, scope, proc) => walkSubstitution(stmts, scope, env, proc),
    nested: (node, scope) => walkNestedWords(node, scope, env),
  };
  hooksCache.set(env, hooks);
  return hooks;
}

/** A copy of the env whose findings are thrown away (for looking at a stage twice). */
export function scratchEnv(env: Env): Env {
  return {
    ...env,
    findings: [],
    chain: [...env.chain],
    downloads: new Set(env.downloads),
    written: new Map(env.written),
    functions: new Map(env.functions),
  };
}

/** Evaluates a word in the scope, recording findings of its substitutions. */
export function evaluate(word: ShWord, scope: Scope, env: Env): WordValue {
  return evalWord(word, scope, hooksFor(env));
}

function walkNestedWords(node: ShNode, scope: Scope, env: Env): void {
  if (node.type === 'Word') {
    evaluate(node as ShWord, scope, env);
    return;
  }
  for (const v of Object.values(node)) {
    if (Array.isArray(v)) {
      for (const x of v)
        if (x !== null && typeof x === 'object') walkNestedWords(x as ShNode, scope, env);
    } else if (v !== null && typeof v === 'object') walkNestedWords(v as ShNode, scope, env);
  }
}

// ---------------------------------------------------------------------------------------------
// decoders, downloaders, static output

function callWordsLiteral(call: ShCallExpr): string[] {
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
  const flagHas = (ch: string, long: string): boolean =>
    rest.some((a) => a === long || (/^-[A-Za-z]+$/.test(a) && a.includes(ch)));
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
      return (
        ansiC ||
        (rest.some((a) => /^-[neE]*e[neE]*$/.test(a)) && rest.some((a) => hasNumericEscapes(a)))
      );
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

function isDownloaderName(words: readonly string[]): boolean {
  const name = (words[0] ?? '').split('/').pop() ?? '';
  if (name === 'rsync' || name === 'scp') return false;
  return DOWNLOADERS.has(name);
}

function stripTrailingNewlines(s: string): string {
  return s.replace(/\n+$/, '');
}

interface StageInfo {
  readonly decoder: boolean;
  readonly remote: boolean;
}

/** Looks at a statement's commands (shallowly) for decoders and downloaders. */
function stmtsInfo(stmts: readonly ShStmt[]): StageInfo {
  let decoder = false;
  let remote = false;
  const visit = (node: ShNode | null): void => {
    if (node === null) return;
    if (node.type === 'Stmt') {
      visit((node as ShStmt).Cmd);
      return;
    }
    if (node.type === 'CallExpr') {
      const call = node as ShCallExpr;
      const words = callWordsLiteral(call);
      const ansiC = call.Args.some((w) =>
        w.Parts.some(
          (p) =>
            p.type === 'SglQuoted' &&
            p['Dollar'] === true &&
            decodeAnsiC(String(p['Value'] ?? '')).numeric,
        ),
      );
      if (isDecoder(words, ansiC)) decoder = true;
      if (isDownloaderName(words)) remote = true;
      if (
        /(?:^|\/)(?:curl|wget)$/.test(words[0] ?? '') ||
        words.some((w) => /\$\((?:curl|wget)\b/.test(w))
      )
        remote = true;
      return;
    }
    if (node.type === 'BinaryCmd') {
      visit(node['X'] as ShNode | null);
      visit(node['Y'] as ShNode | null);
      return;
    }
    if (node.type === 'Subshell' || node.type === 'Block') {
      for (const s of (node['Stmts'] as ShStmt[]) ?? []) visit(s);
    }
  };
  for (const s of stmts) visit(s);
  return { decoder, remote };
}

function walkSubstitution(
  stmts: readonly ShStmt[],
  scope: Scope,
  env: Env,
  proc: boolean,
): SubstOutcome {
  const inner = childScope(scope);
  walkStmts(stmts, inner, env);
  const info = stmtsInfo(stmts);
  if (stmts.length === 1) {
    const s = stmts[0];
    if (s !== undefined && s.Cmd?.type === 'CallExpr' && s.Redirs.length === 0) {
      const call = s.Cmd as ShCallExpr;
      if (call.Assigns.length === 0) {
        const scratch = scratchEnv(env);
        const argv = call.Args.map((w) => evaluate(w, scope, scratch));
        const out = staticOutput(argv, scope, env);
        if (out !== undefined)
          return {
            output: stripTrailingNewlines(out),
            ...info,
            decoder: info.decoder || argv.some((w) => w.decoder),
          };
      }
    }
  }
  return info;
}

// ---------------------------------------------------------------------------------------------
// statements

/** Parses and walks a script (throws ShellParseError). */
export function walkScript(source: string, scope: Scope, env: Env): void {
  const file = parseShell(source);
  walkStmts(file.Stmts, scope, env);
}

/**
 * Walks statements in order, sharing the scope (cd and assignments carry over). `stdin` is what
 * the group reads (`… | (bash)`, `… | { sh; }`): any statement of it may be the one reading.
 */
export function walkStmts(
  stmts: readonly ShStmt[],
  scope: Scope,
  env: Env,
  stdin: () => Stdin = () => ({ kind: 'none' }),
): void {
  for (const s of stmts) walkStmt(s, scope, env, stdin);
}

function flattenPipeline(stmt: ShStmt): ShStmt[] {
  const cmd = stmt.Cmd;
  if (
    cmd?.type === 'BinaryCmd' &&
    (cmd['Op'] === BINCMD.Pipe || cmd['Op'] === BINCMD.PipeAll) &&
    stmt.Redirs.length === 0
  ) {
    const x = cmd['X'] as ShStmt | null;
    const y = cmd['Y'] as ShStmt | null;
    return [...(x ? flattenPipeline(x) : []), ...(y ? flattenPipeline(y) : [])];
  }
  return [stmt];
}

function isQuotedHeredocDelim(word: ShWord | null): boolean {
  if (word === null) return false;
  return word.Parts.some((p) => p.type !== 'Lit' || String(p['Value'] ?? '').includes('\\'));
}

/** Stdin a statement gets from its own redirections, if any. */
function redirStdin(stmt: ShStmt, scope: Scope, env: Env): Stdin | undefined {
  return redirInputs(stmt, scope, env).get(0);
}

/** What each fd a statement's redirections open for reading gives (`3<<<…`, `<&3`, `0<file`). */
function redirInputs(stmt: ShStmt, scope: Scope, env: Env): Map<number, Stdin> {
  const fds = new Map<number, Stdin>();
  for (const r of stmt.Redirs) {
    const n = r.N === null ? 0 : Number(r.N.Value);
    if (!Number.isInteger(n)) continue;
    if (r.Op === REDIR.DplIn && r.Word !== null) {
      const from = Number(wordLiteral(r.Word));
      const src = Number.isInteger(from) ? (fds.get(from) ?? scope.fds?.get(from)) : undefined;
      fds.set(n, src ?? { kind: 'dynamic' });
      continue;
    }
    const one = redirInput(r, scope, env);
    if (one !== undefined) fds.set(n, one);
  }
  return fds;
}

/** What reading one input redirection gives; undefined for output redirections. */
function redirInput(r: ShRedirect, scope: Scope, env: Env): Stdin | undefined {
  if (r.Op === REDIR.Hdoc || r.Op === REDIR.DashHdoc) {
    const body = r.Hdoc;
    if (body === null) return { kind: 'static', text: '', dynamic: false };
    let text: string;
    let dynamic = false;
    if (isQuotedHeredocDelim(r.Word)) {
      text = body.Parts.map((p) => String(p['Value'] ?? '')).join('');
    } else {
      const v = evalWord(
        { type: 'Word', Parts: [{ type: 'DblQuoted', Dollar: false, Parts: body.Parts }] },
        scope,
        hooksFor(scratchEnv(env)),
      );
      if (v.decoder) return { kind: 'decoded' };
      if (v.remote) return { kind: 'remote' };
      text = v.values[0] ?? v.sketch;
      dynamic = v.dynamic;
    }
    if (r.Op === REDIR.DashHdoc) text = text.replace(/^\t+/gm, '');
    return { kind: 'static', text, dynamic };
  }
  if (r.Op === REDIR.WordHdoc && r.Word !== null) {
    const v = evalWord(r.Word, scope, hooksFor(scratchEnv(env)));
    if (v.decoder) return { kind: 'decoded' };
    if (v.remote) return { kind: 'remote' };
    return { kind: 'static', text: (v.values[0] ?? v.sketch) + '\n', dynamic: v.dynamic };
  }
  if (r.Op === REDIR.RdrIn && r.Word !== null) {
    const v = evalWord(r.Word, scope, hooksFor(scratchEnv(env)));
    if (v.procSubst) return v.decoder ? { kind: 'decoded' } : v.remote ? { kind: 'remote' } : { kind: 'dynamic' };
    const t = staticText(v);
    return { kind: 'file', path: t === undefined ? null : resolvePath(t, scope) };
  }
  return undefined;
}

/** What a pipeline stage writes to the next one. */
function stageOutput(
  stages: readonly ShStmt[],
  idx: number,
  scope: Scope,
  env: Env,
  outer: () => Stdin,
): Stdin {
  let decoder = false;
  let remote = false;
  for (let i = 0; i <= idx; i++) {
    const s = stages[i];
    if (s === undefined) continue;
    const info = stmtsInfo([s]);
    decoder ||= info.decoder;
    remote ||= info.remote;
  }
  if (decoder) return { kind: 'decoded' };
  if (remote) return { kind: 'remote' };
  const stage = stages[idx];
  if (stage === undefined) return { kind: 'dynamic' };
  const own = (): Stdin =>
    redirStdin(stage, scope, env) ??
    (idx === 0 ? outer() : stageOutput(stages, idx - 1, scope, env, outer));
  if (stage.Cmd?.type === 'CallExpr') {
    const call = stage.Cmd as ShCallExpr;
    const scratch = scratchEnv(env);
    const argv = call.Args.map((w) => evaluate(w, scope, scratch));
    if (argv.some((w) => w.decoder)) return { kind: 'decoded' };
    if (argv.some((w) => w.remote)) return { kind: 'remote' };
    const name = (staticText(argv[0]) ?? '').split('/').pop() ?? '';
    if (
      (name === 'cat' || name === 'tee') &&
      argv.slice(1).every((w) => (staticText(w) ?? 'x').startsWith('-') || name === 'tee')
    ) {
      return own();
    }
    const out = staticOutput(argv, scope, env);
    if (out !== undefined) return { kind: 'static', text: out, dynamic: false };
    if (name === 'cat' && argv.length === 2) {
      const t = staticText(argv[1]);
      return { kind: 'file', path: t === undefined ? null : resolvePath(t, scope) };
    }
  }
  return { kind: 'dynamic' };
}

function walkPipeline(stages: readonly ShStmt[], scope: Scope, env: Env, outer: () => Stdin): void {
  stages.forEach((stage, i) => {
    const stdin = i === 0 ? outer : () => stageOutput(stages, i - 1, scope, env, outer);
    // every stage of a pipeline runs in a subshell
    walkStmt(stage, childScope(scope), env, stdin);
  });
}

function redirOpText(op: number): string {
  const m: Record<number, string> = {
    54: '>',
    55: '>>',
    56: '<',
    57: '<>',
    58: '<&',
    59: '>&',
    60: '>|',
    61: '<<',
    62: '<<-',
    63: '<<<',
    64: '&>',
    65: '&>>',
  };
  return m[op] ?? '?';
}

const OUTPUT_REDIRS: ReadonlySet<number> = new Set([
  REDIR.RdrOut,
  REDIR.AppOut,
  REDIR.ClbOut,
  REDIR.RdrAll,
  REDIR.AppAll,
  REDIR.RdrInOut,
  REDIR.DplOut,
]);

function walkRedirects(
  redirs: readonly ShRedirect[],
  scope: Scope,
  env: Env,
  owner: readonly WordValue[],
): void {
  for (const r of redirs) {
    if (r.Word !== null && r.Op !== REDIR.Hdoc && r.Op !== REDIR.DashHdoc) {
      const target = evaluate(r.Word, scope, env);
      if (OUTPUT_REDIRS.has(r.Op)) {
        const cmd = makeCommand(owner, scope, env, () => ({ kind: 'none' }), {});
        if (
          r.Op === REDIR.DplOut &&
          !/^\d*-?$/.test(staticText(target) ?? 'x') &&
          staticText(target) !== undefined
        ) {
          classifyRedirectTarget(cmd, target, '>&');
        } else if (r.Op !== REDIR.DplOut) classifyRedirectTarget(cmd, target, redirOpText(r.Op));
        const t = staticText(target);
        const abs = t === undefined ? null : resolvePath(t, scope);
        if (
          abs !== null &&
          owner.length > 0 &&
          /^(?:curl|wget)$/.test((staticText(owner[0]) ?? '').split('/').pop() ?? '')
        ) {
          env.downloads.add(abs);
        }
      }
    } else if (r.Hdoc !== null && !isQuotedHeredocDelim(r.Word)) {
      // unquoted heredoc bodies expand: walk their substitutions
      evaluate(
        { type: 'Word', Parts: [{ type: 'DblQuoted', Dollar: false, Parts: r.Hdoc.Parts }] },
        scope,
        env,
      );
    }
  }
}

function walkStmt(stmt: ShStmt, scope: Scope, env: Env, pipeStdin: () => Stdin): void {
  const stages = flattenPipeline(stmt);
  if (stages.length > 1) {
    walkPipeline(stages, scope, env, pipeStdin);
    return;
  }
  const stdin = (): Stdin => redirStdin(stmt, scope, env) ?? pipeStdin();
  const cmd = stmt.Cmd;
  if (cmd === null) {
    walkRedirects(stmt.Redirs, scope, env, []);
    return;
  }
  if (cmd.type === 'CallExpr') {
    walkCall(cmd as ShCallExpr, stmt, scope, env, stdin);
    return;
  }
  const label = [literalWord(`<${cmd.type}>`)];
  walkRedirects(stmt.Redirs, scope, env, label);
  walkCompound(cmd, scope, env, stdin);
}

function stmtList(v: unknown): ShStmt[] {
  return Array.isArray(v) ? (v as ShStmt[]) : [];
}

function walkCompound(cmd: ShNode, scope: Scope, env: Env, stdin: () => Stdin): void {
  switch (cmd.type) {
    case 'BinaryCmd': {
      const x = cmd['X'] as ShStmt | null;
      const y = cmd['Y'] as ShStmt | null;
      if (x) walkStmt(x, scope, env, stdin);
      if (y) walkStmt(y, scope, env, () => ({ kind: 'none' }));
      return;
    }
    case 'Subshell':
      walkStmts(stmtList(cmd['Stmts']), childScope(scope), env, stdin);
      return;
    case 'Block':
      walkStmts(stmtList(cmd['Stmts']), scope, env, stdin);
      return;
    case 'IfClause': {
      let c: ShNode | null = cmd;
      while (c !== null) {
        walkStmts(stmtList(c['Cond']), scope, env);
        walkStmts(stmtList(c['Then']), scope, env);
        c = (c['Else'] as ShNode | null) ?? null;
      }
      return;
    }
    case 'WhileClause':
      walkStmts(stmtList(cmd['Cond']), scope, env);
      walkStmts(stmtList(cmd['Do']), scope, env);
      return;
    case 'ForClause': {
      const loop = cmd['Loop'] as ShNode | null;
      if (loop?.type === 'WordIter') {
        const name = (loop['Name'] as { Value?: string } | null)?.Value ?? '';
        const items = (loop['Items'] as ShWord[] | null) ?? [];
        const values: string[] = [];
        let dynamic = items.length === 0;
        let stdinFlag = false;
        for (const w of items) {
          const v = evaluate(w, scope, env);
          values.push(...v.values);
          dynamic ||= v.dynamic || v.glob;
          stdinFlag ||= v.stdin;
        }
        if (name !== '') scope.vars.set(name, { values, dynamic, stdin: stdinFlag });
      } else if (loop !== null) walkNestedWords(loop, scope, env);
      walkStmts(stmtList(cmd['Do']), scope, env);
      return;
    }
    case 'CaseClause': {
      const w = cmd['Word'] as ShWord | null;
      if (w) evaluate(w, scope, env);
      for (const item of (cmd['Items'] as ShNode[] | null) ?? []) {
        for (const p of (item['Patterns'] as ShWord[] | null) ?? []) evaluate(p, scope, env);
        walkStmts(stmtList(item['Stmts']), scope, env);
      }
      return;
    }
    case 'FuncDecl': {
      const name = (cmd['Name'] as { Value?: string } | null)?.Value ?? '';
      const body = cmd['Body'] as ShStmt | null;
      if (name !== '') env.functions.set(name, body);
      if (body !== null && name !== '' && callsSelfInPipeOrBackground(body, name, false)) {
        report(
          env,
          'block.fork-bomb',
          `function ${name} calls itself in a pipeline or in the background`,
          [literalWord(`${name}()`)],
        );
        return;
      }
      if (body !== null) walkStmt(body, childScope(scope), env, () => ({ kind: 'none' }));
      return;
    }
    case 'TestClause':
    case 'ArithmCmd':
    case 'LetClause':
      walkNestedWords(cmd, scope, env);
      return;
    case 'DeclClause': {
      for (const a of (cmd['Args'] as ShAssign[] | null) ?? []) assign(a, scope, env, scope);
      return;
    }
    case 'TimeClause':
    case 'CoprocClause': {
      const s = cmd['Stmt'] as ShStmt | null;
      if (s) walkStmt(s, scope, env, stdin);
      return;
    }
    default:
      walkNestedWords(cmd, scope, env);
  }
}

function callsSelfInPipeOrBackground(node: ShNode, name: string, risky: boolean): boolean {
  if (node.type === 'Stmt') {
    const s = node as ShStmt;
    return s.Cmd !== null && callsSelfInPipeOrBackground(s.Cmd, name, risky || s.Background);
  }
  if (node.type === 'CallExpr') {
    const first = (node as ShCallExpr).Args[0];
    return risky && first !== undefined && wordLiteral(first) === name;
  }
  if (node.type === 'BinaryCmd') {
    const pipe = node['Op'] === BINCMD.Pipe || node['Op'] === BINCMD.PipeAll;
    const x = node['X'] as ShNode | null;
    const y = node['Y'] as ShNode | null;
    return (
      (x !== null && callsSelfInPipeOrBackground(x, name, risky || pipe)) ||
      (y !== null && callsSelfInPipeOrBackground(y, name, risky || pipe))
    );
  }
  for (const v of Object.values(node)) {
    const list = Array.isArray(v) ? v : [v];
    for (const x of list) {
      if (
        x !== null &&
        typeof x === 'object' &&
        'type' in (x as object) &&
        callsSelfInPipeOrBackground(x as ShNode, name, risky)
      )
        return true;
    }
  }
  return false;
}

function assign(a: ShAssign, scope: Scope, env: Env, target: Scope): void {
  const name = a.Name?.Value;
  if (a.Naked || name === undefined) {
    if (a.Value !== null) evaluate(a.Value, scope, env);
    return;
  }
  if (a.Array !== null) {
    // a=(rm -rf /): keep the elements, so "${a[@]}" can be spliced back into a command
    const elems = ((a.Array['Elems'] as ShNode[] | null) ?? []).map((e) => {
      if (e['Index'] !== null && e['Index'] !== undefined) walkNestedWords(e['Index'] as ShNode, scope, env);
      const w = e['Value'] as ShWord | null;
      return w === null ? { values: [''], dynamic: false } : varOf(evaluate(w, scope, env));
    });
    const first = elems[0];
    target.vars.set(name, {
      values: first?.values ?? [],
      dynamic: first === undefined || first.dynamic || a.Append || a.Index !== null,
      ...(!a.Append && a.Index === null && { elements: elems }),
    });
    return;
  }
  const v: VarValue =
    a.Value === null
      ? { values: [''], dynamic: false }
      : (() => {
          const w = evaluate(a.Value, scope, env);
          return {
            values: w.values,
            dynamic: w.dynamic,
            stdin: w.stdin,
            decoder: w.decoder,
            remote: w.remote,
          };
        })();
  if (a.Append) {
    const old = target.vars.get(name);
    target.vars.set(name, {
      values: [],
      dynamic: true,
      stdin: (old?.stdin ?? false) || (v.stdin ?? false),
    });
    return;
  }
  target.vars.set(name, v);
}

function walkCall(
  call: ShCallExpr,
  stmt: ShStmt,
  scope: Scope,
  env: Env,
  stdin: () => Stdin,
): void {
  let cmdScope = scope;
  if (call.Args.length === 0) {
    for (const a of call.Assigns) assign(a, scope, env, scope);
    walkRedirects(stmt.Redirs, scope, env, [literalWord('<assignment>')]);
    return;
  }
  if (call.Assigns.length > 0) {
    // prefix assignments: the command's words expand with the old values, the program sees
    // the new ones; keep both as alternatives.
    cmdScope = childScope(scope);
    for (const a of call.Assigns) {
      const name = a.Name?.Value;
      const before = name === undefined ? undefined : lookupForMerge(name, scope, env);
      assign(a, scope, env, cmdScope);
      if (name !== undefined && before !== undefined) {
        const now = cmdScope.vars.get(name);
        if (now !== undefined) {
          cmdScope.vars.set(name, {
            values: [...before.values, ...now.values],
            dynamic: before.dynamic || now.dynamic,
            stdin: (before.stdin ?? false) || (now.stdin ?? false),
          });
        }
      }
    }
  }
  const argv = call.Args.flatMap((w) => spliced(w, cmdScope) ?? [evaluate(w, cmdScope, env)]);
  walkRedirects(stmt.Redirs, cmdScope, env, argv);
  recordWrittenFile(argv, stmt, cmdScope, env, stdin);
  const fds = redirInputs(stmt, cmdScope, env);
  fds.delete(0);
  if (fds.size > 0) {
    // `exec 3<<<…` keeps the fd open for the rest of the line; `cmd 3<<<…` only for cmd
    const name = staticText(argv[0]);
    const target = name === 'exec' && argv.length === 1 ? scope : cmdScope === scope ? childScope(scope) : cmdScope;
    target.fds = new Map([...(target.fds ?? []), ...fds]);
    if (target !== scope) cmdScope = target;
  }
  feedOutputSubstitutions(call, stmt, argv, cmdScope, env, stdin);
  runArgvIn(argv, cmdScope === scope ? scope : cmdScope, env, stdin, {}, scope);
}

/** A word's value as a variable value. */
function varOf(w: WordValue): VarValue {
  return { values: w.values, dynamic: w.dynamic, stdin: w.stdin, decoder: w.decoder, remote: w.remote };
}

/** A variable value as a word (one known or unknown word). */
function wordOf(v: VarValue): WordValue {
  if (v.dynamic || v.values.length === 0) return unknownWord({ stdin: v.stdin === true });
  return { ...literalWord(v.values[0] ?? ''), values: v.values, patterns: v.values, quoted: true };
}

/**
 * `"$@"`, `$*` and `"${a[@]}"` expand to several words: with known positional parameters
 * (`set -- rm -rf ~`) or a known array (`a=(rm -rf /)`) they are spliced in, so
 * `"$@"` in command position is the command it holds. Undefined: evaluate the word as usual.
 */
function spliced(w: ShWord, scope: Scope): WordValue[] | undefined {
  let part = w.Parts.length === 1 ? w.Parts[0] : undefined;
  if (part?.type === 'DblQuoted') {
    const inner = (part['Parts'] as ShNode[] | null) ?? [];
    part = inner.length === 1 ? inner[0] : undefined;
  }
  if (part?.type !== 'ParamExp' || part['Exp'] || part['Slice'] || part['Repl'] || part['Excl'] || part['Length']) return undefined;
  const name = (part['Param'] as { Value?: string } | null)?.Value ?? '';
  const index = part['Index'] as ShNode | null;
  let list: readonly VarValue[] | undefined;
  if (index === null && (name === '@' || name === '*')) list = scope.positional?.slice(1);
  else if (index?.type === 'Word' && ['@', '*'].includes(wordLiteral(index as ShWord))) list = scope.vars.get(name)?.elements;
  return list?.map(wordOf);
}

/**
 * `cmd > >(bash)` and `tee >(sh)`: what the command writes is the script of the process
 * substitution. The substitution was walked with no input when its word was evaluated; walk it
 * again reading the owner's output (static for echo/printf, stdin for tee/cat, else unknown).
 */
function feedOutputSubstitutions(
  call: ShCallExpr,
  stmt: ShStmt,
  argv: readonly WordValue[],
  scope: Scope,
  env: Env,
  stdin: () => Stdin,
): void {
  const words = [...call.Args, ...stmt.Redirs.map((r) => r.Word).filter((w): w is ShWord => w !== null)];
  const outs = words.flatMap((w) =>
    w.Parts.filter((p) => p.type === 'ProcSubst' && Number(p['Op']) === PROC.CmdOut),
  );
  if (outs.length === 0) return;
  const name = (staticText(argv[0]) ?? '').split('/').pop() ?? '';
  const output = (): Stdin => {
    const text = staticOutput(argv, scope, env);
    if (text !== undefined) return { kind: 'static', text, dynamic: false };
    if (name === 'tee' || (name === 'cat' && argv.length === 1)) return stdin();
    return { kind: 'dynamic' };
  };
  for (const p of outs) walkStmts(stmtList(p['Stmts']), childScope(scope), env, output);
}

/** Remembers `echo/printf/cat … > file` content, for a later `bash file` in the same line. */
function recordWrittenFile(
  argv: readonly WordValue[],
  stmt: ShStmt,
  scope: Scope,
  env: Env,
  stdin: () => Stdin,
): void {
  const out = stmt.Redirs.filter(
    (r) =>
      (r.Op === REDIR.RdrOut || r.Op === REDIR.ClbOut || r.Op === REDIR.AppOut) &&
      (r.N === null || r.N.Value === '1'),
  );
  if (out.length === 0) return;
  const name = (staticText(argv[0]) ?? '').split('/').pop() ?? '';
  let content: { text: string; dynamic: boolean } | undefined;
  if (name === 'echo' || name === 'printf') {
    const text = staticOutput(argv, scope, env);
    content =
      text === undefined
        ? {
            text: argv
              .slice(1)
              .map((w) => wordText(w))
              .join(' '),
            dynamic: true,
          }
        : { text, dynamic: false };
  } else if (name === 'cat' && argv.length === 1) {
    const s = stdin();
    if (s.kind === 'static') content = { text: s.text, dynamic: s.dynamic };
  }
  if (content === undefined) return;
  for (const r of out) {
    const t = r.Word === null ? undefined : staticText(evaluate(r.Word, scope, scratchEnv(env)));
    const abs = t === undefined ? null : resolvePath(t, scope);
    if (abs === null) continue;
    const before = r.Op === REDIR.AppOut ? env.written.get(abs) : undefined;
    env.written.set(
      abs,
      before === undefined
        ? content
        : { text: before.text + content.text, dynamic: before.dynamic || content.dynamic },
    );
  }
}

function lookupForMerge(name: string, scope: Scope, env: Env): VarValue | undefined {
  const v = scope.vars.get(name);
  if (v !== undefined) return v;
  if (name === 'HOME') return { values: [env.ctx.home], dynamic: false };
  if (name === 'TMPDIR') return { values: [env.ctx.tmpDirs[0] ?? '/tmp'], dynamic: false };
  return { values: [], dynamic: true };
}

// ---------------------------------------------------------------------------------------------
// simple commands

function makeCommand(
  argv: readonly WordValue[],
  scope: Scope,
  env: Env,
  stdin: () => Stdin,
  mode: RunMode,
): SimpleCommand {
  const first = argv[0];
  const value = first === undefined ? '' : (first.values[0] ?? '');
  return {
    name: value.split('/').pop() ?? value,
    argv,
    args: argv.slice(1),
    scope,
    env,
    stdin,
    mode,
  };
}

/** Runs a wrapper's inner command (`sudo X`, `find -exec X`, …) through the classifier. */
export function runArgv(
  outer: SimpleCommand,
  inner: readonly WordValue[],
  opts: { cwd?: string | null; mode?: RunMode; scope?: Scope; stdin?: () => Stdin },
): void {
  let scope = opts.scope ?? outer.scope;
  if (opts.cwd !== undefined) {
    scope = childScope(scope);
    scope.cwd = opts.cwd;
  }
  runArgvIn(inner, scope, outer.env, opts.stdin ?? outer.stdin, opts.mode ?? outer.mode, scope);
}

/** Confirms a program that runs another program but is not a policy-listed wrapper. */
export function runnerConfirm(cmd: SimpleCommand, what: string): void {
  report(
    cmd.env,
    'confirm.dynamic-code',
    `${what} runs a command the policy does not unwrap`,
    cmd.argv,
  );
}

function checkUserBlocks(argv: readonly WordValue[], env: Env): void {
  if (env.userRules.length === 0) return;
  const texts = argv.map(wordText);
  for (const r of env.userRules) {
    if (r.kind === 'block' && r.matches(texts))
      report(env, 'block.user-rule', `${r.label}: ${r.reason}`, argv);
  }
}

const KNOWN_NAMES = [
  'rm',
  'dd',
  'mkfs',
  'shred',
  'git',
  'chmod',
  'chown',
  'shutdown',
  'reboot',
  'halt',
  'poweroff',
  'kill',
  'find',
  'sh',
  'bash',
  'curl',
  'wget',
  'sudo',
  'mv',
  'cp',
  'python',
  'python3',
  'perl',
  'node',
  'wipefs',
  'fdisk',
  'parted',
];

function runArgvIn(
  argv: readonly WordValue[],
  scope: Scope,
  env: Env,
  stdin: () => Stdin,
  mode: RunMode,
  stmtScope: Scope,
): void {
  const first = argv[0];
  if (first === undefined) return;
  env.chain.push(argv.map(wordText));
  try {
    checkUserBlocks(argv, env);
    if (argv.some((w) => w.ifs)) {
      report(env, 'block.obfuscation', '$IFS used as a word separator', argv);
      return;
    }
    if (argv.some((w) => w.prompt))
      report(env, 'confirm.dynamic-code', '${var@P} runs substitutions stored in a variable', argv);
    if (first.varSplit && scope.vars.has('IFS')) {
      report(
        env,
        'block.obfuscation',
        '$IFS is reassigned to split an expansion into a command',
        argv,
      );
      return;
    }
    if (first.brace) {
      report(env, 'block.obfuscation', 'brace expansion in command position', argv);
      return;
    }
    if (first.ansiC) {
      report(env, 'block.obfuscation', "ANSI-C $'\\x..' escapes spell the command name", argv);
      return;
    }
    if (first.decoder) {
      report(env, 'block.obfuscation', 'decoded text is run as the command', argv);
      return;
    }
    const knownValues = first.values.filter((v) => v !== '');
    if (first.dynamic || knownValues.length === 0) {
      if (first.remote)
        report(env, 'confirm.remote-code', 'command name comes from a download', argv);
      else
        report(env, 'confirm.dynamic-code', `command name ${first.sketch || DYN} is dynamic`, argv);
    } else if (first.subst) {
      report(env, 'confirm.dynamic-code', 'command name comes from a substitution', argv);
    }
    if (first.glob) {
      report(env, 'confirm.dynamic-code', 'command name is a glob', argv);
      const pattern = first.patterns[0] ?? '';
      const base = pattern.split('/').pop() ?? '';
      if (!/[A-Za-z0-9]/.test(base.replace(/\\./g, ''))) return;
      for (const n of KNOWN_NAMES) {
        if (globMatchSegment(base, n))
          dispatch(
            makeCommand([literalWord(n), ...argv.slice(1)], scope, env, stdin, mode),
            stmtScope,
          );
      }
      return;
    }
    // a command word may expand to several words (`$CMD` = "rm -rf"): split unquoted values
    for (const v of knownValues.slice(0, 8)) {
      let words = [literalWord(v), ...argv.slice(1)];
      if (!first.quoted && /\s/.test(v.trim())) {
        const parts = v
          .trim()
          .split(/\s+/)
          .map((s) => literalWord(s));
        words = [...parts, ...argv.slice(1)];
      }
      dispatch(makeCommand(words, scope, env, stdin, mode), stmtScope);
    }
  } finally {
    env.chain.pop();
  }
}

/** Classifies an inner script given as a word (`sh -c WORD`, `eval`, alias bodies, …). */
export function runScriptWord(
  cmd: SimpleCommand,
  word: WordValue,
  label: string,
  positional?: VarValue[] | null,
  scopeOverride?: Scope,
): void {
  const { env } = cmd;
  if (word.ansiC) {
    report(
      env,
      'block.obfuscation',
      `ANSI-C $'\\x..' escapes spell the script of ${label}`,
      cmd.argv,
    );
    return;
  }
  if (word.decoder) {
    report(env, 'block.obfuscation', `decoded text is run by ${label}`, cmd.argv);
    return;
  }
  const scope = childScope(scopeOverride ?? cmd.scope);
  if (positional !== undefined) scope.positional = positional;
  if (word.dynamic || word.values.length === 0) {
    if (word.remote) report(env, 'confirm.remote-code', `${label} runs downloaded text`, cmd.argv);
    else if (word.stdin)
      report(env, 'confirm.dynamic-code', `${label} runs text read from stdin`, cmd.argv);
    else report(env, 'confirm.dynamic-code', `${label} runs a dynamic string`, cmd.argv);
    if (word.sketch !== '') runScriptText(cmd, word.sketch, label, scope);
    return;
  }
  for (const text of word.values.slice(0, 4)) runScriptText(cmd, text, label, scope);
}

/** Parses and walks script text one level deeper; fails closed. */
export function runScriptText(cmd: SimpleCommand, text: string, label: string, scope: Scope): void {
  const { env } = cmd;
  if (env.depth >= MAX_DEPTH || env.parseBudget <= 0) {
    const found = fallbackFindings(text, env);
    const blocking = found.find((f) => f.rule.startsWith('block.'));
    const why =
      env.depth >= MAX_DEPTH ? 'nested too deeply to analyse' : 'too many inner scripts to analyse';
    report(
      env,
      blocking ? 'block.unparseable-dangerous' : 'confirm.unparseable',
      `${label}: ${why}${blocking ? ` (${blocking.detail ?? blocking.rule})` : ''}`,
      cmd.argv,
    );
    return;
  }
  env.parseBudget--;
  env.depth++;
  try {
    walkScript(text, scope, env);
  } catch (e) {
    if (!(e instanceof ShellParseError)) throw e;
    const found = fallbackFindings(text, env);
    const blocking = found.find((f) => f.rule.startsWith('block.'));
    report(
      env,
      blocking ? 'block.unparseable-dangerous' : 'confirm.unparseable',
      `${label}: ${e.message}${blocking ? ` (${blocking.detail ?? blocking.rule})` : ''}`,
      cmd.argv,
    );
  } finally {
    env.depth--;
  }
}

/** Findings of a script classified on the side (interpreter shell-outs). */
export function nestedFindings(cmd: SimpleCommand, word: WordValue, label: string): Finding[] {
  const scratch = scratchEnv(cmd.env);
  runScriptWord({ ...cmd, env: scratch }, word, label);
  return scratch.findings;
}

function skipOptions(args: readonly WordValue[], valueOpts: ReadonlySet<string>): number {
  let i = 0;
  while (i < args.length) {
    const t = staticText(args[i]);
    if (t === undefined) break;
    if (t === '--') return i + 1;
    if (!t.startsWith('-') || t === '-') break;
    if (valueOpts.has(t)) {
      i += 2;
      continue;
    }
    i++;
  }
  return i;
}

/** The path a word names, resolved; null when the word is not static. */
function resolveWord(w: WordValue | undefined, scope: Scope): string | null {
  const t = staticText(w);
  return t === undefined ? null : resolvePath(t, scope);
}

/** Runs the command a wrapper described by `spec` carries (nothing when `noCommand` hits). */
function runAfterOptions(cmd: SimpleCommand, spec: ArgvWrapper): void {
  const { args } = cmd;
  if (spec.noCommand !== undefined && argTexts(args).some(spec.noCommand)) return;
  const i = skipOptions(args, new Set(spec.valueOpts)) + (spec.skip ?? 0);
  runArgv(cmd, args.slice(i), {});
}

function dispatch(cmd: SimpleCommand, stmtScope: Scope): void {
  const { name, args, env, scope } = cmd;
  const first = cmd.argv[0];
  const onlyArg = staticText(args[0]);
  if (args.length === 1 && (onlyArg === '--help' || onlyArg === '--version')) return;
  // download-then-execute: running a file fetched earlier in the line
  const path = staticText(first);
  if (path !== undefined && path.includes('/')) {
    const abs = resolvePath(path, scope);
    if (abs !== null && env.downloads.has(abs)) {
      report(env, 'confirm.remote-code', `runs ${abs}, downloaded earlier in the line`, cmd.argv);
      return;
    }
    if (abs !== null && env.written.has(abs)) {
      runWrittenScript(cmd, abs, 'running');
      return;
    }
  }
  const fnBody = env.functions.get(name);
  if (fnBody !== undefined) return callFunction(cmd, fnBody);
  if (PRIV.has(name)) return classifyPrivilege(cmd);
  if (SHELLS.has(name)) return classifyShell(cmd);
  const lang = interpreterLang(name);
  if (lang !== undefined) return classifyInterpreter(cmd, lang);
  if (name in RUNNERS && !env.functions.has(name)) return classifyRunner(cmd);
  const wrapper = OPTION_WRAPPERS.get(name);
  if (wrapper !== undefined) return runAfterOptions(cmd, wrapper);
  switch (name) {
    case 'su':
      return classifySu(cmd);
    case 'env':
      return classifyEnv(cmd);
    case 'command': {
      let i = 0;
      for (; i < args.length; i++) {
        const t = staticText(args[i]) ?? '';
        if (t === '--') {
          i++;
          break;
        }
        const f = shortFlags(t);
        if (f === null) break;
        if (/[vV]/.test(f)) return; // lookup only
      }
      return runArgv(cmd, args.slice(i), {});
    }
    case 'builtin':
      return runArgv(cmd, args, {});
    case 'nohup':
      return runArgv(cmd, args.slice(staticText(args[0]) === '--' ? 1 : 0), {});
    case 'watch':
      return classifyWatch(cmd);
    case 'busybox':
    case 'toybox':
      if (args.length === 0 || (staticText(args[0]) ?? '').startsWith('-')) return;
      return runArgv(cmd, args, {});
    case 'xargs':
      return classifyXargs(cmd);
    case 'parallel':
      return classifyParallel(cmd);
    case 'ssh':
      sshLocalCommands(cmd);
      return classifySsh(cmd);
    case 'scp':
    case 'sftp':
      return sshLocalCommands(cmd);
    case 'make':
    case 'gmake':
      return classifyMake(cmd);
    case 'vi':
    case 'vim':
    case 'nvim':
    case 'ex':
    case 'view':
    case 'vimdiff':
    case 'gvim':
    case 'evim':
    case 'rvim':
    case 'rview':
      return classifyEditor(cmd);
    case 'emacs':
      return classifyEmacs(cmd);
    case 'eval':
      return classifyEval(cmd);
    case 'source':
    case '.':
      return classifySource(cmd);
    case 'alias': {
      for (const a of args) {
        const t = staticText(a);
        const eq = t?.indexOf('=') ?? -1;
        if (t !== undefined && eq > 0)
          runScriptWord(cmd, literalWord(t.slice(eq + 1)), `alias ${t.slice(0, eq)}`);
      }
      return;
    }
    case 'trap':
      if (args[0] !== undefined && !(staticText(args[0]) ?? '-').startsWith('-'))
        runScriptWord(cmd, args[0], 'trap');
      return;
    case 'cd':
    case 'pushd':
      stmtScope.cwd = cdTarget(cmd, stmtScope);
      return;
    case 'set':
      return runSet(cmd, stmtScope);
    case 'read':
      return runRead(cmd, stmtScope);
    case 'printf':
      runPrintfV(cmd, stmtScope);
      return;
    case 'popd':
      stmtScope.cwd = null;
      return;
    case 'rm':
      return classifyRm(cmd);
    case 'unlink':
      return classifyUnlink(cmd);
    case 'shred':
      return classifyShred(cmd);
    case 'find':
      return classifyFind(cmd);
    case 'chmod':
    case 'chown':
    case 'chgrp':
      return classifyPerms(cmd);
    case 'cp':
    case 'ln':
    case 'install':
      return classifyCopy(cmd);
    case 'mv':
      return classifyMove(cmd);
    case 'rsync':
      return classifyRsync(cmd);
    case 'tee':
      return classifyTee(cmd);
    case 'dd':
      return classifyDd(cmd);
    case 'truncate':
      return classifyFileOperands(
        cmd,
        'truncate',
        false,
        new Set(['-s', '--size', '-r', '--reference']),
      );
    case 'touch':
    case 'mkdir':
      return classifyFileOperands(
        cmd,
        name,
        true,
        new Set(['-m', '--mode', '-r', '--reference', '-d', '--date', '-t']),
      );
    case 'sed':
    case 'gsed':
      classifySedExec(cmd);
      return classifySed(cmd);
    case 'git':
      return classifyGit(cmd);
    case 'crontab': {
      const t = argTexts(args);
      if (t.includes('-l') || t.includes('--help')) return;
      report(env, 'confirm.write-outside', 'crontab installs a persistent job', cmd.argv);
      return;
    }
    case 'awk':
    case 'gawk':
    case 'mawk':
    case 'nawk':
    case 'busybox-awk':
      return classifyAwk(cmd);
    case 'rg': {
      const t = argTexts(args);
      if (
        t.some(
          (x) =>
            x === '--pre' ||
            x.startsWith('--pre=') ||
            x === '--hostname-bin' ||
            x.startsWith('--hostname-bin='),
        )
      )
        runnerConfirm(cmd, 'rg --pre');
      return;
    }
    case 'unzip': {
      const t = argTexts(args);
      const k = t.indexOf('-d');
      const dir = k === -1 ? undefined : args[k + 1];
      if (dir !== undefined) checkWrite(cmd, dir, 'unzip into');
      return;
    }
    case 'tar': {
      const t = argTexts(args);
      const extract =
        t.some(
          (x, k) =>
            (/^-[a-zA-Z]*x/.test(x) && !x.startsWith('--')) ||
            (k === 0 && /^[a-zA-Z]*x[a-zA-Z]*$/.test(x)),
        ) ||
        t.includes('--extract') ||
        t.includes('--get');
      if (extract) {
        for (let k = 0; k < t.length; k++) {
          const x = t[k] ?? '';
          const dir =
            x === '-C' || x === '--directory'
              ? args[k + 1]
              : x.startsWith('--directory=')
                ? literalWord(x.slice(12))
                : undefined;
          if (dir !== undefined) checkWrite(cmd, dir, 'tar extracts into');
        }
      }
      if (
        t.some(
          (x) =>
            x.startsWith('--to-command') ||
            x.startsWith('--checkpoint-action=exec') ||
            x === '--use-compress-program' ||
            x.startsWith('--use-compress-program=') ||
            x === '-I',
        )
      ) {
        runnerConfirm(cmd, 'tar --to-command');
      }
      return;
    }
    case 'curl':
    case 'wget':
      recordDownloads(cmd);
      classifyInfra(cmd);
      return;
    default:
      break;
  }
  if (DELETE_TOOLS.has(name)) return classifyDeleteTool(cmd);
  if (classifyPackageRunner(cmd)) return;
  if (classifyDisk(cmd)) return;
  if (classifyHost(cmd)) return;
  if (classifyPackages(cmd)) return;
  classifyInfra(cmd);
}

/**
 * A call of a function defined earlier in the line: its body runs with the call's arguments
 * as `$1…` (`f(){ rm -rf "$1"; }; f ~`). The definition was walked with unknown arguments.
 */
function callFunction(cmd: SimpleCommand, body: ShStmt | null): void {
  const { env } = cmd;
  if (body === null || env.depth >= MAX_DEPTH || env.parseBudget <= 0) return;
  env.parseBudget--;
  env.depth++;
  try {
    const scope = childScope(cmd.scope);
    scope.positional = cmd.argv.map((w) => ({ values: w.values, dynamic: w.dynamic, stdin: w.stdin }));
    walkStmt(body, scope, env, cmd.stdin);
  } finally {
    env.depth--;
  }
}

function classifyPrivilege(cmd: SimpleCommand): void {
  const { name, args, env } = cmd;
  report(env, 'confirm.privilege', `${name} runs as another user`, cmd.argv);
  const valueOpts: Record<string, readonly string[]> = {
    sudo: [
      '-u',
      '-g',
      '-p',
      '-C',
      '-D',
      '-h',
      '-r',
      '-t',
      '-T',
      '-U',
      '--user',
      '--group',
      '--prompt',
      '--close-from',
      '--chdir',
      '--host',
      '--role',
      '--type',
      '--command-timeout',
      '--other-user',
    ],
    doas: ['-u', '-C'],
    pkexec: ['--user'],
    run0: [
      '-u',
      '--user',
      '-g',
      '--group',
      '-D',
      '--chdir',
      '--unit',
      '--property',
      '--description',
      '--slice',
      '--nice',
      '--setenv',
      '--background',
      '--machine',
    ],
    sudoedit: [],
  };
  const vo = new Set(valueOpts[name] ?? []);
  let i = 0;
  let cwd: string | null | undefined;
  while (i < args.length) {
    const t = staticText(args[i]);
    if (t === undefined) break;
    if (t === '--') {
      i++;
      break;
    }
    if (!t.startsWith('-')) break;
    if (t === '-D' || t === '--chdir') cwd = resolveWord(args[i + 1], cmd.scope);
    if (t === '-e' && name === 'sudo') return; // sudoedit
    if (vo.has(t)) i += 2;
    else i++;
  }
  while (i < args.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(staticText(args[i]) ?? '')) i++;
  if (name === 'sudoedit') return;
  const inner = args.slice(i);
  if (inner.length > 0) runArgv(cmd, inner, cwd === undefined ? {} : { cwd });
}

function classifySu(cmd: SimpleCommand): void {
  const { args, env } = cmd;
  report(env, 'confirm.privilege', 'su runs as another user', cmd.argv);
  for (let i = 0; i < args.length; i++) {
    const t = staticText(args[i]) ?? '';
    if (t === '-c' || t === '--command') {
      const w = args[i + 1];
      if (w !== undefined) runScriptWord(cmd, w, 'su -c', null);
      return;
    }
    if (t.startsWith('--command=')) {
      runScriptWord(cmd, literalWord(t.slice(10)), 'su -c', null);
      return;
    }
  }
}

function classifyEnv(cmd: SimpleCommand): void {
  const { args } = cmd;
  let words = [...args];
  let cwd: string | null | undefined;
  const scope = childScope(cmd.scope);
  let i = 0;
  let splits = 0;
  while (i < words.length) {
    const w = words[i];
    if (w === undefined) break;
    const t = staticText(w);
    if (t === undefined) break;
    if (t === '--') {
      i++;
      break;
    }
    const splitArg =
      t === '-S' || t === '--split-string'
        ? staticText(words[i + 1])
        : t.startsWith('--split-string=')
          ? t.slice(15)
          : /^-S./.test(t)
            ? t.slice(2)
            : undefined;
    if (splitArg !== undefined && splits < 4) {
      splits++;
      const consumed = t === '-S' || t === '--split-string' ? 2 : 1;
      const parts = splitWords(splitArg).map((s) => literalWord(s));
      words = [...words.slice(0, i), ...parts, ...words.slice(i + consumed)];
      continue;
    }
    if (t === '-C' || t === '--chdir') {
      cwd = resolveWord(words[i + 1], cmd.scope);
      i += 2;
      continue;
    }
    if (/^-C./.test(t) || t.startsWith('--chdir=')) {
      const d = t.startsWith('--chdir=') ? t.slice(8) : t.slice(2);
      cwd = resolvePath(d, cmd.scope);
      i++;
      continue;
    }
    if (t === '-u' || t === '--unset' || t === '-P') {
      i += 2;
      continue;
    }
    if (t.startsWith('-')) {
      i++;
      continue;
    }
    const eq = t.indexOf('=');
    if (eq > 0 && /^[A-Za-z_][A-Za-z0-9_]*$/.test(t.slice(0, eq))) {
      scope.vars.set(t.slice(0, eq), { values: [t.slice(eq + 1)], dynamic: false });
      i++;
      continue;
    }
    break;
  }
  const inner = words.slice(i);
  if (inner.length === 0) return;
  runArgv(cmd, inner, cwd === undefined ? { scope } : { scope, cwd });
}

/** env -S's own splitting: blanks separate words, quotes and backslashes group them. */
function splitWords(text: string): string[] {
  const out: string[] = [];
  let cur: string | null = null;
  let q: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] ?? '';
    if (q !== null) {
      if (c === q) q = null;
      else if (c === '\\' && q === '"' && i + 1 < text.length) cur += text[++i] ?? '';
      else cur += c;
    } else if (c === "'" || c === '"') {
      q = c;
      cur ??= '';
    } else if (c === '\\' && i + 1 < text.length) cur = (cur ?? '') + (text[++i] ?? '');
    else if (/\s/.test(c)) {
      if (cur !== null) out.push(cur);
      cur = null;
    } else cur = (cur ?? '') + c;
  }
  if (cur !== null) out.push(cur);
  return out;
}

/**
 * Words a program joins with spaces and runs as a script (`watch`, `ssh`): a literal when all
 * are known, else an unknown word carrying their sketch and display (plus `dynamicExtra`).
 */
function joinWords(ws: readonly WordValue[], dynamicExtra: Partial<WordValue> = {}): WordValue {
  const joined = ws.map((w) => wordText(w)).join(' ');
  if (!ws.some((w) => w.dynamic)) return literalWord(joined);
  const display = ws.map(wordDisplay).join(' ');
  return { ...unknownWord(), sketch: joined, display, ...dynamicExtra };
}

function classifyWatch(cmd: SimpleCommand): void {
  const { args } = cmd;
  const t = argTexts(args);
  let i = 0;
  let execMode = false;
  while (i < args.length) {
    const x = t[i] ?? '';
    if (x === '--') {
      i++;
      break;
    }
    if (!x.startsWith('-')) break;
    if (x === '-x' || x === '--exec') execMode = true;
    if (x === '-n' || x === '--interval' || x === '-q' || x === '--equexit') i += 2;
    else i++;
  }
  const rest = args.slice(i);
  if (rest.length === 0) return;
  if (execMode) return runArgv(cmd, rest, {});
  runScriptWord(cmd, joinWords(rest), 'watch');
}

function replaceIn(w: WordValue, token: string, by: WordValue): WordValue {
  const t = staticText(w);
  if (t === undefined || !t.includes(token)) return w;
  if (t === token) return by;
  if (by.dynamic || by.values.length === 0) {
    return {
      ...unknownWord({ stdin: by.stdin, splittable: false }),
      sketch: t.replaceAll(token, DYN),
      display: t.replaceAll(token, by.display),
    };
  }
  const values = by.values.map((v) => t.replaceAll(token, v));
  return { ...literalWord(values[0] ?? ''), values, patterns: values };
}

function classifyXargs(cmd: SimpleCommand): void {
  const { args } = cmd;
  const t = argTexts(args);
  const valueOpts = new Set([
    '-a',
    '--arg-file',
    '-d',
    '--delimiter',
    '-E',
    '-I',
    '-L',
    '-n',
    '--max-args',
    '-P',
    '--max-procs',
    '-s',
    '--max-chars',
    '--process-slot-var',
    '-J',
    '-R',
    '-S',
    '--max-lines',
  ]);
  let repl: string | undefined;
  let i = 0;
  while (i < args.length) {
    const x = t[i] ?? '';
    if (x === '--') {
      i++;
      break;
    }
    if (!x.startsWith('-') || x === '-') break;
    if (x === '-I' || x === '-J') repl = t[i + 1] ?? '{}';
    else if (/^-I./.test(x) || /^-J./.test(x)) repl = x.slice(2);
    else if (x === '-i' || x === '--replace' || x === '--replace=') repl = '{}';
    else if (/^-i./.test(x)) repl = x.slice(2);
    else if (x.startsWith('--replace=')) repl = x.slice(10);
    i += valueOpts.has(x) ? 2 : 1;
  }
  const inner = args.slice(i);
  if (inner.length === 0) return;
  const stdinWord = unknownWord({ stdin: true, splittable: false, display: '{stdin}' });
  const innerNoStdin = (): Stdin => ({ kind: 'none' });
  if (repl !== undefined) {
    const replaced = inner.map((w) => replaceIn(w, repl ?? '{}', stdinWord));
    runArgv(cmd, replaced, { mode: { xargs: true }, stdin: innerNoStdin });
  } else {
    runArgv(cmd, inner, { mode: { stdinOperands: true, xargs: true }, stdin: innerNoStdin });
  }
}

const PARALLEL_VALUE_OPTS = new Set([
  '-j',
  '--jobs',
  '-P',
  '-S',
  '--sshlogin',
  '--sshloginfile',
  '--slf',
  '-a',
  '--arg-file',
  '--colsep',
  '-C',
  '-d',
  '--delimiter',
  '-E',
  '-I',
  '-n',
  '--max-args',
  '-N',
  '-L',
  '-l',
  '--delay',
  '--timeout',
  '--joblog',
  '--results',
  '--res',
  '--tmpdir',
  '--workdir',
  '--wd',
  '--tagstring',
  '--tag-string',
  '--basefile',
  '--bf',
  '--return',
  '--transferfile',
  '--tf',
  '--memfree',
  '--load',
  '--nice',
  '--retries',
  '--termseq',
  '--halt',
  '--block',
  '--block-size',
  '--seqreplace',
  '--env',
  '--limit',
  '--onall-arg',
  '--shuf-seed',
  '--header',
  '--rpl',
  '--max-line-length-allowed',
  '-s',
  '--max-chars',
  '--ssh',
  '--sqlmaster',
  '--sqlworker',
  '--sqlandworker',
  '--ctag-string',
]);

function classifyParallel(cmd: SimpleCommand): void {
  const { args } = cmd;
  const t = argTexts(args);
  let i = 0;
  while (i < args.length) {
    const x = t[i] ?? '';
    if (x === '--') {
      i++;
      break;
    }
    if (!x.startsWith('-') || x === '-' || x.startsWith(':::')) break;
    i += PARALLEL_VALUE_OPTS.has(x) ? 2 : 1;
  }
  const template: WordValue[] = [];
  while (i < args.length && !(t[i] ?? '').startsWith(':::')) {
    const w = args[i];
    if (w !== undefined) template.push(w);
    i++;
  }
  const argValues: string[] = [];
  let fromFiles = false;
  let hasArgs = false;
  let dynamicArgs = false;
  for (; i < args.length; i++) {
    const x = t[i] ?? '';
    if (x.startsWith(':::')) {
      hasArgs = true;
      if (x.startsWith('::::')) fromFiles = true;
      continue;
    }
    const w = args[i];
    if (w?.dynamic) dynamicArgs = true;
    argValues.push(...(w?.values ?? []));
  }
  if (template.length === 0) {
    if (!hasArgs) return;
    for (const v of argValues) runScriptWord(cmd, literalWord(v), 'parallel');
    if (dynamicArgs || fromFiles)
      report(
        cmd.env,
        'confirm.dynamic-code',
        'parallel runs commands given as dynamic arguments',
        cmd.argv,
      );
    return;
  }
  const stdinMode = !hasArgs;
  const argWord: WordValue =
    stdinMode || fromFiles || dynamicArgs || argValues.length === 0
      ? unknownWord({ stdin: stdinMode, splittable: false, display: '{arg}' })
      : { ...literalWord(argValues[0] ?? ''), values: argValues, patterns: argValues };
  const placeholder = /\{[^{}\s]*\}/;
  const usesPlaceholder = template.some((w) => placeholder.test(staticText(w) ?? ''));
  let inner = template.map((w) => {
    const s = staticText(w);
    if (s === undefined) return w;
    const m = placeholder.exec(s);
    return m ? replaceIn(w, m[0], argWord) : w;
  });
  if (template.length === 1 && /\s/.test(staticText(template[0]) ?? '')) {
    const only = inner[0];
    if (only !== undefined)
      runScriptWord(
        cmd,
        usesPlaceholder ? only : literalWord(`${wordText(only)} ${wordText(argWord)}`),
        'parallel',
      );
    return;
  }
  if (!usesPlaceholder) inner = [...inner, argWord];
  runArgv(cmd, inner, { mode: stdinMode ? { stdinOperands: !usesPlaceholder, xargs: true } : {} });
}

function classifySsh(cmd: SimpleCommand): void {
  const { args, env } = cmd;
  const valueOpts = new Set([
    '-b',
    '-c',
    '-D',
    '-E',
    '-e',
    '-F',
    '-I',
    '-i',
    '-J',
    '-L',
    '-l',
    '-m',
    '-O',
    '-o',
    '-p',
    '-Q',
    '-R',
    '-S',
    '-W',
    '-w',
    '-B',
  ]);
  const i = skipOptions(args, valueOpts);
  const rest = args.slice(i + 1);
  if (rest.length === 0) return;
  const remote: Scope = {
    cwd: env.ctx.home,
    vars: new Map(),
    positional: null,
    workspaceRoots: [],
    remote: true,
  };
  runScriptWord(cmd, joinWords(rest, { remote: rest.some((w) => w.remote) }), 'ssh', null, remote);
}

function classifyEval(cmd: SimpleCommand): void {
  const { args } = cmd;
  if (args.length === 0) return;
  const joinedValues = args.every((w) => !w.dynamic && w.values.length === 1)
    ? [args.map((w) => w.values[0] ?? '').join(' ')]
    : [];
  const word: WordValue = {
    ...unknownWord(),
    values: joinedValues,
    patterns: joinedValues,
    dynamic: joinedValues.length === 0,
    sketch: args.map((w) => wordText(w)).join(' '),
    display: args.map(wordDisplay).join(' '),
    ansiC: args.some((w) => w.ansiC),
    decoder: args.some((w) => w.decoder),
    remote: args.some((w) => w.remote),
    stdin: args.some((w) => w.stdin),
  };
  runScriptWord(cmd, word, 'eval');
}

/** `/dev/stdin`, `/dev/fd/N`, `/proc/self/fd/N`: the fd a script path reads, if it names one. */
function fdOfPath(path: string): number | undefined {
  if (path === '/dev/stdin' || path === '-') return 0;
  const m = /^\/(?:dev\/fd|proc\/(?:self|\$\$|\d+)\/fd)\/(\d+)$/.exec(path);
  return m === null ? undefined : Number(m[1]);
}

export function checkScriptFile(cmd: SimpleCommand, file: WordValue, label: string, lang?: Lang): void {
  const { env } = cmd;
  const fd = fdOfPath(staticText(file) ?? '');
  if (fd !== undefined) {
    classifyStdinCode(cmd, label, lang, fd === 0 ? cmd.stdin() : (cmd.scope.fds?.get(fd) ?? { kind: 'dynamic' }));
    return;
  }
  if (file.procSubst && file.procText !== undefined && !file.decoder && !file.remote) {
    classifyStdinCode(cmd, label, lang, { kind: 'static', text: file.procText, dynamic: false });
    return;
  }
  if (file.procSubst || file.subst) {
    if (file.decoder) report(env, 'block.obfuscation', `${label} runs decoded text`, cmd.argv);
    else if (file.remote) report(env, 'confirm.remote-code', `${label} runs a download`, cmd.argv);
    else report(env, 'confirm.dynamic-code', `${label} runs the output of a command`, cmd.argv);
    return;
  }
  const abs = resolveWord(file, cmd.scope);
  if (abs === null) return;
  if (env.downloads.has(abs)) {
    report(
      env,
      'confirm.remote-code',
      `${label} runs ${abs}, downloaded earlier in the line`,
      cmd.argv,
    );
    return;
  }
  runWrittenScript(cmd, abs, label, lang);
}

/** A script written earlier in the same line (`echo … > x.sh && bash x.sh`) is classified. */
function runWrittenScript(cmd: SimpleCommand, abs: string, label: string, lang?: Lang): void {
  const written = cmd.env.written.get(abs);
  if (written === undefined) return;
  if (written.dynamic)
    report(
      cmd.env,
      'confirm.dynamic-code',
      `${label} runs ${abs}, written with dynamic content`,
      cmd.argv,
    );
  if (lang !== undefined) classifyInterpreterCode(cmd, written.text, lang);
  else runScriptText(cmd, written.text, `${label} ${abs}`, childScope(cmd.scope));
}

function classifySource(cmd: SimpleCommand): void {
  const file = cmd.args[0];
  if (file !== undefined) checkScriptFile(cmd, file, cmd.name);
}

/** What runs when stdin is a script for a shell or interpreter. */
export function classifyStdinCode(cmd: SimpleCommand, label: string, lang?: Lang, input?: Stdin): void {
  const { env } = cmd;
  const stdin = input ?? cmd.stdin();
  switch (stdin.kind) {
    case 'none':
      return;
    case 'decoded':
      report(env, 'block.obfuscation', `decoded text is piped into ${label}`, cmd.argv);
      return;
    case 'remote':
      report(env, 'confirm.remote-code', `downloaded text is piped into ${label}`, cmd.argv);
      return;
    case 'dynamic':
      report(env, 'confirm.dynamic-code', `${label} runs a script read from stdin`, cmd.argv);
      return;
    case 'file':
      if (stdin.path !== null && env.downloads.has(stdin.path))
        report(
          env,
          'confirm.remote-code',
          `${label} runs ${stdin.path}, downloaded earlier`,
          cmd.argv,
        );
      else if (stdin.path !== null) runWrittenScript(cmd, stdin.path, label, lang);
      return;
    case 'static':
      if (stdin.dynamic)
        report(env, 'confirm.dynamic-code', `${label} runs a script with dynamic parts`, cmd.argv);
      if (lang !== undefined) classifyInterpreterCode(cmd, stdin.text, lang);
      else runScriptText(cmd, stdin.text, `${label} stdin`, childScope(cmd.scope));
      return;
  }
}

function classifyShell(cmd: SimpleCommand): void {
  const { args, name } = cmd;
  let commandMode = false;
  let stdinMode = false;
  let i = 0;
  for (; i < args.length; i++) {
    const t = staticText(args[i]);
    if (t === undefined) break;
    if (t === '--' || t === '-') {
      i++;
      break;
    }
    if (/^[-+]O$|^[-+]o$/.test(t) || t === '--rcfile' || t === '--init-file') {
      i++;
      continue;
    }
    if (t.startsWith('--')) continue;
    if (/^[-+][A-Za-z]+$/.test(t)) {
      if (t.startsWith('-') && t.includes('c')) commandMode = true;
      if (t.startsWith('-') && t.includes('s')) stdinMode = true;
      continue;
    }
    break;
  }
  const operand = args[i];
  const rest = args.slice(i + 1);
  if (commandMode) {
    if (operand === undefined) {
      if (cmd.mode.stdinOperands)
        report(
          cmd.env,
          'confirm.dynamic-code',
          `xargs ${name} -c runs text read from stdin`,
          cmd.argv,
        );
      return;
    }
    // $0 = rest[0], $1… = rest[1…]; under xargs, stdin operands follow
    const positional: VarValue[] = rest.map((w) => ({
      values: w.values,
      dynamic: w.dynamic,
      stdin: w.stdin,
    }));
    if (positional.length === 0) positional.push({ values: [name], dynamic: false });
    if (cmd.mode.stdinOperands) positional.push({ values: [], dynamic: true, stdin: true });
    runScriptWord(cmd, operand, `${name} -c`, positional);
    return;
  }
  if (operand !== undefined && !stdinMode) {
    checkScriptFile(cmd, operand, name);
    return;
  }
  if (cmd.mode.stdinOperands) return;
  classifyStdinCode(cmd, name);
}

function classifyInterpreter(cmd: SimpleCommand, lang: Lang): void {
  const { args, name, env } = cmd;
  const t = argTexts(args);
  const codes: WordValue[] = [];
  let scriptIndex = -1;
  let module: string | undefined;
  let inPlace = false;
  const valueOpts: Record<Lang, readonly string[]> = {
    python: ['-W', '-X', '-Q'],
    node: [
      '-r',
      '--require',
      '--import',
      '--loader',
      '--experimental-loader',
      '--input-type',
      '--env-file',
      '-C',
      '--conditions',
      '--title',
    ],
    perl: ['-I', '-M', '-m', '-x'],
    ruby: ['-r', '-I', '-C', '-E', '-F'],
    php: ['-d', '-c', '-z'],
    lua: ['-l'],
    pwsh: [],
  };
  if (lang === 'pwsh') return classifyPowerShellArgs(cmd);
  const vo = new Set(valueOpts[lang]);
  let i = 0;
  if ((name === 'deno' || name === 'bun') && t[0] === 'eval') {
    const code = args[1];
    if (code !== undefined) codes.push(code);
    i = args.length;
  }
  for (; i < args.length; i++) {
    const x = t[i] ?? '';
    const w = args[i];
    if (w === undefined) break;
    if (x === '--') {
      scriptIndex = i + 1;
      break;
    }
    if (x === '-') break;
    if (!x.startsWith('-')) {
      scriptIndex = i;
      break;
    }
    const codeFlag =
      (lang === 'python' && (x === '-c' || /^-[a-zA-Z]*c$/.test(x))) ||
      (lang === 'node' && ['-e', '--eval', '-p', '--print', '-pe'].includes(x)) ||
      ((lang === 'perl' || lang === 'ruby') && /^-[a-zA-Z0-9.]*[eE]$/.test(x)) ||
      (lang === 'php' && x === '-r') ||
      (lang === 'lua' && x === '-e');
    if (lang === 'perl' && /^-[a-zA-Z]*i/.test(x)) inPlace = true;
    if (codeFlag) {
      const code = args[i + 1];
      if (code !== undefined) codes.push(code);
      i++;
      if (lang === 'python') {
        i = args.length;
        break;
      }
      continue;
    }
    if (lang === 'python' && x.startsWith('-c') && x.length > 2) {
      codes.push(literalWord(x.slice(2)));
      i = args.length;
      break;
    }
    if (lang === 'python' && (x === '-m' || /^-[a-zA-Z]*m$/.test(x))) {
      module = t[i + 1];
      scriptIndex = -2;
      const modArgs = args.slice(i + 2);
      if (module === 'pip' || module === 'ensurepip') {
        classifyPackages({
          ...cmd,
          name: 'pip',
          argv: [literalWord('pip'), ...modArgs],
          args: modArgs,
        });
      } else if (module === 'venv' || module === 'http.server' || module === 'json.tool') {
        /* harmless */
      } else if (module === 'twine') {
        classifyPackages({
          ...cmd,
          name: 'twine',
          argv: [literalWord('twine'), ...modArgs],
          args: modArgs,
        });
      }
      break;
    }
    if (vo.has(x)) i++;
  }
  for (const code of codes) {
    if (code.decoder) {
      report(env, 'block.obfuscation', `decoded text is run by ${name}`, cmd.argv);
      return;
    }
    if (code.dynamic || code.values.length === 0) {
      if (code.remote) report(env, 'confirm.remote-code', `${name} runs downloaded code`, cmd.argv);
      else report(env, 'confirm.dynamic-code', `${name} runs dynamic code`, cmd.argv);
      classifyInterpreterCode(cmd, code.sketch, lang);
      continue;
    }
    for (const v of code.values.slice(0, 4)) classifyInterpreterCode(cmd, v, lang);
  }
  if (inPlace && codes.length > 0) {
    const files = args.slice(
      args.indexOf(codes[codes.length - 1] ?? args[0] ?? literalWord('')) + 1,
    );
    for (const f of files) checkWrite(cmd, f, 'perl -i edits');
  }
  if (codes.length > 0 || module !== undefined) return;
  if (scriptIndex >= 0) {
    const file = args[scriptIndex];
    if (file !== undefined) checkScriptFile(cmd, file, name, lang);
    return;
  }
  if (cmd.mode.stdinOperands) return;
  classifyStdinCode(cmd, name, lang);
}

/** pwsh/powershell: `-Command CODE…`, `-EncodedCommand B64` (obfuscation), `-File F`. */
function classifyPowerShellArgs(cmd: SimpleCommand): void {
  const { args, env } = cmd;
  for (let i = 0; i < args.length; i++) {
    const x = (staticText(args[i]) ?? '').toLowerCase();
    if (/^-(?:e|ec|enc|encodedcommand|encodedcomman|encodedcomma|encoded)$/.test(x)) {
      report(env, 'block.obfuscation', `${cmd.name} -EncodedCommand runs base64-encoded code`, cmd.argv);
      return;
    }
    if (/^-(?:c|command)$/.test(x) || !x.startsWith('-')) {
      const codeWords = args.slice(/^-/.test(x) ? i + 1 : i);
      if (/^-(?:c|command)$/.test(x) || i === 0) {
        const code = codeWords.map((w) => w.values[0] ?? w.sketch).join(' ');
        if (codeWords.some((w) => w.dynamic)) report(env, 'confirm.dynamic-code', `${cmd.name} runs dynamic code`, cmd.argv);
        classifyInterpreterCode(cmd, code, 'pwsh');
      }
      return;
    }
    if (/^-(?:f|file)$/.test(x)) return;
  }
}

/** awk programs are data, except what they hand to a shell: system(), print | "cmd", "cmd" | getline. */
function classifyAwk(cmd: SimpleCommand): void {
  const { args, env } = cmd;
  const t = argTexts(args);
  let program: WordValue | undefined;
  for (let i = 0; i < args.length; i++) {
    const x = t[i] ?? '';
    if (x === '-f' || x === '--file') return; // program in a file: a workspace script
    if (x === '-F' || x === '-v' || x === '--assign' || x === '--field-separator') {
      i++;
      continue;
    }
    if (x.startsWith('-') && x !== '-') continue;
    program = args[i];
    break;
  }
  if (program === undefined) return;
  const code = program.values[0] ?? program.sketch;
  const literal =
    /\bsystem\s*\(\s*"((?:[^"\\]|\\.)*)"\s*\)|\|\s*"((?:[^"\\]|\\.)*)"|"((?:[^"\\]|\\.)*)"\s*\|\s*getline/g;
  let m: RegExpExecArray | null;
  while ((m = literal.exec(code)) !== null) {
    const shell = (m[1] ?? m[2] ?? m[3] ?? '').replace(/\\(.)/g, '$1');
    if (
      m[2] !== undefined &&
      /^\s*(?:sudo\s+)?(?:sh|bash|zsh|dash|ksh|python\d*|perl|ruby|node)\s*$/.test(shell)
    ) {
      report(env, 'confirm.dynamic-code', `awk pipes data into ${shell.trim()}`, cmd.argv);
      continue;
    }
    const inner = nestedFindings(cmd, literalWord(shell), 'awk');
    const blocking = inner.find((f) => f.rule.startsWith('block.'));
    if (blocking !== undefined) {
      report(
        env,
        'block.interpreter-one-liner',
        `awk runs \`${shell}\`: ${blocking.detail ?? blocking.rule}`,
        cmd.argv,
      );
      return;
    }
    for (const f of inner) env.findings.push(f);
  }
  if (/\bsystem\s*\(\s*[^"\s)]/.test(code) || /\|\s*[^"\s|&]/.test(code.replace(/\|\|/g, ''))) {
    if (/\bsystem\s*\(\s*[^"\s)]/.test(code) || /\|\s*(?:cmd|\$)/.test(code)) {
      report(env, 'confirm.dynamic-code', 'awk runs a command built at run time', cmd.argv);
    }
  }
}

function classifyRunner(cmd: SimpleCommand): void {
  const { name, args } = cmd;
  const spec = RUNNERS[name] ?? {};
  runnerConfirm(cmd, name);
  const t = argTexts(args);
  // shell-string forms
  if (name === 'script' || name === 'sg' || name === 'nix-shell') {
    for (let k = 0; k < t.length; k++) {
      if (t[k] === '-c' || t[k] === '--command' || t[k] === '--run') {
        const w = args[k + 1];
        if (w !== undefined) runScriptWord(cmd, w, name);
        return;
      }
    }
    return;
  }
  if (name === 'hyperfine') {
    args
      .filter((w) => !(staticText(w) ?? '').startsWith('-'))
      .forEach((w) => runScriptWord(cmd, w, 'hyperfine'));
    return;
  }
  if (name === 'at' || name === 'batch') return classifyAt(cmd);
  if (name === 'tmux') return classifyTmux(cmd);
  if (name === 'screen') return classifyScreen(cmd);
  if (name === 'gdb') {
    const k = t.indexOf('--args');
    if (k !== -1) runArgv(cmd, args.slice(k + 1), {});
    return;
  }
  runAfterOptions(cmd, spec);
}

/** Exposed for the fallback scanner: classify a word list as one simple command. */
export function classifyWords(argv: readonly WordValue[], scope: Scope, env: Env): void {
  runArgvIn(argv, scope, env, () => ({ kind: 'none' }), {}, scope);
}
