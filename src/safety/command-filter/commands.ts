/**
 * The command table: one row per family of commands. A row names the commands it handles, the
 * COMMAND-POLICY.md rules it implements, the rule ids it may emit, and its classifier. The runner
 * (run.ts) picks the rows for a command name and runs them in order until one handles it; every
 * finding is attributed to the row that reported it, and a unit test checks that each row emits
 * only the rules it declares and that every rule of docs/command-policy.md has a row.
 *
 * The first rows (`command-word`, `script`, `function`, `redirect`, `fallback`) are the walker's
 * and runner's own checks: they have no command names.
 */
import type { RuleId } from '../policy/rules.js';
import type { Scope } from './scope.js';
import type { SimpleCommand } from './simple-command.js';
import type { OptionScan, OptionSpec } from './options.js';
import {
  AWK_OPTIONS,
  COMMAND_OPTIONS,
  COPY_OPTIONS,
  FILE_OPERAND_OPTIONS,
  FIND_OPTIONS,
  MOVE_OPTIONS,
  RM_OPTIONS,
  RSYNC_OPTIONS,
  SCRIPT_OPTIONS,
  SED_OPTIONS,
  SCP_OPTIONS,
  SHRED_OPTIONS,
  TAR_OPTIONS,
  UNZIP_OPTIONS,
  CRONTAB_OPTIONS,
  RG_OPTIONS,
  ENV_OPTIONS,
  GIT_GLOBAL_OPTIONS,
  INTERPRETER_OPTIONS,
  PARALLEL_OPTIONS,
  PRIVILEGE_OPTIONS,
  SHELL_OPTIONS,
  SSH_OPTIONS,
  SU_OPTIONS,
  WATCH_OPTIONS,
  XARGS_OPTIONS,
} from './command-options.js';
import { SHELLS, classifyAwk, classifyInterpreter, classifyShell, classifySource } from './cmd-shells.js';
import {
  OPTION_WRAPPERS,
  PRIV,
  RUNNERS,
  classifyAliasOrTrap,
  classifyCommandBuiltin,
  classifyEnv,
  classifyEval,
  classifyMultiCall,
  classifyParallel,
  classifyPrivilege,
  classifyRunner,
  classifySsh,
  classifySu,
  classifyWatch,
  classifyXargs,
  runAfterOptions,
  runRest,
} from './cmd-wrappers.js';
import { interpreterLang } from './cmd-interp.js';
import { classifyScriptOptions } from './cmd-option-scripts.js';
import {
  classifyCopy,
  classifyDd,
  classifyFileOperands,
  classifyMove,
  classifyPerms,
  classifyRm,
  classifyRsync,
  classifySed,
  classifyShred,
  classifyTee,
  classifyUnlink,
} from './cmd-fs.js';
import { classifyDisk } from './cmd-disk.js';
import { classifyFind } from './cmd-find.js';
import { classifyGit } from './cmd-git.js';
import { runArgv } from './exec.js';
import { literalWord } from './words.js';
import { classifyHost } from './cmd-host.js';
import { classifyInfra } from './cmd-infra.js';
import { classifyPackages } from './cmd-packages.js';
import { classifyDeleteTool, classifyPackageRunner, DELETE_TOOLS } from './cmd-runners.js';
import { classifyEditor, classifyEmacs, classifyMake, classifySedExec, sshLocalCommands } from './cmd-text-to-code.js';
import { cdTarget, runHash, runPrintfV, runRead, runSet } from './shell-builtins.js';
import { classifyCrontab, classifyDownloader, classifyRg, classifyTar, classifyUnzip } from './cmd-other.js';

export interface CommandRow {
  /** Short id: findings carry it as their `owner`. */
  readonly id: string;
  /** Command names it handles; a function for open families; `'*'` for any name; none for checks. */
  readonly names: readonly string[] | ((name: string) => boolean) | '*';
  /** COMMAND-POLICY.md rules it implements (`block 1`, `confirm 4`, `wrappers`, `fail-closed`). */
  readonly policy: readonly string[];
  /** Rule ids it may emit. */
  readonly rules: readonly RuleId[];
  /** Its options (command-options.ts), per command name when they differ: the runner scans them for `classify`. */
  readonly options?: OptionSpec | ((name: string) => OptionSpec);
  /** Classifies one simple command (`opts`: its words scanned with `options`); `false`: not handled, try the next row. */
  readonly classify?: (cmd: SimpleCommand, stmtScope: Scope, opts: OptionScan) => boolean | void;
}

