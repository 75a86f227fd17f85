import type { SimpleCommand } from './simple-command.js';
import { report } from './simple-command.js';
import { literalWord, patternWord } from './words.js';
import { resolvePath } from './paths.js';
import { checkRecursiveDelete } from './cmd-fs.js';
import { nestedFindings } from './analyzer.js';

/** Interpreter languages whose one-liners are inspected. */
export type Lang = 'python' | 'node' | 'perl' | 'ruby' | 'php';

/** The language of an interpreter name, if it is one. */
export function interpreterLang(name: string): Lang | undefined {
  if (/^(?:python(?:\d+(?:\.\d+)?)?|pypy\d*)$/.test(name)) return 'python';
  if (/^(?:node|nodejs|deno|bun)$/.test(name)) return 'node';
  if (/^perl(?:\d+(?:\.\d+)*)?$/.test(name)) return 'perl';
  if (/^(?:ruby|jruby)$/.test(name)) return 'ruby';
  if (/^php(?:\d+(?:\.\d+)?)?$/.test(name)) return 'php';
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
    String.raw`\b(?:system|popen|spawn|spawnSync|exec|execSync|execFile|execFileSync|run|call|check_call|check_output|Popen|getoutput|getstatusoutput|shell_exec|passthru|proc_open|capture2e?|capture3|popen3|execl|execlp|execv|execvp)\s*\(?\s*(?:${LIST}|${STR})((?:\s*,\s*(?:${LIST}|${STR}))*)`,
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

const HOME_EXPR = String.raw`(?:os\.path\.expanduser\(\s*['"]~['"]\s*\)|(?:pathlib\.)?Path\.home\(\)|os\.homedir\(\)|process\.env\.HOME|process\.env\[['"]HOME['"]\]|os\.environ\[['"]HOME['"]\]|os\.getenv\(\s*['"]HOME['"]\s*\)|Dir\.home|ENV\[['"]HOME['"]\]|\$ENV\{HOME\})`;

/** Paths passed literally to recursive-delete APIs (rmtree, rmSync, rm_rf, …). */
export function recursiveDeletes(code: string): { path: string; home: boolean }[] {
  const out: { path: string; home: boolean }[] = [];
  const re = new RegExp(
    String.raw`\b(?:shutil\.rmtree|rmtree|remove_tree|rm_rf|rm_r|remove_dir|remove_entry_secure|rimraf(?:\.sync)?|rmSync|rmdirSync|(?:fs|fsp|promises)\.rm|(?:fs|fsp|promises)\.rmdir|fs\.promises\.rm)\s*\(\s*(?:${HOME_EXPR}|(?:pathlib\.)?Path\(\s*${STR}\s*\)|${STR})`,
    'g',
  );
  let m: RegExpExecArray | null;
  while ((m = re.exec(code)) !== null) {
    const fn = m[0];
    if (/\b(?:rmSync|rmdirSync|\.rm|\.rmdir)\s*\(/.test(fn) && !/recursive/.test(code)) continue;
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
    return (
      /\b(?:while|until|for|loop|redo)\b/.test(code) ||
      /fork\s*;\s*fork/.test(code) ||
      /\{\s*fork\s*\}/.test(code)
    );
  if (lang === 'python') return /os\.fork\(\)/.test(code) && /\b(?:while|for)\b/.test(code);
  return /\b(?:while|for)\b/.test(code) && /fork\(/.test(code);
}

/**
 * Inspects interpreter code: fork loops and block-class shell-outs or recursive deletes block
 * (rule 11); other shell-outs keep their own decision (a `git push` from Python still confirms).
 * Text that is only printed is data.
 */
export function classifyInterpreterCode(cmd: SimpleCommand, code: string, lang: Lang): void {
  const { env } = cmd;
  if (isForkLoop(code, lang)) {
    report(env, 'block.fork-bomb', `${lang} fork loop`, cmd.argv);
    return;
  }
  for (const shell of shellOuts(code, lang)) {
    const inner = nestedFindings(cmd, literalWord(shell), `${cmd.name} shell-out`);
    const blocking = inner.find((f) => f.rule.startsWith('block.'));
    if (blocking !== undefined) {
      report(
        env,
        'block.interpreter-one-liner',
        `${lang} runs \`${shell}\`: ${blocking.detail ?? blocking.rule}`,
        cmd.argv,
      );
      return;
    }
    for (const f of inner) env.findings.push(f);
  }
  for (const del of recursiveDeletes(code)) {
    const probe: SimpleCommand = { ...cmd, env: { ...env, findings: [] } };
    const abs = del.home
      ? env.ctx.home
      : resolvePath(del.path.replace(/^~(?=\/|$)/, env.ctx.home), cmd.scope);
    const word = abs === null ? literalWord(del.path) : patternWord(abs, abs);
    checkRecursiveDelete(probe, [word], 'recursive delete API');
    const blocking = probe.env.findings.find((f) => f.rule.startsWith('block.'));
    if (blocking !== undefined) {
      report(
        env,
        'block.interpreter-one-liner',
        `${lang} deletes ${abs ?? del.path} recursively`,
        cmd.argv,
      );
      return;
    }
  }
}
