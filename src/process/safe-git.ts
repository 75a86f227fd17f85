import { execFile, execFileSync } from 'node:child_process';
import { currentSpawnService, type ServiceResult } from './spawn-service.js';

/** What one git command gave back. `ok` false: it exited non-zero, timed out or could not start. */
export interface GitResult {
  ok: boolean;
  code: number | null;
  stdout: Buffer;
  stderr: string;
}

/** Where and how one git command runs. */
export interface SafeGitOptions {
  /** Working directory (also the repository when gitDir is not given). */
  cwd: string;
  /** `--git-dir`: orchestrate's own repository metadata, kept where agents cannot write. */
  gitDir?: string;
  /** `--work-tree`: the files to read (a session copy). */
  workTree?: string;
  /** `GIT_INDEX_FILE`: one index per work tree that shares a git dir. */
  indexFile?: string;
  /** Commit identity for this command (author = the agent). */
  identity?: { name: string; email: string };
  /** Bytes for stdin (e.g. `hash-object --stdin`). */
  input?: Buffer | string;
  timeoutMs?: number;
}

/**
 * Config that could make git run a program, switched off on the command line, which wins over
 * every config file. Drivers with names of an agent's choosing (`filter.<x>.clean`,
 * `diff.<x>.textconv`, `merge.<x>.driver`) cannot be named here: orchestrate's repositories have
 * an `info/attributes` that unsets every driver (see PRIVATE_ATTRIBUTES), and diffs pass
 * `--no-ext-diff --no-textconv`.
 */
export const SAFE_GIT_FLAGS: readonly string[] = [
  ['core.hooksPath', '/dev/null'],
  ['core.fsmonitor', 'false'],
  ['core.untrackedCache', 'false'],
  ['core.pager', 'cat'],
  ['core.editor', 'true'],
  ['core.askPass', ''],
  ['core.sshCommand', ''],
  ['core.alternateRefsCommand', ''],
  ['core.quotepath', 'off'],
  ['core.autocrlf', 'false'],
  ['core.symlinks', 'true'],
  ['core.safecrlf', 'false'],
  ['diff.external', ''],
  ['credential.helper', ''],
  ['commit.gpgSign', 'false'],
  ['tag.gpgSign', 'false'],
  ['gc.auto', '0'],
  ['maintenance.auto', 'false'],
  ['protocol.allow', 'never'],
  ['protocol.file.allow', 'always'],
  ['safe.directory', '*'],
  ['init.templateDir', ''],
  ['advice.detachedHead', 'false'],
].flatMap(([k, v]) => ['-c', `${k}=${v}`]);

/**
 * Attributes that win over any `.gitattributes` an agent writes: no filter, diff, merge driver,
 * ident expansion, line-ending or encoding conversion. Bytes in, bytes out.
 */
export const PRIVATE_ATTRIBUTES = '* !filter !diff !merge !text !eol !ident !working-tree-encoding !crlf\n';

/**
 * The environment of every git orchestrate runs: no system or global config (a person's
 * `~/.gitconfig` may name helpers; an agent may have written one), no pager, no prompt, and no
 * inherited GIT_* variable redirecting it.
 */
function gitEnv(opts: SafeGitOptions): Record<string, string> {
  const env: Record<string, string> = {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    HOME: '/nonexistent',
    LANG: 'C',
    LC_ALL: 'C',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_ATTR_NOSYSTEM: '1',
    GIT_TERMINAL_PROMPT: '0',
    GIT_PAGER: 'cat',
    PAGER: 'cat',
    GIT_EDITOR: 'true',
    GIT_OPTIONAL_LOCKS: '0',
    GIT_NO_REPLACE_OBJECTS: '1',
    GIT_AUTHOR_NAME: 'orchestrate',
    GIT_AUTHOR_EMAIL: 'orchestrate@localhost',
    GIT_COMMITTER_NAME: 'orchestrate',
    GIT_COMMITTER_EMAIL: 'orchestrate@localhost',
  };
  if (opts.identity) {
    env['GIT_AUTHOR_NAME'] = opts.identity.name;
    env['GIT_AUTHOR_EMAIL'] = opts.identity.email;
  }
  if (opts.indexFile) env['GIT_INDEX_FILE'] = opts.indexFile;
  return env;
}

/**
 * The git commands orchestrate uses, all built into git. Anything else is refused before git
 * starts: a name git does not know is looked up as an alias, and an alias can run a program.
 */
const COMMANDS = new Set([
  'add',
  'cat-file',
  'checkout-index',
  'clone',
  'commit-tree',
  'diff',
  'diff-tree',
  'init',
  'ls-files',
  'ls-tree',
  'merge-base',
  'merge-file',
  'merge-tree',
  'read-tree',
  'rev-parse',
  'status',
  'symbolic-ref',
  'update-ref',
  'write-tree',
]);

/** What a refused command gives back (a name outside COMMANDS could be an alias that runs a program). */
function refused(command: string | undefined): GitResult | undefined {
  if (COMMANDS.has(command ?? '')) return undefined;
  return { ok: false, code: null, stdout: Buffer.alloc(0), stderr: `orchestrate does not run "git ${command ?? ''}"` };
}

