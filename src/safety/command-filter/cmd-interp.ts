import type { SimpleCommand } from './simple-command.js';
import { report } from './simple-command.js';
import { literalWord, patternWord } from './words.js';
import { resolvePath } from './paths.js';
import { checkRecursiveDelete } from './cmd-fs.js';
import { nestedFindings } from './exec.js';
import { literalTexts, seeThroughQuotes } from './interp-quotes.js';

/** Interpreter languages whose one-liners are inspected. */
export type Lang = 'python' | 'node' | 'perl' | 'ruby' | 'php' | 'lua' | 'pwsh' | 'r' | 'julia';

/** The language of an interpreter name, if it is one. */
export function interpreterLang(name: string): Lang | undefined {
  if (/^(?:python(?:\d+(?:\.\d+)?)?|pypy\d*)$/.test(name)) return 'python';
  if (/^(?:node|nodejs|deno|bun)$/.test(name)) return 'node';
  if (/^perl(?:\d+(?:\.\d+)*)?$/.test(name)) return 'perl';
  if (/^(?:ruby|jruby)$/.test(name)) return 'ruby';
  if (/^php(?:\d+(?:\.\d+)?)?$/.test(name)) return 'php';
  if (/^(?:lua(?:\d+(?:\.\d+)?)?|luajit)$/.test(name)) return 'lua';
  if (/^(?:pwsh|powershell)(?:\.exe)?$/.test(name)) return 'pwsh';
  if (/^(?:Rscript|R)$/.test(name)) return 'r';
  if (name === 'julia') return 'julia';
  return undefined;
}

const STR = String.raw`(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"|\x60((?:[^\x60\\]|\\.)*)\x60)`;
const LIST = String.raw`[\[(]((?:\s*${STR}\s*,?)+)[\])]`;

function unescapeStr(s: string): string {
  return s.replace(/\\(.)/g, (_, c: string) => ({ n: '\n', t: '\t' })[c] ?? c);
}

function strings(source: string): string[] {
  const out: string[] = [];
  const re = new RegExp(STR, 'g');
  let m: RegExpExecArray | null;
  while ((m = re.exec(source)) !== null) out.push(unescapeStr(m[1] ?? m[2] ?? m[3] ?? ''));
  return out;
}