const SCRIPT_RULES = [
  'block.obfuscation',
  'confirm.remote-code',
  'confirm.dynamic-code',
  'confirm.unparseable',
  'block.unparseable-dangerous',
] as const;

/** What a command that writes files may emit: a critical file, a device, or a path outside the workspace. */
const WRITE_RULES: readonly RuleId[] = ['block.critical-file', 'block.disk-destruction', 'confirm.write-outside'];

export const COMMANDS: readonly CommandRow[] = [
  // -- the walker's and runner's own checks -----------------------------------------------------
  {
    id: 'command-word',
    names: [],
    policy: ['block 10', 'confirm 4', 'config'],
    rules: ['block.obfuscation', 'confirm.dynamic-code', 'confirm.remote-code', 'block.user-rule'],
  },
  { id: 'script', names: [], policy: ['block 10', 'confirm 4', 'confirm 7', 'fail-closed'], rules: [...SCRIPT_RULES] },
  { id: 'function', names: [], policy: ['block 6'], rules: ['block.fork-bomb'] },
  {
    id: 'redirect',
    names: [],
    policy: ['block 4', 'block 5', 'confirm 6'],
    rules: WRITE_RULES,
  },
  { id: 'fallback', names: [], policy: ['fail-closed'], rules: ['block.unparseable-dangerous', 'confirm.unparseable'] },
  // -- wrappers: the inner command is classified by its own row ------------------------------------
  {
    id: 'privilege',
    names: [...PRIV],
    policy: ['confirm 3'],
    rules: ['confirm.privilege'],
    options: (n) => PRIVILEGE_OPTIONS[n] ?? {},
    classify: classifyPrivilege,
  },
  { id: 'su', names: ['su'], policy: ['confirm 3'], rules: ['confirm.privilege'], options: SU_OPTIONS, classify: classifySu },
  {
    id: 'shell',
    names: [...SHELLS],
    policy: ['wrappers'],
    rules: ['confirm.dynamic-code'],
    options: SHELL_OPTIONS,
    classify: classifyShell,
  },
  {
    id: 'interpreter',
    names: (n) => interpreterLang(n) !== undefined,
    policy: ['block 11', 'block 6', 'block 10', 'block 8', 'confirm 4', 'confirm 2', 'confirm 1', 'confirm 6', 'confirm 5'],
    rules: [
      'block.interpreter-one-liner',
      'block.fork-bomb',
      'block.obfuscation',
      'block.host-control',
      'confirm.dynamic-code',
      'confirm.remote-code',
      'confirm.install',
      'confirm.external-action',
      'confirm.write-outside',
      'confirm.unresolved-delete-target',
      'block.critical-file',
    ],
    options: (n) => INTERPRETER_OPTIONS[interpreterLang(n) ?? 'python'],
    classify: (cmd, _scope, opts) => {
      classifyInterpreter(cmd, interpreterLang(cmd.name) ?? 'python', opts);
      // bun and deno are package managers too: `bun add x`, `deno install -g x` install third-party code
      if (cmd.name === 'bun' || cmd.name === 'deno') classifyPackages(cmd);
    },
  },
  {
    id: 'script-options',
    names: Object.keys(SCRIPT_OPTIONS),
    policy: ['confirm 4', 'wrappers'],
    rules: ['confirm.dynamic-code'],
    options: (n) => SCRIPT_OPTIONS[n]?.spec ?? {},
    classify: classifyScriptOptions,
  },
  { id: 'runner', names: Object.keys(RUNNERS), policy: ['wrappers'], rules: ['confirm.dynamic-code'], classify: classifyRunner },
  {
    id: 'option-wrapper',
    names: [...OPTION_WRAPPERS.keys()],
    policy: ['wrappers'],
    rules: [],
    classify: (cmd) => runAfterOptions(cmd, OPTION_WRAPPERS.get(cmd.name) ?? {}),
  },
  { id: 'env', names: ['env'], policy: ['wrappers'], rules: [], options: ENV_OPTIONS, classify: classifyEnv },
  { id: 'command', names: ['command'], policy: ['wrappers'], rules: [], options: COMMAND_OPTIONS, classify: classifyCommandBuiltin },
  { id: 'builtin', names: ['builtin', 'nohup'], policy: ['wrappers'], rules: [], classify: runRest },
  { id: 'watch', names: ['watch'], policy: ['wrappers'], rules: [], options: WATCH_OPTIONS, classify: classifyWatch },
  { id: 'multi-call', names: ['busybox', 'toybox', 'shx'], policy: ['wrappers'], rules: [], classify: classifyMultiCall },
  { id: 'xargs', names: ['xargs'], policy: ['block 3', 'wrappers'], rules: [], options: XARGS_OPTIONS, classify: classifyXargs },
  {
    id: 'parallel',
    names: ['parallel'],
    policy: ['block 3', 'wrappers'],
    rules: ['confirm.dynamic-code'],
    options: PARALLEL_OPTIONS,
    classify: classifyParallel,
  },
  {
    id: 'ssh',
    names: ['ssh'],
    policy: ['wrappers', 'confirm 4'],
    rules: ['confirm.dynamic-code'],
    options: SSH_OPTIONS,
    classify: classifySsh,
  },
  {
    id: 'ssh-options',
    names: ['scp', 'sftp'],
    policy: ['confirm 4'],
    rules: ['confirm.dynamic-code'],
    options: SCP_OPTIONS,
    classify: (cmd, _scope, opts) => sshLocalCommands(cmd, opts, cmd.args),
  },
  { id: 'eval', names: ['eval'], policy: ['wrappers', 'confirm 4'], rules: [], classify: classifyEval },
  { id: 'source', names: ['source', '.'], policy: ['wrappers', 'confirm 4'], rules: [], classify: classifySource },
  { id: 'alias-trap', names: ['alias', 'trap'], policy: ['wrappers'], rules: [], classify: classifyAliasOrTrap },
  // -- programs that turn text into commands -------------------------------------------------------
  { id: 'make', names: ['make', 'gmake'], policy: ['confirm 4'], rules: ['confirm.dynamic-code'], classify: classifyMake },
  {
    id: 'editor',
    names: ['vi', 'vim', 'nvim', 'ex', 'view', 'vimdiff', 'gvim', 'evim', 'rvim', 'rview'],
    policy: ['confirm 4'],
    rules: ['confirm.dynamic-code'],
    classify: classifyEditor,
  },
  { id: 'emacs', names: ['emacs'], policy: ['confirm 4'], rules: ['confirm.dynamic-code'], classify: classifyEmacs },
  {
    id: 'sed',
    names: ['sed', 'gsed'],
    policy: ['block 4', 'confirm 6', 'confirm 4'],
    rules: ['block.critical-file', 'block.disk-destruction', 'confirm.write-outside', 'confirm.dynamic-code'],
    options: SED_OPTIONS,
    classify: (cmd, _scope, opts) => {
      classifySedExec(cmd, opts);
      classifySed(cmd, opts);
    },
  },
  {
    id: 'awk',
    names: ['awk', 'gawk', 'mawk', 'nawk', 'busybox-awk'],
    policy: ['block 11', 'confirm 4'],
    rules: ['block.interpreter-one-liner', 'confirm.dynamic-code'],
    options: AWK_OPTIONS,
    classify: classifyAwk,
  },
  // -- shell state ------------------------------------------------------------------------------
  {
    id: 'cd',
    names: ['cd', 'pushd', 'popd'],
    policy: ['context'],
    rules: [],
    classify: (cmd, stmtScope) => {
      stmtScope.cwd = cmd.name === 'popd' ? null : cdTarget(cmd, stmtScope);
    },
  },
  { id: 'set', names: ['set'], policy: ['context'], rules: [], classify: runSet },
  { id: 'hash', names: ['hash'], policy: ['context'], rules: [], classify: runHash },
  { id: 'read', names: ['read'], policy: ['context'], rules: [], classify: runRead },
  { id: 'printf', names: ['printf'], policy: ['context'], rules: [], classify: (cmd, s) => void runPrintfV(cmd, s) },
  // -- files ------------------------------------------------------------------------------------
  {
    id: 'rm',
    names: ['rm'],
    policy: ['block 1', 'block 2', 'block 3', 'block 4', 'confirm 5', 'confirm 6'],
    rules: [
      'block.recursive-delete-outside',
      'block.workspace-wipe',
      'block.recursive-delete-unknown-targets',
      'block.critical-file',
      'block.disk-destruction',
      'confirm.unresolved-delete-target',
      'confirm.write-outside',
    ],
    options: RM_OPTIONS,
    classify: classifyRm,
  },
  {
    id: 'unlink',
    names: ['unlink'],
    policy: ['block 4', 'confirm 6'],
    rules: WRITE_RULES,
    classify: classifyUnlink,
  },
  {
    id: 'shred',
    names: ['shred'],
    policy: ['block 5', 'block 4', 'confirm 6'],
    rules: WRITE_RULES,
    options: SHRED_OPTIONS,
    classify: classifyShred,
  },
  {
    id: 'find',
    names: ['find'],
    policy: ['block 1', 'block 2', 'block 7', 'confirm 5', 'confirm 6'],
    rules: [
      'block.recursive-delete-outside',
      'block.workspace-wipe',
      'confirm.unresolved-delete-target',
      'confirm.write-outside',
      'block.critical-file',
      'block.disk-destruction',
    ],
    options: FIND_OPTIONS,
    classify: classifyFind,
  },
  {
    id: 'perms',
    names: ['chmod', 'chown', 'chgrp'],
    policy: ['block 7', 'confirm 6'],
    rules: ['block.permissions-system', 'confirm.write-outside'],
    classify: classifyPerms,
  },
  {
    id: 'copy',
    names: ['cp', 'ln', 'install'],
    policy: ['block 4', 'block 5', 'confirm 6'],
    rules: WRITE_RULES,
    options: COPY_OPTIONS,
    classify: classifyCopy,
  },
  {
    id: 'move',
    names: ['mv'],
    policy: ['block 1', 'block 2', 'block 4', 'confirm 6'],
    rules: [
      'block.recursive-delete-outside',
      'block.workspace-wipe',
      'block.critical-file',
      'block.disk-destruction',
      'confirm.write-outside',
    ],
    options: MOVE_OPTIONS,
    classify: classifyMove,
  },
  {
    id: 'rsync',
    names: ['rsync'],
    policy: ['block 1', 'block 2', 'block 4', 'confirm 6', 'confirm 8'],
    rules: [
      'block.recursive-delete-outside',
      'block.workspace-wipe',
      'block.critical-file',
      'confirm.write-outside',
      'confirm.infra-destruction',
      'confirm.unresolved-delete-target',
    ],
    options: RSYNC_OPTIONS,
    classify: classifyRsync,
  },
  {
    id: 'tee',
    names: ['tee'],
    policy: ['block 4', 'block 5', 'confirm 6'],
    rules: WRITE_RULES,
    classify: classifyTee,
  },
  {
    id: 'dd',
    names: ['dd'],
    policy: ['block 5', 'block 4', 'confirm 6'],
    rules: WRITE_RULES,
    classify: classifyDd,
  },
  {
    id: 'file-operands',
    names: ['truncate', 'touch', 'mkdir'],
    policy: ['block 4', 'confirm 6'],
    rules: WRITE_RULES,
    options: (n) => FILE_OPERAND_OPTIONS[n] ?? {},
    classify: (cmd, _scope, opts) => classifyFileOperands(cmd, cmd.name, cmd.name !== 'truncate', opts),
  },
  {
    id: 'git',
    names: ['git'],
    policy: ['block 9', 'confirm 1', 'confirm 6', 'confirm 9', 'wrappers'],
    rules: [
      'block.git-destructive',
      'block.git-force-push',
      'confirm.external-action',
      'confirm.git-recovery-data',
      'confirm.write-outside',
      'confirm.dynamic-code',
      'block.critical-file',
      'block.disk-destruction',
    ],
    options: GIT_GLOBAL_OPTIONS,
    classify: (cmd, _scope, opts) => classifyGit(cmd, opts),
  },
  {
    // `git-reset --hard`, `/usr/lib/git-core/git-clean -fdx`: git's dashed executables are its subcommands
    id: 'git-dashed',
    names: (n) => /^git-[a-z][a-z0-9-]*$/.test(n),
    policy: ['block 9', 'wrappers'],
    rules: [],
    classify: (cmd) => runArgv(cmd, [literalWord('git'), literalWord(cmd.name.slice(4)), ...cmd.args]),
  },
  {
    id: 'crontab',
    names: ['crontab'],
    policy: ['confirm 6'],
    rules: ['confirm.write-outside'],
    options: CRONTAB_OPTIONS,
    classify: classifyCrontab,
  },
  { id: 'rg', names: ['rg'], policy: ['confirm 4'], rules: ['confirm.dynamic-code'], options: RG_OPTIONS, classify: classifyRg },
  {
    id: 'unzip',
    names: ['unzip'],
    policy: ['confirm 6', 'block 4'],
    rules: WRITE_RULES,
    options: UNZIP_OPTIONS,
    classify: classifyUnzip,
  },
  {
    id: 'tar',
    names: ['tar'],
    policy: ['confirm 6', 'confirm 4'],
    rules: [...WRITE_RULES, 'confirm.dynamic-code'],
    options: TAR_OPTIONS,
    classify: classifyTar,
  },
  {
    id: 'downloader',
    names: ['curl', 'wget'],
    policy: ['confirm 4', 'confirm 8'],
    rules: ['confirm.infra-destruction'],
    classify: classifyDownloader,
  },
  { id: 'delete-tool', names: [...DELETE_TOOLS], policy: ['block 1', 'block 2'], rules: [], classify: classifyDeleteTool },
  {
    id: 'package-runner',
    names: ['npx', 'bunx', 'uvx', 'npm', 'pnpm', 'yarn', 'pipx'],
    policy: ['confirm 2'],
    rules: ['confirm.install'],
    classify: classifyPackageRunner,
  },
  // -- any other name: tried in order -----------------------------------------------------------
  { id: 'disk', names: '*', policy: ['block 5'], rules: ['block.disk-destruction'], classify: classifyDisk },
  { id: 'host', names: '*', policy: ['block 8'], rules: ['block.host-control'], classify: classifyHost },
  {
    id: 'packages',
    names: '*',
    policy: ['confirm 1', 'confirm 2'],
    rules: ['confirm.install', 'confirm.external-action', 'confirm.dynamic-code', 'confirm.infra-destruction'],
    classify: classifyPackages,
  },
  { id: 'infra', names: '*', policy: ['confirm 8'], rules: ['confirm.infra-destruction'], classify: classifyInfra },
];

const BY_NAME = new Map<string, CommandRow[]>();
const OPEN_ROWS: CommandRow[] = [];
const ANY_ROWS: CommandRow[] = [];
for (const row of COMMANDS) {
  if (row.names === '*') ANY_ROWS.push(row);
  else if (typeof row.names === 'function') OPEN_ROWS.push(row);
  else for (const n of row.names) BY_NAME.set(n, [...(BY_NAME.get(n) ?? []), row]);
}

/** The rows to try for a command name, in order: named rows, open families, then the catch-alls. */
export function rowsFor(name: string): readonly CommandRow[] {
  const named = BY_NAME.get(name);
  if (named !== undefined) return [...named, ...ANY_ROWS];
  const open = OPEN_ROWS.find((r) => typeof r.names === 'function' && r.names(name));
  return open !== undefined ? [open] : ANY_ROWS;
}

/** A row by id. */
export function commandRow(id: string): CommandRow | undefined {
  return COMMANDS.find((r) => r.id === id);
}
