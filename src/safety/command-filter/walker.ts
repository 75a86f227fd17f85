/**
 * The shell walker: what bash would run, statement by statement. It follows lists, pipelines,
 * groups, compound commands, functions, substitutions and redirections, keeps the shell state
 * (cwd, variables, positional parameters, fds) and the data flow into each command's stdin, and
 * hands every simple command to the runner (`env.exec.words`). It decides nothing itself: the
 * only findings it records are a fork bomb's shape and redirection targets, as their own rows.
 */
import type { ShNode, ShStmt, ShWord, ShCallExpr, ShAssign, ShRedirect } from './shell-ast.js';
import { BINCMD, PROC, REDIR } from './shell-ast.js';
import { parseShell } from './parse-shell.js';
import type { Env, Scope, VarValue } from './scope.js';
import { childScope } from './scope.js';
import type { Stdin } from './simple-command.js';
import { makeCommand, reportAs, staticText } from './simple-command.js';
import type { SubstOutcome, WordHooks, WordValue } from './words.js';
import { decodeAnsiC, evalWord, literalWord, lookupVar, unknownWord, wordLiteral, wordText } from './words.js';
import { resolvePath } from './paths.js';
import { classifyRedirectTarget } from './cmd-fs.js';
import { staticOutput } from './static-output.js';
import { callWordsLiteral, isDecoder, isDownloaderName } from './decoders.js';
import { scratchEnv } from './exec.js';

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
      for (const x of v) if (x !== null && typeof x === 'object') walkNestedWords(x as ShNode, scope, env);
    } else if (v !== null && typeof v === 'object') walkNestedWords(v as ShNode, scope, env);
  }
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
        w.Parts.some((p) => p.type === 'SglQuoted' && p['Dollar'] === true && decodeAnsiC(String(p['Value'] ?? '')).numeric),
      );
      if (isDecoder(words, ansiC)) decoder = true;
      if (isDownloaderName(words)) remote = true;
      if (/(?:^|\/)(?:curl|wget)$/.test(words[0] ?? '') || words.some((w) => /\$\((?:curl|wget)\b/.test(w))) remote = true;
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

function walkSubstitution(stmts: readonly ShStmt[], scope: Scope, env: Env, _proc: boolean): SubstOutcome {
  const inner = childScope(scope);
  walkStmts(stmts, inner, env);
  const info = stmtsInfo(stmts);
  // `$(cd ..; pwd)`: statements that print nothing (cd, assignments) set up the scope of the last one
  const silent = stmts.slice(0, -1).every((s) => s.Cmd?.type === 'CallExpr' && s.Redirs.length === 0 && printsNothing(s.Cmd as ShCallExpr));
  if (stmts.length >= 1 && silent) {
    const s = stmts[stmts.length - 1];
    const at = stmts.length === 1 ? scope : inner;
    if (s !== undefined && s.Cmd?.type === 'CallExpr' && s.Redirs.length === 0) {
      const call = s.Cmd as ShCallExpr;
      if (call.Assigns.length === 0) {
        const scratch = scratchEnv(env);
        const argv = call.Args.map((w) => evaluate(w, at, scratch));
        const out = staticOutput(argv, at, env);
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

/** A statement that writes nothing to stdout: an assignment, `cd`, `:`, `true`, `export`, `unset`. */
function printsNothing(call: ShCallExpr): boolean {
  const first = call.Args[0];
  return first === undefined || ['cd', ':', 'true', 'export', 'unset'].includes(wordLiteral(first));
}

/** Parses and walks a script (throws ShellParseError). */
export function walkScript(source: string, scope: Scope, env: Env, stdin?: () => Stdin): void {
  const file = parseShell(source);
  walkStmts(file.Stmts, scope, env, stdin);
}

/**
 * Walks statements in order, sharing the scope (cd and assignments carry over). `stdin` is what
 * the group reads (`… | (bash)`, `… | { sh; }`): any statement of it may be the one reading.
 */
export function walkStmts(stmts: readonly ShStmt[], scope: Scope, env: Env, stdin: () => Stdin = () => ({ kind: 'none' })): void {
  for (const s of stmts) walkStmt(s, scope, env, stdin);
}

function flattenPipeline(stmt: ShStmt): ShStmt[] {
  const cmd = stmt.Cmd;
  if (cmd?.type === 'BinaryCmd' && (cmd['Op'] === BINCMD.Pipe || cmd['Op'] === BINCMD.PipeAll) && stmt.Redirs.length === 0) {
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
    if (v.procSubst) {
      if (v.decoder) return { kind: 'decoded' };
      if (v.remote) return { kind: 'remote' };
      // `< <(echo …)`: the substitution's static output is what is read
      return v.procText !== undefined ? { kind: 'static', text: v.procText, dynamic: false } : { kind: 'dynamic' };
    }
    const t = staticText(v);
    return { kind: 'file', path: t === undefined ? null : resolvePath(t, scope) };
  }
  return undefined;
}

/** What a pipeline stage writes to the next one. */
function stageOutput(stages: readonly ShStmt[], idx: number, scope: Scope, env: Env, outer: () => Stdin): Stdin {
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
  const own = (): Stdin => redirStdin(stage, scope, env) ?? (idx === 0 ? outer() : stageOutput(stages, idx - 1, scope, env, outer));
  const cmd = stage.Cmd;
  if (
    cmd !== null &&
    (cmd.type === 'Block' ||
      cmd.type === 'Subshell' ||
      (cmd.type === 'BinaryCmd' && (cmd['Op'] === BINCMD.AndStmt || cmd['Op'] === BINCMD.OrStmt)))
  ) {
    // `{ echo a; echo b; } | sh`, `(echo a) | sh`, `echo a && echo b | …`: what each statement writes, in order
    const inner = cmd.type === 'BinaryCmd' ? [cmd['X'] as ShStmt | null, cmd['Y'] as ShStmt | null] : stmtList(cmd['Stmts']);
    return joinOutputs(
      inner
        .filter((s): s is ShStmt => s !== null)
        .map((s) => {
          const parts = flattenPipeline(s);
          return stageOutput(parts, parts.length - 1, scope, env, own);
        }),
    );
  }
  if (cmd?.type === 'CallExpr') {
    const call = stage.Cmd as ShCallExpr;
    const scratch = scratchEnv(env);
    const argv = call.Args.map((w) => evaluate(w, scope, scratch));
    if (argv.some((w) => w.decoder)) return { kind: 'decoded' };
    if (argv.some((w) => w.remote)) return { kind: 'remote' };
    const name = (staticText(argv[0]) ?? '').split('/').pop() ?? '';
    if ((name === 'cat' || name === 'tee') && argv.slice(1).every((w) => (staticText(w) ?? 'x').startsWith('-') || name === 'tee')) {
      return own();
    }
    const out = staticOutput(argv, scope, env);
    if (out !== undefined) return { kind: 'static', text: out, dynamic: false };
    if (name === 'cat' && argv.length === 2) {
      const t = staticText(argv[1]);
      return { kind: 'file', path: t === undefined ? null : resolvePath(t, scope) };
    }
    // unknown output (`sed -n 1p <<< '…'`, `head -1 f`): it is made of the stage's input and words
    return { kind: 'dynamic', sketch: [sketchOf(own()), ...argv.slice(1).map((w) => staticText(w) ?? w.sketch)].join('\n') };
  }
  return { kind: 'dynamic' };
}

/** The text that shows of an input: all of a static one, the sketch of an unknown one. */
function sketchOf(input: Stdin): string {
  return input.kind === 'static' ? input.text : input.kind === 'dynamic' ? (input.sketch ?? '') : '';
}

/** Outputs written one after the other into the same pipe. */
function joinOutputs(outs: readonly Stdin[]): Stdin {
  if (outs.some((o) => o.kind === 'decoded')) return { kind: 'decoded' };
  if (outs.some((o) => o.kind === 'remote')) return { kind: 'remote' };
  const text = outs.map(sketchOf).join('');
  if (outs.every((o) => o.kind === 'static' || o.kind === 'none'))
    return { kind: 'static', text, dynamic: outs.some((o) => o.kind === 'static' && o.dynamic) };
  return { kind: 'dynamic', sketch: outs.map(sketchOf).join('\n') };
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

function walkRedirects(redirs: readonly ShRedirect[], scope: Scope, env: Env, owner: readonly WordValue[]): void {
  for (const r of redirs) {
    if (r.Word !== null && r.Op !== REDIR.Hdoc && r.Op !== REDIR.DashHdoc) {
      const target = evaluate(r.Word, scope, env);
      if (OUTPUT_REDIRS.has(r.Op)) {
        const cmd = makeCommand(owner, scope, env, () => ({ kind: 'none' }), {});
        const before = env.owner;
        env.owner = 'redirect';
        if (r.Op === REDIR.DplOut && !/^\d*-?$/.test(staticText(target) ?? 'x') && staticText(target) !== undefined) {
          classifyRedirectTarget(cmd, target, '>&');
        } else if (r.Op !== REDIR.DplOut) classifyRedirectTarget(cmd, target, redirOpText(r.Op));
        const t = staticText(target);
        const abs = t === undefined ? null : resolvePath(t, scope);
        if (abs !== null && owner.length > 0 && /^(?:curl|wget)$/.test((staticText(owner[0]) ?? '').split('/').pop() ?? '')) {
          env.downloads.add(abs);
        }
        env.owner = before;
      }
    } else if (r.Hdoc !== null && !isQuotedHeredocDelim(r.Word)) {
      // unquoted heredoc bodies expand: walk their substitutions
      evaluate({ type: 'Word', Parts: [{ type: 'DblQuoted', Dollar: false, Parts: r.Hdoc.Parts }] }, scope, env);
    }
  }
}

export function walkStmt(stmt: ShStmt, scope: Scope, env: Env, pipeStdin: () => Stdin): void {
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

export function stmtList(v: unknown): ShStmt[] {
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
        reportAs('function', env, 'block.fork-bomb', `function ${name} calls itself in a pipeline or in the background`, [
          literalWord(`${name}()`),
        ]);
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
      const args = (cmd['Args'] as ShAssign[] | null) ?? [];
      // `declare -n r=HOME` (also local/typeset): r is another name for HOME, read as its value
      const nameref = args.some((a) => a.Naked && a.Value !== null && /^-\w*n/.test(wordLiteral(a.Value)));
      for (const a of args) {
        assign(a, scope, env, scope);
        const ref = nameref && !a.Naked && a.Name !== null && a.Value !== null ? wordLiteral(a.Value) : '';
        if (a.Name !== null && /^[A-Za-z_]\w*$/.test(ref)) {
          scope.vars.set(a.Name.Value, lookupVar(ref, scope, hooksFor(env)) ?? { values: [], dynamic: true });
        }
      }
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
      if (x !== null && typeof x === 'object' && 'type' in (x as object) && callsSelfInPipeOrBackground(x as ShNode, name, risky))
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
            ...(w.procText !== undefined && { procText: w.procText }),
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

function walkCall(call: ShCallExpr, stmt: ShStmt, scope: Scope, env: Env, stdin: () => Stdin): void {
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
            ...(now.procText !== undefined && { procText: now.procText }),
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
  env.exec.words(argv, cmdScope === scope ? scope : cmdScope, env, stdin, {}, scope);
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
  const outs = words.flatMap((w) => w.Parts.filter((p) => p.type === 'ProcSubst' && Number(p['Op']) === PROC.CmdOut));
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
function recordWrittenFile(argv: readonly WordValue[], stmt: ShStmt, scope: Scope, env: Env, stdin: () => Stdin): void {
  const out = stmt.Redirs.filter(
    (r) => (r.Op === REDIR.RdrOut || r.Op === REDIR.ClbOut || r.Op === REDIR.AppOut) && (r.N === null || r.N.Value === '1'),
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
    env.written.set(abs, before === undefined ? content : { text: before.text + content.text, dynamic: before.dynamic || content.dynamic });
  }
}

function lookupForMerge(name: string, scope: Scope, env: Env): VarValue | undefined {
  const v = scope.vars.get(name);
  if (v !== undefined) return v;
  if (name === 'HOME') return { values: [env.ctx.home], dynamic: false };
  if (name === 'TMPDIR') return { values: [env.ctx.tmpDirs[0] ?? '/tmp'], dynamic: false };
  return { values: [], dynamic: true };
}