function quoteArg(s: string): string {
  return /^[A-Za-z0-9_@%+=:,./~-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Shell commands passed literally to a shell-out API in `code`. */
export function shellOuts(code: string, lang: Lang): string[] {
  const out: string[] = [];
  const call = new RegExp(
    String.raw`\b(?:system|popen|spawn|spawnSync|execute|exec|execSync|execFile|execFileSync|run|call|check_call|check_output|Popen|getoutput|getstatusoutput|shell_exec|passthru|proc_open|capture2e?|capture3|popen3|execl|execlp|execv|execvp)\s*\(?\s*(?:${LIST}|${STR})((?:\s*,\s*(?:${LIST}|${STR}))*)`,
    'g',
  );
  let m: RegExpExecArray | null;
  while ((m = call.exec(code)) !== null) {
    const whole = m[0];
    const args = strings(whole.replace(/^[^(\s'"`[]*\s*\(?/, ''));
    if (args.length === 0) continue;
    const usesList = /\(\s*\[|\s\[/.test(whole) || args.length > 1;
    out.push(usesList ? args.map(quoteArg).join(' ') : (args[0] ?? ''));
  }
  if (lang === 'perl' || lang === 'ruby' || lang === 'php') {
    const bt = /`((?:[^`\\]|\\.)*)`/g;
    while ((m = bt.exec(code)) !== null) out.push(unescapeStr(m[1] ?? ''));
    const qx = /(?:\bqx|%x)\s*(?:\{([^}]*)\}|\(([^)]*)\)|\/([^/]*)\/|\[([^\]]*)\])/g;
    while ((m = qx.exec(code)) !== null) out.push(m[1] ?? m[2] ?? m[3] ?? m[4] ?? '');
  }
  return out;
}

const HOME_EXPR = String.raw`(?:os\.path\.expanduser\(\s*['"]~['"]\s*\)|(?:pathlib\.)?Path\.home\(\)|(?:os|require\(\s*['"](?:node:)?os['"]\s*\))\.homedir\(\)|process\.env\.HOME|process\.env\[['"]HOME['"]\]|os\.environ\[['"]HOME['"]\]|os\.getenv\(\s*['"]HOME['"]\s*\)|Dir\.home|ENV\[['"]HOME['"]\]|\$ENV\{HOME\})`;

/** Paths passed literally to recursive-delete APIs (rmtree, rmSync, rm_rf, …). */
export function recursiveDeletes(code: string): { path: string; home: boolean }[] {
  const out: { path: string; home: boolean }[] = [];
  const re = new RegExp(
    String.raw`\b(?:shutil\.rmtree|rmtree|remove_tree|rm_rf|rm_r|remove_dir|Deno\.removeSync|Deno\.remove|remove_entry_secure|rimraf(?:\.sync)?|rmSync|rmdirSync|(?:fs|fsp|promises)\.rm|(?:fs|fsp|promises)\.rmdir|fs\.promises\.rm)\s*(?:\(\s*|\s(?=\s*['"]))(?:${HOME_EXPR}|(?:pathlib\.)?Path\(\s*${STR}\s*\)|${STR})`,
    'g',
  );
  let m: RegExpExecArray | null;
  while ((m = re.exec(code)) !== null) {
    const fn = m[0];
    if (/\b(?:rmSync|rmdirSync|\.rm|\.rmdir|Deno\.remove\w*)\s*\(/.test(fn) && !/recursive/.test(code)) continue;
    const s = m[1] ?? m[2] ?? m[3] ?? m[4] ?? m[5] ?? m[6];
    if (s === undefined) out.push({ path: '~', home: true });
    else out.push({ path: unescapeStr(s), home: false });
  }
  return out;
}

/** Fork loops in interpreter code (`fork while fork`, `while True: os.fork()`). */
export function isForkLoop(code: string, lang: Lang): boolean {
  if (!/\bfork\b/.test(code)) return false;
  if (lang === 'perl' || lang === 'ruby')
    return /\b(?:while|until|for|loop|redo)\b/.test(code) || /fork\s*;\s*fork/.test(code) || /\{\s*fork\s*\}/.test(code);
  if (lang === 'python') return /os\.fork\(\)/.test(code) && /\b(?:while|for)\b/.test(code);
  return /\b(?:while|for)\b/.test(code) && /fork\(/.test(code);
}

/**
 * Inspects interpreter code: fork loops and block-class shell-outs or recursive deletes block
 * (rule 11); other shell-outs keep their own decision (a `git push` from Python still confirms).
 * Text that is only printed is data.
 */
export function classifyInterpreterCode(cmd: SimpleCommand, source: string, lang: Lang, depth = 0): void {
  const { env } = cmd;
  if (lang === 'pwsh') return classifyPowerShell(cmd, source);
  const plain = normalizeCode(source);
  // the language's quoting forms read as plain strings; the plain view is scanned too, so a
  // misread form can hide nothing
  const seen = normalizeCode(seeThroughQuotes(source, lang));
  const views = seen === plain ? [plain] : [seen, plain];
  if (views.some((code) => DECODE_RUN.test(code) && RUNS_CODE.test(code))) {
    report(env, 'block.obfuscation', `${lang} decodes text and runs it`, cmd.argv);
    return;
  }
  // exec('…')/eval('…') in Python and eval('…') in JS run code of the same language
  if (depth < 3 && (lang === 'python' || lang === 'node')) {
    const re = new RegExp(String.raw`\b${lang === 'python' ? '(?:exec|eval|compile)' : 'eval|Function'}\s*\(\s*${STR}`, 'g');
    let m: RegExpExecArray | null;
    while ((m = re.exec(seen)) !== null) {
      classifyInterpreterCode(cmd, unescapeStr(m[1] ?? m[2] ?? m[3] ?? ''), lang, depth + 1);
    }
  }
  if (DYNAMIC_SHELL_OUT.test(seen)) {
    // a command built at run time could be any text of the code: a block-class one blocks
    if (blockingLiteral(cmd, seen, lang)) return;
    report(env, 'confirm.dynamic-code', `${lang} runs a command built at run time`, cmd.argv);
    checkTrailingArgs(cmd, plain);
  }
  if (views.some((code) => isForkLoop(code, lang))) {
    report(env, 'block.fork-bomb', `${lang} fork loop`, cmd.argv);
    return;
  }
  for (const code of views) if (!checkLiteralCalls(cmd, code, lang, code === seen)) return;
  if (unresolvedDelete(seen))
    report(env, 'confirm.unresolved-delete-target', `${lang} deletes recursively a path known only at run time`, cmd.argv);
}

/** A recursive-delete API given a path that is not a literal (`shutil.rmtree(sys.argv[1])`). */
const UNRESOLVED_DELETE =
  /\b(shutil\.rmtree|rmtree|remove_tree|rm_rf|rm_r|rimraf(?:\.sync)?|rmSync|rmdirSync|(?:fs|fsp|promises)\.rm|Deno\.removeSync|Deno\.remove)\s*\(\s*(?![\s'"`)]|(?:pathlib\.)?Path\s*\(\s*['"]|os\.path\.expanduser|Path\.home|os\.homedir|require\()/g;

function unresolvedDelete(code: string): boolean {
  // rmSync/fs.rm/Deno.remove delete one file unless asked to recurse
  return [...code.matchAll(UNRESOLVED_DELETE)].some(
    (m) => /rmtree|remove_tree|rm_rf|rm_r|rimraf/.test(m[1] ?? '') || /recursive/.test(code),
  );
}

/**
 * Literal shell-outs, file deletes and recursive deletes of one view of the code. Returns false
 * when it blocked (nothing more to look at). `keep` says whether its confirm findings count (the
 * plain view only adds blocks, so a quoting form it cannot read does not confirm twice).
 */
function checkLiteralCalls(cmd: SimpleCommand, code: string, lang: Lang, keep: boolean): boolean {
  const { env } = cmd;
  for (const shell of shellOuts(lang === 'python' ? code.replace(/\b(?:exec|eval|compile)\s*\(/g, 'pyexec(') : code, lang)) {
    const inner = nestedFindings(cmd, literalWord(shell), `${cmd.name} shell-out`);
    const blocking = inner.find((f) => f.rule.startsWith('block.'));
    if (blocking !== undefined) {
      report(env, 'block.interpreter-one-liner', `${lang} runs \`${shell}\`: ${blocking.detail ?? blocking.rule}`, cmd.argv);
      return false;
    }
    if (keep) for (const f of inner) env.findings.push(f);
  }
  for (const del of fileDeletes(code)) {
    const inner = nestedFindings(cmd, literalWord(`rm -- ${quoteArg(del)}`), `${lang} file delete`);
    if (inner.some((f) => f.rule.startsWith('block.'))) {
      report(env, 'block.interpreter-one-liner', `${lang} deletes ${del}`, cmd.argv);
      return false;
    }
  }
  for (const path of fileWrites(code)) {
    const inner = nestedFindings(cmd, literalWord(`: > ${quoteArg(path)}`), `${lang} file write`);
    const blocking = inner.find((f) => f.rule.startsWith('block.'));
    if (blocking !== undefined) {
      report(env, blocking.rule === 'block.disk-destruction' ? blocking.rule : 'block.critical-file', `${lang} writes ${path}`, cmd.argv);
      return false;
    }
    if (keep) for (const f of inner) env.findings.push(f);
  }
  const walked = walkedDeleteRoots(code).map((path) => ({ path, home: false }));
  for (const del of [...recursiveDeletes(code), ...walked]) {
    const probe: SimpleCommand = { ...cmd, env: { ...env, findings: [] } };
    const abs = del.home ? env.ctx.home : resolvePath(del.path.replace(/^~(?=\/|$)/, env.ctx.home), cmd.scope);
    const word = abs === null ? literalWord(del.path) : patternWord(abs, abs);
    checkRecursiveDelete(probe, [word], 'recursive delete API');
    const blocking = probe.env.findings.find((f) => f.rule.startsWith('block.'));
    if (blocking !== undefined) {
      report(env, 'block.interpreter-one-liner', `${lang} deletes ${abs ?? del.path} recursively`, cmd.argv);
      return false;
    }
  }
  return true;
}

/** Whether some string or list literal of the code, read as a command line, is block-class (then reported). */
function blockingLiteral(cmd: SimpleCommand, code: string, lang: Lang): boolean {
  for (const text of literalTexts(code)) {
    if (!/\s/.test(text)) continue; // one word is a name or a path, not a command line
    const blocking = nestedFindings(cmd, literalWord(text), `${cmd.name} literal`).find((f) => f.rule.startsWith('block.'));
    if (blocking === undefined) continue;
    report(
      cmd.env,
      'block.interpreter-one-liner',
      `${lang} runs a command built at run time from \`${text}\`: ${blocking.detail ?? blocking.rule}`,
      cmd.argv,
    );
    return true;
  }
  return false;
}

/** Decoding calls in interpreter code (base64, hex, rot13, Buffer.from(…, 'base64'), atob). */
const DECODE_RUN =
  /b64decode|base64\.decode|decodebytes|unhexlify|fromhex|Buffer\.from\([^)]*['"](?:base64|hex)['"]|atob\(|decode64|unpack\(\s*['"][mHh]|\.decode\(\s*['"](?:base64|hex|rot13)|codecs\.decode/;
/** Calls that run code or commands. */
const RUNS_CODE = /\b(?:system|popen|exec\w*|eval|spawn\w*|execute|call|check_output|run|Popen|shell_exec|passthru|Function)\s*\(|`/;
/** A shell-out whose command is not a literal (a variable, argv, input(), a call). */
const DYNAMIC_SHELL_OUT =
  /\b(?:os\.system|os\.popen|subprocess\.(?:run|call|check_call|check_output|Popen|getoutput)|child_process\.\w+|execSync|spawnSync|os\.execute|io\.popen|shell_exec|passthru|(?<![.\w])system|(?<![.\w])exec)\s*\(\s*(?![\s'"`[)]|\[\s*['"])/;

/**
 * Joins literal string concatenations (`'rm -rf ' + '/home'`, `"a" . "b"`, `'a' .. 'b'`) and
 * `getattr(mod, 'system')` into the call they spell, so the literal scans see the real text.
 */
function normalizeCode(code: string): string {
  // os.path.expanduser('~'), Path.home(), os.homedir(): the home directory, as text
  let out = code.replace(new RegExp(`str\\(\\s*${HOME_EXPR}\\s*\\)`, 'g'), "'~'").replace(new RegExp(HOME_EXPR, 'g'), "'~'");
  for (let k = 0; k < 8; k++) {
    const next = out.replace(
      /(['"])((?:(?!\1)[^\\]|\\.)*)\1\s*(?:\+|\.\.|\.)\s*(['"])((?:(?!\3)[^\\]|\\.)*)\3/g,
      (_m, q: string, a: string, _q2: string, b: string) => `${q}${a}${b}${q}`,
    );
    if (next === out) break;
    out = next;
  }
  // after the joins, so `getattr(os, 'sys' + 'tem')` is `os.system` too, and `cp['exec' + 'Sync']` is `cp.execSync`
  out = out
    .replace(/\bgetattr\(\s*([^,()]+(?:\([^()]*\))?)\s*,\s*['"](\w+)['"]\s*\)/g, (_m, obj: string, key: string) => `${obj.trim()}.${key}`)
    .replace(/([\w)\]])\s*\[\s*(['"])(\w+)\2\s*\]/g, '$1.$3');
  return bindAliases(out);
}

/**
 * A function bound to a name and called by it (`f = os.remove; f('/etc/passwd')`, `const run =
 * cp.execSync`): each call of the name is read as a call of what it is bound to.
 */
function bindAliases(code: string): string {
  let out = code;
  for (const m of code.matchAll(
    /(?:\b(?:const|let|var|local|my)\s+|^|[;\n{]\s*)\$?(\w+)\s*=\s*([A-Za-z_][\w]*(?:\.[A-Za-z_]\w*)+)\s*(?=[;\n}]|$)/g,
  )) {
    const [, name, target] = m;
    if (name === undefined || target === undefined) continue;
    out = out.replace(new RegExp(String.raw`(?<![.\w$])\$?${name}\s*\(`, 'g'), `${target}(`);
  }
  return out;
}

/**
 * Arguments after the code (`python -c 'os.system(sys.argv[1])' 'rm -rf ~'`) reach a dynamic
 * shell-out: each is classified as a script, and all of them as one command, so a block-class
 * command anywhere in them blocks.
 */
function checkTrailingArgs(cmd: SimpleCommand, code: string): void {
  const texts = cmd.args.map((w) => w.values[0] ?? w.sketch);
  const at = texts.findIndex((t) => t === code || normalizeCode(t) === code);
  const rest = at === -1 ? [] : texts.slice(at + 1).filter((t) => t !== '' && t !== '--');
  if (rest.length === 0) return;
  for (const script of [...rest, rest.map(quoteArg).join(' ')]) {
    const inner = nestedFindings(cmd, literalWord(script), `${cmd.name} arguments`);
    const blocking = inner.find((f) => f.rule.startsWith('block.'));
    if (blocking !== undefined) {
      report(
        cmd.env,
        'block.interpreter-one-liner',
        `${cmd.name} passes \`${script}\` to a shell-out: ${blocking.detail ?? blocking.rule}`,
        cmd.argv,
      );
      return;
    }
  }
}

/**
 * Paths given literally to single-file delete APIs (`os.remove`, `fs.unlinkSync`, `unlink`,
 * `File.delete`), and roots of a walk whose files are deleted (`os.walk('/etc')` with
 * `os.remove`): the first are checked as `rm PATH`, the roots as `rm -r ROOT` (recursiveDeletes).
 */
function fileDeletes(code: string): string[] {
  const out: string[] = [];
  const re = new RegExp(
    String.raw`\b(?:os\.remove|os\.unlink|unlinkSync|fs\.unlink|fsp\.unlink|File\.delete|FileUtils\.rm|(?<![.\w])unlink|os\.remove)\s*\(?\s*${STR}`,
    'g',
  );
  let m: RegExpExecArray | null;
  while ((m = re.exec(code)) !== null) out.push(unescapeStr(m[1] ?? m[2] ?? m[3] ?? ''));
  return out;
}

/**
 * Paths given literally to file-writing APIs (`open(P, 'w')`, `Path(P).write_text`,
 * `fs.writeFileSync(P)`, `File.write(P)`, `file_put_contents(P)`, Perl's `open(F, '>', P)`): each
 * is checked as the redirect `> P` would be, so a critical file or a device blocks.
 */
function fileWrites(code: string): string[] {
  const res = [
    String.raw`\bopen\s*\(\s*${STR}\s*,\s*['"][wa+]`,
    String.raw`\bPath\s*\(\s*${STR}\s*\)\s*\.\s*write_(?:text|bytes)\s*\(`,
    String.raw`\b(?:writeFileSync|appendFileSync|writeFile|appendFile|createWriteStream|truncateSync|file_put_contents)\s*\(\s*${STR}`,
    String.raw`\bFile\.write\s*\(?\s*${STR}`,
    String.raw`\bFile\.open\s*\(\s*${STR}\s*,\s*['"][wa]`,
    String.raw`\bopen\s*\(?\s*(?:my\s+)?\$?\w+\s*,\s*['"](?:>>?|\+<)['"]\s*,\s*${STR}`,
  ];
  const out: string[] = [];
  for (const re of res) for (const m of code.matchAll(new RegExp(re, 'g'))) out.push(unescapeStr(m[1] ?? m[2] ?? m[3] ?? ''));
  // Perl's two-argument form: open(F, ">/etc/passwd")
  for (const m of code.matchAll(/\bopen\s*\(?\s*(?:my\s+)?\$?\w+\s*,\s*['"]\+?>{1,2}\s*([^'"]+)['"]/g)) out.push(m[1] ?? '');
  return out.filter((p) => p !== '');
}

/** `os.walk('/etc')` (or a glob/readdir of a root) whose entries are deleted: the walked roots. */
function walkedDeleteRoots(code: string): string[] {
  if (!/\b(?:os\.remove|os\.unlink|unlink\w*|rmSync|rmtree|\.unlink\(\))/.test(code)) return [];
  const out: string[] = [];
  const re = new RegExp(
    String.raw`\b(?:os\.walk|os\.scandir|os\.listdir|glob\.glob|glob\.iglob|readdirSync|Dir\.glob|Path)\s*\(\s*${STR}`,
    'g',
  );
  let m: RegExpExecArray | null;
  while ((m = re.exec(code)) !== null) out.push(unescapeStr(m[1] ?? m[2] ?? m[3] ?? '').replace(/\/\*\*?.*$/, '') || '/');
  return out;
}

/** PowerShell verbs and aliases that delete, and their recursive switch. */
const PS_REMOVE = /^(?:remove-item|ri|rm|del|erase|rd|rmdir)$/i;

/**
 * PowerShell (`pwsh -c`): `Remove-Item` (and its aliases) are read as `rm [-r] PATH…` and
 * classified by the shell rules; `Stop-Computer`/`Restart-Computer` as host control;
 * `Invoke-Expression` of a literal is read again; of anything else it confirms.
 */
function classifyPowerShell(cmd: SimpleCommand, code: string): void {
  const { env } = cmd;
  for (const stmt of code.split(/[;\n|]|&&|\|\|/)) {
    const words = (stmt.match(/'[^']*'|"[^"]*"|[^\s]+/g) ?? []).map((w) => w.replace(/^['"]|['"]$/g, ''));
    const verb = (words[0] ?? '').toLowerCase();
    if (PS_REMOVE.test(verb)) {
      const paths: string[] = [];
      let recursive = false;
      for (let k = 1; k < words.length; k++) {
        const w = words[k] ?? '';
        if (/^-(?:r|rec|recurse)$/i.test(w)) recursive = true;
        else if (/^-(?:path|literalpath|lp)$/i.test(w)) paths.push(words[++k] ?? '');
        else if (!w.startsWith('-')) paths.push(w);
      }
      const script = `rm ${recursive ? '-rf ' : ''}-- ${paths.map((p) => quoteArg(p.replace(/^\$(?:HOME|env:USERPROFILE|env:HOME)/i, '~'))).join(' ')}`;
      const inner = nestedFindings(cmd, literalWord(script.replace(/'~(\/[^']*)?'/g, '~$1')), 'PowerShell');
      const blocking = inner.find((f) => f.rule.startsWith('block.'));
      if (blocking !== undefined) {
        report(
          env,
          'block.interpreter-one-liner',
          `PowerShell ${words[0]} ${paths.join(' ')}: ${blocking.detail ?? blocking.rule}`,
          cmd.argv,
        );
        return;
      }
    } else if (/^(?:stop-computer|restart-computer)$/.test(verb)) {
      report(env, 'block.host-control', `PowerShell ${words[0]}`, cmd.argv);
      return;
    } else if (/^(?:invoke-expression|iex)$/.test(verb)) {
      report(env, 'confirm.dynamic-code', 'PowerShell Invoke-Expression runs a string as code', cmd.argv);
    }
  }
}