/** argv and options of one bounded git command (10 min, 256 MB, no shell), shared by the sync and async runners. */
function gitCall(args: readonly string[], opts: SafeGitOptions) {
  const where = [...(opts.gitDir ? [`--git-dir=${opts.gitDir}`] : []), ...(opts.workTree ? [`--work-tree=${opts.workTree}`] : [])];
  return {
    argv: [...SAFE_GIT_FLAGS, ...where, ...args],
    options: {
      cwd: opts.cwd,
      env: gitEnv(opts),
      timeout: opts.timeoutMs ?? 600_000, // a 50,000-file add on a busy machine takes minutes
      maxBuffer: 256 * 1024 * 1024,
    },
  };
}

/**
 * The one way orchestrate runs git: bounded (10 min, 256 MB), no shell, hooks and every
 * program-running setting off, explicit git dir and work tree when given. Synchronous, so two
 * commands on one repository never interleave.
 */
export function runSafeGit(args: readonly string[], opts: SafeGitOptions): GitResult {
  const no = refused(args[0]);
  if (no) return no;
  const { argv, options } = gitCall(args, opts);
  try {
    const stdout = execFileSync('git', argv, {
      ...options,
      stdio: ['pipe', 'pipe', 'pipe'],
      ...(opts.input !== undefined ? { input: opts.input } : {}),
    });
    return { ok: true, code: 0, stdout, stderr: '' };
  } catch (error) {
    const e = error as { status?: number | null; stdout?: Buffer; stderr?: Buffer };
    return { ok: false, code: e.status ?? null, stdout: e.stdout ?? Buffer.alloc(0), stderr: e.stderr?.toString('utf8') ?? String(error) };
  }
}

/**
 * `runSafeGit` without blocking the event loop (the same command, flags, environment and bounds):
 * for git work done while agents stream, whose lines must keep being read and judged. The caller
 * keeps commands on one repository from interleaving (PrivateRepo queues them).
 */
export function runSafeGitAsync(args: readonly string[], opts: SafeGitOptions): Promise<GitResult> {
  const no = refused(args[0]);
  if (no) return Promise.resolve(no);
  const { argv, options } = gitCall(args, opts);
  const service = currentSpawnService();
  const cmd = {
    file: 'git',
    args: argv,
    cwd: options.cwd,
    env: options.env,
    input: opts.input,
    timeoutMs: options.timeout,
    maxBuffer: options.maxBuffer,
  };
  if (service?.accepts(cmd)) return service.run(cmd).then((r) => asExecFile(argv, r));
  return new Promise((resolve) => {
    const child = execFile('git', argv, { ...options, encoding: 'buffer' }, (error, stdout, stderr) => {
      if (!error) return resolve({ ok: true, code: 0, stdout, stderr: '' });
      const code = typeof error.code === 'number' ? error.code : null;
      resolve({ ok: false, code, stdout: stdout ?? Buffer.alloc(0), stderr: stderr?.length ? stderr.toString('utf8') : String(error) });
    });
    // stdin as the sync runner gives it: the input, else an empty pipe closed at once
    child.stdin?.on('error', () => undefined); // git may exit before reading it all
    child.stdin?.end(opts.input);
  });
}

/**
 * A spawn service result as runSafeGitAsync's execFile path gives it: the same ok/code/stdout,
 * and where git wrote no stderr, the text of execFile's error.
 */
function asExecFile(argv: readonly string[], r: ServiceResult): GitResult {
  if (r.code === 0 && r.signal === null && !r.overflow) return { ok: true, code: 0, stdout: r.stdout, stderr: '' };
  if (r.lost) {
    const lost = `Error: ${r.lost} while "git ${argv.join(' ')}" ran; whether it changed anything is unknown`;
    return { ok: false, code: null, stdout: r.stdout, stderr: r.stderr.length ? `${r.stderr.toString('utf8')}\n${lost}` : lost };
  }
  const error = r.spawnError
    ? `Error: spawn git ${r.spawnError}`
    : r.overflow
      ? `RangeError [ERR_CHILD_PROCESS_STDIO_MAXBUFFER]: ${r.overflow} maxBuffer length exceeded`
      : `Error: Command failed: git ${argv.join(' ')}\n`;
  return { ok: false, code: r.overflow ? null : r.code, stdout: r.stdout, stderr: r.stderr.length ? r.stderr.toString('utf8') : error };
}

/** `runSafeGit` that throws with git's own message when the command fails. */
export function safeGit(args: readonly string[], opts: SafeGitOptions): Buffer {
  return okOrThrow(args, runSafeGit(args, opts));
}

/** `safeGit` without blocking the event loop. */
export async function safeGitAsync(args: readonly string[], opts: SafeGitOptions): Promise<Buffer> {
  return okOrThrow(args, await runSafeGitAsync(args, opts));
}

function okOrThrow(args: readonly string[], r: GitResult): Buffer {
  if (!r.ok) throw new Error(`git ${args.slice(0, 3).join(' ')} failed (${r.code}): ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`);
  return r.stdout;
}
