/**
 * The runner: what happens to one simple command once the walker found it. It checks the
 * command word itself (obfuscation, dynamic names, user rules), expands a name that holds
 * several words, and dispatches to the command table; it also parses the scripts wrappers hand
 * back (one level deeper, failing closed).
 */
import type { ShStmt } from './shell-ast.js';
import { ShellParseError } from './parse-shell.js';
import type { Env, Scope, VarValue } from './scope.js';
import { childScope } from './scope.js';
import type { RunMode, SimpleCommand, Stdin } from './simple-command.js';
import { makeCommand, reportAs, staticText } from './simple-command.js';
import type { WordValue } from './words.js';
import { DYN, literalWord, wordText } from './words.js';
import { globMatchSegment, resolvePath } from './paths.js';
import type { Executor } from './exec.js';
import { MAX_DEPTH, scratchEnv } from './exec.js';
import { fallbackFindings } from './fallback.js';
import { walkScript, walkStmt } from './walker.js';
import { rowsFor } from './commands.js';
import { scanOptions } from './options.js';
import { runWrittenExecutable, scriptFileImpl, stdinCodeImpl } from './cmd-shells.js';
import { commandVarScripts } from './cmd-command-vars.js';

function checkUserBlocks(argv: readonly WordValue[], env: Env): void {
  if (env.userRules.length === 0) return;
  const texts = argv.map(wordText);
  for (const r of env.userRules) {
    if (r.kind === 'block' && r.matches(texts)) reportAs('command-word', env, 'block.user-rule', `${r.label}: ${r.reason}`, argv);
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

export function runArgvIn(argv: readonly WordValue[], scope: Scope, env: Env, stdin: () => Stdin, mode: RunMode, stmtScope: Scope): void {
  const first = argv[0];
  if (first === undefined) return;
  env.chain.push(argv.map(wordText));
  try {
    checkUserBlocks(argv, env);
    if (argv.some((w) => w.ifs)) {
      reportAs('command-word', env, 'block.obfuscation', '$IFS used as a word separator', argv);
      return;
    }
    if (argv.some((w) => w.prompt))
      reportAs('command-word', env, 'confirm.dynamic-code', '${var@P} runs substitutions stored in a variable', argv);
    if (first.varSplit && scope.vars.has('IFS')) {
      reportAs('command-word', env, 'block.obfuscation', '$IFS is reassigned to split an expansion into a command', argv);
      return;
    }
    if (first.brace) {
      reportAs('command-word', env, 'block.obfuscation', 'brace expansion in command position', argv);
      return;
    }
    if (first.ansiC) {
      reportAs('command-word', env, 'block.obfuscation', "ANSI-C $'\\x..' escapes spell the command name", argv);
      return;
    }
    if (first.decoder) {
      reportAs('command-word', env, 'block.obfuscation', 'decoded text is run as the command', argv);
      return;
    }
    const knownValues = first.values.filter((v) => v !== '');
    if (first.dynamic || knownValues.length === 0) {
      if (first.remote) reportAs('command-word', env, 'confirm.remote-code', 'command name comes from a download', argv);
      else reportAs('command-word', env, 'confirm.dynamic-code', `command name ${first.sketch || DYN} is dynamic`, argv);
      blockingArgs(argv, scope, env, stdin, mode);
    } else if (first.subst) {
      reportAs('command-word', env, 'confirm.dynamic-code', 'command name comes from a substitution', argv);
    }
    if (first.glob) {
      reportAs('command-word', env, 'confirm.dynamic-code', 'command name is a glob', argv);
      const pattern = first.patterns[0] ?? '';
      const base = pattern.split('/').pop() ?? '';
      if (!/[A-Za-z0-9]/.test(base.replace(/\\./g, ''))) return;
      for (const n of KNOWN_NAMES) {
        if (globMatchSegment(base, n)) dispatch(makeCommand([literalWord(n), ...argv.slice(1)], scope, env, stdin, mode), stmtScope);
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

/**
 * A command whose name is unknown could be a shell or a wrapper (`$SHELL -c 'rm -rf ~'`, `$RUN rm
 * -rf /`): its words, read as a command line and each as a script, block when they hold a
 * block-class command that parses (text that does not parse is more likely data).
 */
function blockingArgs(argv: readonly WordValue[], scope: Scope, env: Env, stdin: () => Stdin, mode: RunMode): void {
  const args = argv.slice(1);
  if (args.length === 0 || env.depth >= MAX_DEPTH) return;
  const scratch = scratchEnv(env);
  scratch.depth++;
  const cmd = makeCommand(argv, scope, scratch, stdin, mode);
  runArgvIn(args, scope, scratch, stdin, mode, scope);
  for (const w of args) if (!w.dynamic && /\s/.test(w.values[0] ?? '')) runScriptWordImpl(cmd, w, 'an argument of a dynamic command');
  for (const f of scratch.findings) if (f.rule.startsWith('block.') && f.rule !== 'block.unparseable-dangerous') env.findings.push(f);
}

/** Classifies an inner script given as a word (`sh -c WORD`, `eval`, alias bodies, …). */
function runScriptWordImpl(
  cmd: SimpleCommand,
  word: WordValue,
  label: string,
  positional?: VarValue[] | null,
  scopeOverride?: Scope,
): void {
  const { env } = cmd;
  if (word.ansiC) {
    reportAs('script', env, 'block.obfuscation', `ANSI-C $'\\x..' escapes spell the script of ${label}`, cmd.argv);
    return;
  }
  if (word.decoder) {
    reportAs('script', env, 'block.obfuscation', `decoded text is run by ${label}`, cmd.argv);
    return;
  }
  const scope = childScope(scopeOverride ?? cmd.scope);
  if (positional !== undefined) scope.positional = positional;
  if (word.dynamic || word.values.length === 0) {
    if (word.remote) reportAs('script', env, 'confirm.remote-code', `${label} runs downloaded text`, cmd.argv);
    else if (word.stdin) reportAs('script', env, 'confirm.dynamic-code', `${label} runs text read from stdin`, cmd.argv);
    else reportAs('script', env, 'confirm.dynamic-code', `${label} runs a dynamic string`, cmd.argv);
    if (word.sketch !== '') runScriptTextImpl(cmd, word.sketch, label, scope);
    return;
  }
  for (const text of word.values.slice(0, 4)) runScriptTextImpl(cmd, text, label, scope);
}

/** Parses and walks script text one level deeper; fails closed. */
function runScriptTextImpl(cmd: SimpleCommand, text: string, label: string, scope: Scope): void {
  const { env } = cmd;
  if (env.depth >= MAX_DEPTH || env.parseBudget <= 0) {
    const found = fallbackFindings(text, env);
    const blocking = found.find((f) => f.rule.startsWith('block.'));
    const why = env.depth >= MAX_DEPTH ? 'nested too deeply to analyse' : 'too many inner scripts to analyse';
    reportAs(
      'script',
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
    // the script's commands read what the command running it reads (`bash -c 'exec sh' <<< …`)
    walkScript(text, scope, env, cmd.stdin);
  } catch (e) {
    if (!(e instanceof ShellParseError)) throw e;
    const found = fallbackFindings(text, env);
    const blocking = found.find((f) => f.rule.startsWith('block.'));
    reportAs(
      'script',
      env,
      blocking ? 'block.unparseable-dangerous' : 'confirm.unparseable',
      `${label}: ${e.message}${blocking ? ` (${blocking.detail ?? blocking.rule})` : ''}`,
      cmd.argv,
    );
  } finally {
    env.depth--;
  }
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

/**
 * Classifies one simple command: a file written or downloaded earlier in the line, a function
 * defined earlier, or the command table's rows for its name (commands.ts), in order, each
 * reporting as itself.
 */
function dispatch(cmd: SimpleCommand, stmtScope: Scope): void {
  const { name, args, env, scope } = cmd;
  const onlyArg = staticText(args[0]);
  if (args.length === 1 && (onlyArg === '--help' || onlyArg === '--version')) return;
  // download-then-execute, or a script written earlier in the line
  const path = staticText(cmd.argv[0]);
  if (path !== undefined && path.includes('/')) {
    const abs = resolvePath(path, scope);
    if (abs !== null && env.downloads.has(abs)) {
      reportAs('command-word', env, 'confirm.remote-code', `runs ${abs}, downloaded earlier in the line`, cmd.argv);
      return;
    }
    if (abs !== null && env.written.has(abs) && env.depth < MAX_DEPTH) {
      env.depth++;
      try {
        runWrittenExecutable(cmd, abs);
      } finally {
        env.depth--;
      }
      return;
    }
  }
  commandVarScripts(cmd);
  const fnBody = env.functions.get(name);
  if (fnBody !== undefined) return callFunction(cmd, fnBody);
  const hashed = scope.hashed?.get(name);
  if (hashed !== undefined && env.depth < MAX_DEPTH) {
    const inner = { ...cmd, name: hashed.split('/').pop() ?? hashed, argv: [literalWord(hashed), ...args] };
    env.depth++;
    try {
      return dispatch(inner, stmtScope);
    } finally {
      env.depth--;
    }
  }
  const before = env.owner;
  try {
    for (const row of rowsFor(name)) {
      env.owner = row.id;
      if (row.classify === undefined) return;
      const spec = typeof row.options === 'function' ? row.options(name) : row.options;
      if (row.classify(cmd, stmtScope, scanOptions(args, spec)) !== false) return;
    }
  } finally {
    env.owner = before;
  }
}

/** The shell model classifiers call back into (exec.ts). */
export const EXECUTOR: Executor = {
  words: runArgvIn,
  scriptWord: runScriptWordImpl,
  scriptText: runScriptTextImpl,
  stdinCode: (cmd, label, lang, input) => withOwner(cmd, () => stdinCodeImpl(cmd, label, lang, input)),
  scriptFile: (cmd, file, label, lang) => withOwner(cmd, () => scriptFileImpl(cmd, file, label, lang)),
};

/** Script-reading checks report as the `script` row, whoever asked. */
function withOwner(cmd: SimpleCommand, f: () => void): void {
  const before = cmd.env.owner;
  cmd.env.owner = 'script';
  try {
    f();
  } finally {
    cmd.env.owner = before;
  }
}
