/**
 * Each command's options as data: which take a value, which end the options, for the one
 * scanner (options.ts). The command table (commands.ts) names a spec per row; the runner scans
 * a command's words with it once and hands the scan to the row's classifier, so no classifier
 * walks its own options. Lists come from each program's manual (`man sudo`, `xargs --help`, …).
 */
import type { OptionSpec } from './options.js';
import type { Lang } from './cmd-interp.js';
import { RUNNERS } from '../policy/wrappers.js';

/** Privilege wrappers: options, then `VAR=value` words, then the command. */
export const PRIVILEGE_OPTIONS: Readonly<Record<string, OptionSpec>> = {
  sudo: {
    values: [
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
  },
  doas: { values: ['-u', '-C'] },
  pkexec: { values: ['--user'] },
  run0: {
    values: [
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
  },
  sudoedit: {},
};

/** `su [opts] [-] [user] [-c SCRIPT]`: options may follow the user. */
export const SU_OPTIONS: OptionSpec = {
  values: ['-c', '--command', '-s', '--shell', '-g', '--group', '-G', '--supp-group', '-w', '--whitelist-environment'],
  stopAtOperand: false,
};

/** `env [-i|-] [-u X] [-C DIR] [-S STRING] [VAR=value…] cmd`. */
export const ENV_OPTIONS: OptionSpec = {
  values: ['-u', '--unset', '-C', '--chdir', '-S', '--split-string', '-P'],
  dashEnds: true,
};

/** `command [-pvV] cmd`. */
export const COMMAND_OPTIONS: OptionSpec = {};

export const WATCH_OPTIONS: OptionSpec = { values: ['-n', '--interval', '-q', '--equexit'] };

/** xargs: `-I R`/`-J R` and `-iR`/`--replace[=R]` name the replacement string. */
export const XARGS_OPTIONS: OptionSpec = {
  values: [
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
  ],
  optional: ['-i', '-e', '-l'],
};

export const PARALLEL_OPTIONS: OptionSpec = {
  values: [
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
  ],
};

export const SSH_OPTIONS: OptionSpec = {
  values: ['-b', '-c', '-D', '-E', '-e', '-F', '-I', '-i', '-J', '-L', '-l', '-m', '-O', '-o', '-p', '-Q', '-R', '-S', '-W', '-w', '-B'],
};

/** scp and sftp: their options with a value (`-o OPT`, `-P PORT`, `-S PROGRAM`, …); read to the end (the stricter reading). */
export const SCP_OPTIONS: OptionSpec = {
  values: ['-B', '-b', '-c', '-D', '-F', '-i', '-J', '-l', '-o', '-P', '-R', '-S', '-s', '-X'],
  stopAtOperand: false,
};

/** Shells: `-c` is a flag (the script is the first operand); `-o`/`+o`/`-O`/`+O` take a value; `-` ends. */
export const SHELL_OPTIONS: OptionSpec = {
  values: ['-o', '+o', '-O', '+O', '--rcfile', '--init-file'],
  plus: true,
  dashEnds: true,
};

/** awk: `-f FILE` names the program file; else the first operand is the program. */
export const AWK_OPTIONS: OptionSpec = {
  values: ['-f', '--file', '-F', '-v', '--assign', '--field-separator'],
};

/**
 * Interpreters: options that take a value, code options (`CODE_OPTIONS`) included. python's
 * `-c CODE` and `-m MOD` end its options: the words after are the program's.
 */
export const INTERPRETER_OPTIONS: Readonly<Record<Lang, OptionSpec>> = {
  python: { values: ['-W', '-X', '-Q', '-c', '-m'], ends: ['-c', '-m'] },
  node: {
    values: [
      '-e',
      '--eval',
      '-p',
      '--print',
      '-pe',
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
  },
  perl: { values: ['-e', '-E', '-I', '-M', '-m', '-x'] },
  ruby: { values: ['-e', '-E', '-r', '-I', '-C', '-F'] },
  php: { values: ['-r', '-d', '-c', '-z'] },
  lua: { values: ['-e', '-l'] },
  pwsh: {},
  r: { values: ['-e', '--default-packages', '-f', '--file'] },
  julia: { values: ['-e', '--eval', '-E', '--print', '-L', '--load', '-p', '--procs', '-t', '--threads', '--project', '-J', '--sysimage'] },
};

/** The options that carry code to run, per language. */
export const CODE_OPTIONS: Readonly<Record<Lang, readonly string[]>> = {
  python: ['-c'],
  node: ['-e', '--eval', '-p', '--print', '-pe'],
  perl: ['-e', '-E'],
  ruby: ['-e', '-E'],
  php: ['-r'],
  lua: ['-e'],
  pwsh: [],
  r: ['-e'],
  julia: ['-e', '--eval', '-E', '--print'],
};

/** git's global options (before the subcommand). */
export const GIT_GLOBAL_OPTIONS: OptionSpec = {
  values: [
    '-C',
    '-c',
    '--git-dir',
    '--work-tree',
    '--namespace',
    '--config-env',
    '--super-prefix',
    '--exec-path',
    '--attr-source',
    '--list-cmds',
  ],
};

/** Options may follow operands in the file tools (GNU getopt permutes): they scan to the end. */
const TARGET = ['-t', '--target-directory'];

/** cp, ln, install: `-t DIR` names the destination. */
export const COPY_OPTIONS: OptionSpec = {
  values: [...TARGET, '-S', '--suffix', '-m', '--mode', '-o', '--owner', '-g', '--group'],
  stopAtOperand: false,
};

export const MOVE_OPTIONS: OptionSpec = { values: [...TARGET, '-S', '--suffix'], stopAtOperand: false };

/** rsync (`-t` is --times there, not a target). */
export const RSYNC_OPTIONS: OptionSpec = {
  values: [
    '-e',
    '--rsh',
    '--exclude',
    '--include',
    '--filter',
    '-f',
    '--port',
    '--log-file',
    '--password-file',
    '--files-from',
    '--exclude-from',
    '--include-from',
    '--chmod',
    '--chown',
    '--timeout',
    '--bwlimit',
    '--partial-dir',
    '--temp-dir',
    '-T',
    '--backup-dir',
    '--suffix',
    '--compare-dest',
    '--copy-dest',
    '--link-dest',
    '--max-size',
    '--min-size',
    '--max-delete',
    '--modify-window',
    '--out-format',
    '--rsync-path',
  ],
  stopAtOperand: false,
};

/** truncate, touch, mkdir: every operand is a file written. */
export const FILE_OPERAND_OPTIONS: Readonly<Record<string, OptionSpec>> = {
  truncate: { values: ['-s', '--size', '-r', '--reference'], stopAtOperand: false },
  touch: { values: ['-m', '--mode', '-r', '--reference', '-d', '--date', '-t'], stopAtOperand: false },
  mkdir: { values: ['-m', '--mode', '-r', '--reference', '-d', '--date', '-t'], stopAtOperand: false },
};

/** sed: `-i[SUFFIX]` edits in place (a suffix only attached: `-ie` is suffix `e`, not `-e`). */
export const SED_OPTIONS: OptionSpec = {
  values: ['-e', '--expression', '-f', '--file', '-l', '--line-length'],
  optional: ['-i'],
  stopAtOperand: false,
};

/** shred: `-n N`, `-s SIZE`, `--random-source FILE` take a value; options may follow operands. */
export const SHRED_OPTIONS: OptionSpec = {
  values: ['-n', '-s', '--iterations', '--size', '--random-source'],
  stopAtOperand: false,
};

/** mount: `-o OPTS`/`--options OPTS` (also `-oOPTS`), `-t TYPE`, `-L LABEL`, `-U UUID`, `-O`, `-N`; options may follow operands. */
export const MOUNT_OPTIONS: OptionSpec = {
  values: ['-o', '--options', '-t', '--types', '-L', '--label', '-U', '--uuid', '-O', '--test-opts', '-N', '--namespace'],
  stopAtOperand: false,
};

/** rm: no option takes a value; options may follow operands. */
export const RM_OPTIONS: OptionSpec = { stopAtOperand: false };

/** tar: `-C DIR`, `-f FILE`, the programs it runs (`-I`, `--to-command`, …) take a value; options may follow operands. */
export const TAR_OPTIONS: OptionSpec = {
  values: [
    '--checkpoint-action',
    '--to-command',
    '-I',
    '--use-compress-program',
    '-F',
    '--info-script',
    '--new-volume-script',
    '-f',
    '--file',
    '-C',
    '--directory',
    '-T',
    '--files-from',
    '-X',
    '--exclude-from',
    '-b',
    '-N',
    '-g',
    '-K',
    '-V',
  ],
  stopAtOperand: false,
};

/** Tcl (`expect -c`): `spawn CMD…`, `exec CMD…`, `system CMD…` statements run CMD. */
function tclCommands(code: string): string[] {
  return code
    .split(/[;\n]/)
    .map((s) => /^\s*(?:spawn|exec|system)\s+(?:-\S+\s+)*([\s\S]+)$/.exec(s)?.[1] ?? '')
    .filter((s) => s.trim() !== '');
}

/** The whole value is the command line. */
const WHOLE = (v: string): string[] => [v];

/**
 * Programs with an option (or operand, or stdin line) whose text they run as a shell command
 * line, from their manuals and GTFOBins: each entry is the program's option spec and, per option,
 * how its value becomes the command line (`[]` when it is not one: `tar --checkpoint-action=echo`).
 */
export interface ScriptOptions {
  readonly spec: OptionSpec;
  readonly options?: Readonly<Record<string, (value: string) => string[]>>;
  /** Operands that are command lines (`socat EXEC:cmd`). */
  readonly operands?: (text: string) => string[];
  /** Lines of static stdin that are command lines (`ed`'s `!cmd`). */
  readonly stdin?: (text: string) => string[];
}

export const SCRIPT_OPTIONS: Readonly<Record<string, ScriptOptions>> = {
  script: {
    spec: { values: ['-c', '--command', '-E', '--echo', '-I', '--log-in', '-O', '--log-out', '-B', '--log-io', '-T', '--log-timing'] },
    options: { '-c': WHOLE, '--command': WHOLE },
  },
  // `sg GROUP -c CMD` and `sg GROUP CMD`: either way the command line goes to /bin/sh -c
  sg: { spec: { values: ['-c'], stopAtOperand: false }, options: { '-c': WHOLE }, operands: WHOLE },
  'nix-shell': {
    spec: { values: ['--run', '--command', '-I', '-A', '--attr', '--option', '-j', '--max-jobs'], stopAtOperand: false },
    options: { '--run': WHOLE, '--command': WHOLE },
  },
  // hyperfine [options] CMD…: each operand is a command line (read by the runner row), and so are
  // the setup/prepare/conclude/cleanup/reference options; `-n NAME` is only a label
  hyperfine: {
    spec: {
      values: [
        ...['-w', '--warmup', '-m', '--min-runs', '-M', '--max-runs', '-r', '--runs', '-s', '--setup', '-p', '--prepare'],
        ...['--conclude', '-c', '--cleanup', '-P', '--parameter-scan', '-D', '--parameter-step-size', '-L', '--parameter-list'],
        ...['-S', '--shell', '--style', '--sort', '-u', '--time-unit', '--export-asciidoc', '--export-csv', '--export-json'],
        ...['--export-markdown', '--export-orgmode', '--output', '--input', '-n', '--command-name', '--reference', '--reference-name'],
      ],
      stopAtOperand: false,
    },
    options: Object.fromEntries(
      ['-s', '--setup', '-p', '--prepare', '--conclude', '-c', '--cleanup', '--reference'].map((o): [string, typeof WHOLE] => [o, WHOLE]),
    ),
  },
  flock: {
    spec: { values: ['-c', '--command', '-w', '--timeout', '-E', '--conflict-exit-code'], stopAtOperand: false },
    options: { '-c': WHOLE, '--command': WHOLE },
  },
  man: {
    spec: {
      values: [
        '-P',
        '--pager',
        '-H',
        '--html',
        '-C',
        '--config-file',
        '-M',
        '--manpath',
        '-S',
        '--sections',
        '-p',
        '-L',
        '-E',
        '-r',
        '-T',
        '-R',
        '-e',
      ],
    },
    options: { '-P': WHOLE, '--pager': WHOLE, '-H': WHOLE, '--html': WHOLE },
  },
  tar: {
    spec: TAR_OPTIONS,
    options: {
      '--checkpoint-action': (v) => [/^exec=([\s\S]*)$/.exec(v)?.[1] ?? ''].filter((s) => s !== ''),
      '--to-command': WHOLE,
      '-I': WHOLE,
      '--use-compress-program': WHOLE,
      '-F': WHOLE,
      '--info-script': WHOLE,
      '--new-volume-script': WHOLE,
    },
  },
  zip: {
    spec: {
      values: ['-TT', '--unzip-command', '-b', '-n', '-t', '-tt', '-P', '--password', '-O', '--output-file', '-x', '-i'],
      stopAtOperand: false,
    },
    options: { '-TT': WHOLE, '--unzip-command': WHOLE },
  },
  rsync: {
    spec: {
      values: [
        '-e',
        '--rsh',
        '--rsync-path',
        '-f',
        '--filter',
        '--exclude',
        '--include',
        '--exclude-from',
        '--include-from',
        '-T',
        '--temp-dir',
        '--partial-dir',
        '-B',
        '--block-size',
        '--log-file',
        '--files-from',
        '--chmod',
        '--password-file',
        '--backup-dir',
        '--compare-dest',
        '--copy-dest',
        '--link-dest',
        '--bwlimit',
        '--timeout',
        '--port',
      ],
      stopAtOperand: false,
    },
    options: { '-e': WHOLE, '--rsh': WHOLE },
  },
  gdb: {
    // the wrapper table's gdb entry (RUNNERS) lists its options once
    spec: { values: RUNNERS.gdb?.valueOpts ?? [], stopAtOperand: false },
    options: Object.fromEntries(
      ['-ex', '--ex', '-eval-command', '--eval-command', '-iex', '--init-eval-command'].map((o) => [
        o,
        (v: string): string[] => [/^\s*(?:!|shell\s+|pipe\s+[^|]*\|\s*)([\s\S]*)$/.exec(v)?.[1] ?? ''].filter((s) => s !== ''),
      ]),
    ),
  },
  expect: { spec: { values: ['-c', '-f', '-b'], stopAtOperand: false }, options: { '-c': tclCommands } },
  tclsh: { spec: {}, stdin: tclCommands },
  socat: {
    spec: { values: ['-lf', '-t', '-T', '-b'], stopAtOperand: false },
    operands: (t) => [/^(?:EXEC|SYSTEM):([\s\S]*?)(?:,[a-z-]+(?:=[^,]*)?)*$/i.exec(t)?.[1] ?? ''].filter((s) => s !== ''),
  },
  ed: {
    spec: {},
    stdin: (t) =>
      t
        .split('\n')
        .map((l) => /^\s*!(.+)$/.exec(l)?.[1] ?? '')
        .filter((s) => s !== ''),
  },
};

/** kill: `-s SIG`, `-n SIG`, `--signal SIG`; `-9`, `-KILL`, `-SIGKILL` are signal words. */
export const KILL_OPTIONS: OptionSpec = { values: ['-s', '-n', '--signal', '-q', '--queue', '--timeout'] };

/** screen: options with a value (`-S name`, `-dmS name`); `-x`/`-r`/`-R`/`-X`/`-ls`/`-wipe` control sessions. */
export const SCREEN_OPTIONS: OptionSpec = { values: ['-S', '-c', '-e', '-E', '-h', '-p', '-s', '-T', '-t', '-X'] };

/** chmod/chown/chgrp: `--reference FILE`, `--from OWNER`; options may follow operands. */
export const PERMS_OPTIONS: OptionSpec = { values: ['--reference', '--from'], stopAtOperand: false };

/** git subcommands' own options that take a value (so the value is not read as a flag or a path); options may follow operands. */
export const GIT_SUBCOMMAND_OPTIONS: Readonly<Record<string, OptionSpec>> = {
  clean: { values: ['-e', '--exclude'], stopAtOperand: false },
  checkout: { values: ['-b', '-B', '--orphan', '--conflict', '--unified', '--inter-hunk-context'], stopAtOperand: false },
  restore: { values: ['-s', '--source', '--conflict', '--unified', '--inter-hunk-context'], stopAtOperand: false },
  switch: { values: ['-c', '-C', '--create', '--force-create', '--orphan', '--conflict'], stopAtOperand: false },
  branch: {
    values: ['-u', '--set-upstream-to', '--contains', '--no-contains', '--merged', '--no-merged', '--points-at', '--sort', '--format'],
    stopAtOperand: false,
  },
  worktree: { values: ['--reason'], stopAtOperand: false },
  push: { values: ['-o', '--push-option', '--repo', '--receive-pack', '--exec'], stopAtOperand: false },
};

/** find's options before the starting points: `-H`, `-L`, `-P`, `-D DEBUG`, `-OLEVEL`; the expression starts with a dash too. */
export const FIND_OPTIONS: OptionSpec = { only: ['-H', '-L', '-P'], values: ['-D'], optional: ['-O'] };

/**
 * find's expression, by primary (`man find`): how many words follow it (`command`: up to `;`, or
 * `+` after `{}`), whether it narrows what the expression matches (`filter`; `-type f` alone still
 * matches every file), and whether it writes its first value (`-fprint FILE`).
 */
export interface FindPrimary {
  readonly args: 0 | 1 | 2 | 'command';
  readonly filter?: boolean;
  readonly write?: boolean;
}
const findPrimaries = (names: readonly string[], p: FindPrimary): [string, FindPrimary][] => names.map((n) => [n, p]);
export const FIND_PRIMARIES: ReadonlyMap<string, FindPrimary> = new Map([
  ...findPrimaries(
    [
      '-name',
      '-iname',
      '-path',
      '-ipath',
      '-wholename',
      '-iwholename',
      '-regex',
      '-iregex',
      '-lname',
      '-ilname',
      '-newer',
      '-anewer',
      '-cnewer',
      '-samefile',
      '-user',
      '-group',
      '-uid',
      '-gid',
      '-perm',
      '-links',
      '-inum',
      '-size',
      '-mtime',
      '-mmin',
      '-atime',
      '-amin',
      '-ctime',
      '-cmin',
      '-used',
      '-newermt',
      '-newerct',
      '-newerat',
    ],
    { args: 1, filter: true },
  ),
  ...findPrimaries(['-empty', '-nouser', '-nogroup', '-prune'], { args: 0, filter: true }),
  ...findPrimaries(['-type', '-xtype', '-fstype', '-maxdepth', '-mindepth', '-regextype', '-context', '-printf', '-files0-from'], {
    args: 1,
  }),
  ...findPrimaries(['-fprint', '-fprint0', '-fls'], { args: 1, write: true }),
  ...findPrimaries(['-fprintf'], { args: 2, write: true }),
  ...findPrimaries(['-exec', '-execdir', '-ok', '-okdir'], { args: 'command' }),
]);

/**
 * PowerShell's parameters (`pwsh -?`), lower case: case does not matter and a parameter may be
 * shortened to any prefix that names only it; the documented aliases win (`-c` is -Command, `-e`
 * -EncodedCommand). -Command, -EncodedCommand and -File end the options.
 */
const POWERSHELL_VALUES = [
  '-encodedcommand',
  '-executionpolicy',
  '-workingdirectory',
  '-configurationname',
  '-custompipename',
  '-inputformat',
  '-outputformat',
  '-windowstyle',
  '-version',
  '-settingsfile',
  '-encodedarguments',
];
const POWERSHELL_FLAGS = [
  '-command',
  '-file',
  '-noprofile',
  '-noninteractive',
  '-nologo',
  '-noexit',
  '-login',
  '-mta',
  '-sta',
  '-interactive',
];
const POWERSHELL_ALIASES: Readonly<Record<string, string>> = {
  '-c': '-command',
  '-e': '-encodedcommand',
  '-ec': '-encodedcommand',
  // `-enc` is the form seen in the wild; the stricter reading gives every prefix of `-encoded` to -EncodedCommand
  ...Object.fromEntries(['-en', '-enc', '-enco', '-encod', '-encode', '-encoded'].map((p) => [p, '-encodedcommand'])),
  '-f': '-file',
  '-ex': '-executionpolicy',
  '-ep': '-executionpolicy',
  '-wd': '-workingdirectory',
  '-config': '-configurationname',
  '-o': '-outputformat',
  '-of': '-outputformat',
  '-if': '-inputformat',
  '-inp': '-inputformat',
  '-w': '-windowstyle',
  '-v': '-version',
  '-l': '-login',
  '-i': '-interactive',
  '-nop': '-noprofile',
  '-noni': '-noninteractive',
  '-nol': '-nologo',
  '-noe': '-noexit',
  '-settings': '-settingsfile',
};
export const POWERSHELL_OPTIONS: OptionSpec = { values: POWERSHELL_VALUES, ends: ['-command', '-file', '-encodedcommand'], words: true };

/** A PowerShell parameter as its full lower-case name (an unknown or ambiguous one as written, lower case). */
export function powerShellParameter(word: string): string {
  const w = word.toLowerCase();
  const alias = POWERSHELL_ALIASES[w];
  if (alias !== undefined || !w.startsWith('-')) return alias ?? w;
  const named = [...POWERSHELL_VALUES, ...POWERSHELL_FLAGS].filter((p) => p.startsWith(w));
  return named.length === 1 ? (named[0] ?? w) : w;
}

/**
 * Global options that take a value, per tool: they can stand before the verb
 * (`kubectl -n prod delete …`, `aws --profile prod s3 rm …`), so the verb is found by the
 * option scanner, not by taking the first word that does not start with `-`.
 */
export const TOOL_GLOBAL_OPTIONS: Readonly<Record<string, readonly string[]>> = {
  kubectl: [
    '-n',
    '--namespace',
    '--context',
    '--cluster',
    '--user',
    '-s',
    '--server',
    '--kubeconfig',
    '--token',
    '--as',
    '--as-group',
    '--request-timeout',
    '--certificate-authority',
    '--client-certificate',
    '--client-key',
    '-l',
    '--selector',
    '-o',
    '--output',
    '-f',
    '--filename',
    '-c',
    '--container',
    '--field-selector',
    '--grace-period',
    '--timeout',
    '--cascade',
  ],
  helm: [
    '-n',
    '--namespace',
    '--kube-context',
    '--kubeconfig',
    '--kube-apiserver',
    '--kube-token',
    '--repository-config',
    '--registry-config',
    '--timeout',
    '-f',
    '--values',
    '--set',
    '--version',
    '-o',
    '--output',
  ],
  docker: ['-H', '--host', '-c', '--context', '--config', '-l', '--log-level', '--tlscacert', '--tlscert', '--tlskey'],
  aws: [
    '--profile',
    '--region',
    '--output',
    '--endpoint-url',
    '--query',
    '--color',
    '--cli-read-timeout',
    '--cli-connect-timeout',
    '--ca-bundle',
    '--cli-input-json',
    '--cli-binary-format',
  ],
  gcloud: ['--project', '--region', '--zone', '--account', '--configuration', '--format', '--verbosity', '--impersonate-service-account'],
  az: ['-g', '--resource-group', '--subscription', '-o', '--output', '--query'],
  heroku: ['-a', '--app', '-r', '--remote'],
  npm: ['--prefix', '-w', '--workspace', '--registry', '--cache', '--userconfig', '--loglevel', '-C'],
  pnpm: ['-C', '--dir', '--filter', '-F', '--workspace-dir', '--registry', '--loglevel'],
  yarn: ['--cwd', '--registry', '--cache-folder', '--modules-folder'],
  pip: ['--index-url', '-i', '--extra-index-url', '--proxy', '--log', '--cache-dir', '--python', '--trusted-host'],
  gh: ['-R', '--repo', '--hostname'],
};
export const SAME_OPTIONS: Readonly<Record<string, string>> = { oc: 'kubectl', podman: 'docker', nerdctl: 'docker', pip3: 'pip' };

/** curl (also read for httpie's `http`/`xh`): options with a value; options may follow operands. */
export const CURL_OPTIONS: OptionSpec = {
  values: [
    '-o',
    '--output',
    '-X',
    '--request',
    '-d',
    '--data',
    '--data-raw',
    '--data-binary',
    '--data-urlencode',
    '-H',
    '--header',
    '-u',
    '--user',
    '-A',
    '--user-agent',
    '-e',
    '--referer',
    '-b',
    '--cookie',
    '-c',
    '--cookie-jar',
    '-F',
    '--form',
    '-T',
    '--upload-file',
    '-x',
    '--proxy',
    '-w',
    '--write-out',
    '-m',
    '--max-time',
    '--connect-timeout',
    '-r',
    '--range',
    '-K',
    '--config',
    '-E',
    '--cert',
    '--key',
    '--cacert',
    '--resolve',
    '--retry',
    '-Y',
    '-y',
    '-z',
    '--url',
  ],
  stopAtOperand: false,
};

/** wget: options with a value (`-O FILE` names what it writes); options may follow operands. */
export const WGET_OPTIONS: OptionSpec = {
  values: [
    '-O',
    '--output-document',
    '-o',
    '--output-file',
    '-a',
    '--append-output',
    '-P',
    '--directory-prefix',
    '-U',
    '--user-agent',
    '--header',
    '-e',
    '--execute',
    '-i',
    '--input-file',
    '-t',
    '--tries',
    '-T',
    '--timeout',
    '-w',
    '--wait',
    '-Q',
    '--quota',
    '--post-data',
    '--post-file',
    '--user',
    '--password',
    '-l',
    '--level',
    '-A',
    '-R',
    '-D',
    '-B',
    '--base',
  ],
  stopAtOperand: false,
};

/** `gh api`: `-X/--method`, fields (`-f`, `-F`, `--input` make it a POST), headers, filters. */
export const GH_API_OPTIONS: OptionSpec = {
  values: [
    '-X',
    '--method',
    '-f',
    '-F',
    '--field',
    '--raw-field',
    '--input',
    '-H',
    '--header',
    '-q',
    '--jq',
    '-t',
    '--template',
    '--hostname',
    '--cache',
    '-p',
    '--preview',
    '-R',
    '--repo',
  ],
  stopAtOperand: false,
};

/** unzip: `-d DIR` is where it writes; `-P PASSWORD`. */
export const UNZIP_OPTIONS: OptionSpec = { values: ['-d', '-P'], stopAtOperand: false };

/** emacs: whole-word options (`-batch`, `-nw`); `--eval EXPR`/`-eval EXPR`/`--eval=EXPR` and the other options with a value. */
export const EMACS_OPTIONS: OptionSpec = {
  values: [
    '--eval',
    '-eval',
    '-l',
    '--load',
    '-f',
    '--funcall',
    '-L',
    '--directory',
    '--chdir',
    '-t',
    '--terminal',
    '-d',
    '--display',
    '-u',
    '--user',
  ],
  stopAtOperand: false,
  words: true,
};

/** mktemp (GNU): `-p DIR`; `--tmpdir` takes DIR only as `--tmpdir=DIR`; `--suffix SUFF`; options may follow the template. */
export const MKTEMP_OPTIONS: OptionSpec = {
  values: ['-p', '--suffix'],
  stopAtOperand: false,
};

/** crontab: `-u USER`, cronie's `-n HOST` and `-T FILE`; `-l` lists. */
export const CRONTAB_OPTIONS: OptionSpec = { values: ['-u', '-n', '-T'], stopAtOperand: false };

/** rg (ripgrep 14): the options that take a value; `--pre CMD` and `--hostname-bin CMD` run a program. */
export const RG_OPTIONS: OptionSpec = {
  values: [
    ...['-A', '-B', '-C', '--after-context', '--before-context', '--context', '--color', '--colors', '--context-separator'],
    ...['-d', '--max-depth', '--dfa-size-limit', '-E', '--encoding', '--engine', '-e', '--regexp', '-f', '--file'],
    ...['--field-context-separator', '--field-match-separator', '-g', '--glob', '--iglob', '--hostname-bin', '--hyperlink-format'],
    ...['--ignore-file', '-j', '--threads', '-m', '--max-count', '-M', '--max-columns', '--max-filesize', '--path-separator'],
    ...['--pre', '--pre-glob', '--regex-size-limit', '-r', '--replace', '--sort', '--sortr', '-t', '--type', '-T', '--type-not'],
    ...['--type-add', '--type-clear', '--generate'],
  ],
  stopAtOperand: false,
};
