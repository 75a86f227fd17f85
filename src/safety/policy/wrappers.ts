/**
 * The wrapper table: every program the classifier sees through ("Wrappers the classifier must
 * see through" in COMMAND-POLICY.md, plus the other roads by which text becomes a command).
 * One table, read three ways: the unwrapper takes `argv` (how a wrapper's own options end) from
 * it, docs/command-policy.md's wrapper list is generated from it (`renderWrapperTable`, checked
 * by a test), and the command table test requires a row using each `sample`.
 */

/**
 * How a wrapper's own arguments end and its command begins: options (those in `valueOpts` take
 * a value), then `skip` positionals (`timeout DURATION`, `chroot DIR`), then the command.
 * `noCommand`: an argument that makes the wrapper act on a running process (`ionice -p`).
 * `after`: the option the command follows (`gdb --args`).
 */
export interface ArgvWrapper {
  readonly valueOpts?: readonly string[];
  readonly skip?: number;
  readonly noCommand?: (arg: string) => boolean;
  /** The command follows one of these options, and only then; options may come after operands (`gdb prog --args PROG ARGS…`). */
  readonly after?: readonly string[];
}

export interface WrapperSpec {
  /** Short name used in docs and tests. */
  readonly id: string;
  /** Command names it covers (empty for shapes such as `VAR=value` or `| sh`). */
  readonly names: readonly string[];
  /** How the classifier reads it (the docs' text). */
  readonly how: string;
  /** Matches a command line that uses this wrapper. */
  readonly sample: RegExp;
  /** For wrappers read as `[options] [skip] command…`: the unwrapper's spec. */
  readonly argv?: ArgvWrapper;
}

const at = String.raw`(?:^|[\s;&|(\x60$]|\$\()`;

/** `name` used as a command word: at the start, after a separator or `$(`, then `end`. */
const commandWord = (name: string, end = String.raw`\s`): RegExp => new RegExp(`${at}${name}${end}`);

export const WRAPPERS: readonly WrapperSpec[] = [
  {
    id: 'sudo',
    names: ['sudo', 'sudoedit', 'pkexec', 'run0'],
    how: 'options -u/-g/-E/-i/-s/-D/--, then the command; confirms (privilege); also `pkexec`, `run0`',
    sample: commandWord('sudo'),
  },
  { id: 'doas', names: ['doas'], how: 'options -u/-n/-s, then the command; confirms (privilege)', sample: commandWord('doas') },
  {
    id: 'env',
    names: ['env'],
    how: "`-i`, `-u X`, `-C dir` (changes the cwd), `-S 'string'` (split like a shell, quotes kept together), `VAR=`, `--`",
    sample: commandWord('env'),
  },
  {
    id: 'VAR=value',
    names: [],
    how: "leading assignments; the command's own words expand with the old value, the program sees the new one: both are kept",
    sample: /(?:^|[\s;&|(])[A-Za-z_][A-Za-z0-9_]*=\S*\s+[a-z]/,
  },
  { id: 'command', names: ['command'], how: '`command [-p] cmd`; `-v`/`-V` are lookups (allow)', sample: commandWord('command') },
  { id: 'builtin', names: ['builtin'], how: '`builtin cmd` (so `builtin cd ..` moves the cwd)', sample: commandWord('builtin') },
  {
    id: 'exec',
    names: ['exec'],
    how: '`exec [-a name] [-cl] cmd`; `exec 3<<<…` with no command keeps the fd open for the line',
    sample: commandWord('exec'),
    argv: { valueOpts: ['-a'] },
  },
  { id: 'nohup', names: ['nohup'], how: '`nohup cmd`', sample: commandWord('nohup') },
  { id: 'nice', names: ['nice'], how: '`nice [-n N] cmd`', sample: commandWord('nice'), argv: { valueOpts: ['-n', '--adjustment'] } },
  {
    id: 'time',
    names: ['time'],
    how: 'the bash keyword and `/usr/bin/time [-p] [-o f] cmd`',
    sample: commandWord('time'),
    argv: { valueOpts: ['-f', '-o', '--format', '--output'] },
  },
  {
    id: 'timeout',
    names: ['timeout'],
    how: '`timeout [-k D] [-s SIG] [--foreground] DURATION cmd`',
    sample: commandWord('timeout'),
    argv: { valueOpts: ['-k', '-s', '--kill-after', '--signal'], skip: 1 },
  },
  {
    id: 'stdbuf',
    names: ['stdbuf'],
    how: '`stdbuf -i/-o/-e MODE cmd`',
    sample: commandWord('stdbuf'),
    argv: { valueOpts: ['-i', '-o', '-e', '--input', '--output', '--error'] },
  },
  {
    id: 'ionice',
    names: ['ionice'],
    how: '`ionice [-c N] [-n N] [-t] cmd` (`-p PID` runs nothing)',
    sample: commandWord('ionice'),
    argv: {
      valueOpts: ['-c', '-n', '--class', '--classdata'],
      noCommand: (t) => t === '-p' || t === '-P' || t === '-u' || t.startsWith('--pid'),
    },
  },
  {
    id: 'chrt',
    names: ['chrt'],
    how: '`chrt [opts] PRIORITY cmd` (`-p` runs nothing)',
    sample: commandWord('chrt'),
    argv: {
      valueOpts: ['-T', '-P', '-D', '--sched-runtime', '--sched-period', '--sched-deadline'],
      skip: 1,
      noCommand: (t) => t === '-p' || t === '--pid',
    },
  },
  {
    id: 'taskset',
    names: ['taskset'],
    how: '`taskset [-c] MASK cmd` (`-p` runs nothing)',
    sample: commandWord('taskset'),
    argv: { skip: 1, noCommand: (t) => /^-[a-z]*p/.test(t) || t === '--pid' },
  },
  {
    id: 'watch',
    names: ['watch'],
    how: '`watch [opts] words…` joined and parsed as `sh -c` (or `-x`: the words are the command)',
    sample: commandWord('watch'),
  },
  {
    id: 'busybox',
    names: ['busybox', 'toybox', 'shx'],
    how: '`busybox APPLET args`, `toybox APPLET args` (multi-call binaries), `shx CMD args` (shelljs commands from npm)',
    sample: commandWord('(?:busybox|toybox)'),
  },
  {
    id: 'xargs',
    names: ['xargs'],
    how: "`xargs [opts] cmd`: operands are appended from stdin (`rm -r` → block 3); `-I REPL`/`-i`/`--replace` substitute an unknown stdin value; `xargs sh -c '…' _` binds `$@` to stdin",
    sample: commandWord('xargs', String.raw`\b`),
  },
  {
    id: 'parallel',
    names: ['parallel'],
    how: "`parallel [opts] cmd ::: args`: `{}`-style placeholders take the `:::` values (or are appended); without `:::` the operands come from stdin; `parallel ::: 'cmd' …` runs each argument as a script",
    sample: commandWord('parallel'),
  },
  {
    id: 'find -exec',
    names: ['find'],
    how: '`find … -exec/-execdir/-ok/-okdir cmd … ;`/`+`: `{}` stands for the paths under the roots (and the roots themselves when no filter is given); `rm`/`chmod` there are judged against the roots',
    sample: /\s-(?:exec|execdir|ok|okdir)\s/,
  },
  {
    id: 'sh -c',
    names: ['sh', 'bash', 'zsh', 'dash', 'ksh', 'mksh', 'ash', 'fish', 'csh', 'tcsh'],
    how: '`{sh,bash,zsh,dash,ksh,mksh,ash,fish,csh,tcsh,…} [-opts] -c SCRIPT [$0 $1 …]` (also `-lc`, `-e -c`, `-o opt`); without `-c` the first operand is a script file (allowed unless downloaded or written by the same line; `/dev/stdin`, `/dev/fd/N`, `/proc/self/fd/N` and `<(…)` are read as what they carry), and with no operand or `-s` the script is stdin',
    sample: new RegExp(`${at}(?:sh|bash|zsh|dash|ksh|mksh|fish)\\s+(?:-[a-zA-Z]*\\s+)*-[a-zA-Z]*c`),
  },
  { id: 'su -c', names: ['su'], how: '`su [-] [user] -c SCRIPT`; confirms (privilege)', sample: new RegExp(`${at}su\\s.*-c`) },
  {
    id: 'ssh',
    names: ['ssh', 'scp', 'sftp'],
    how: '`ssh [opts] host [opts] cmd…` (OpenSSH reads options again after the host): the remote command is parsed with no workspace and the remote home as cwd, so `ssh host rm -rf build` blocks; `-o ProxyCommand=…`/`LocalCommand`/`KnownHostsCommand` (also for `scp`, `sftp`) run locally and are parsed as local scripts',
    sample: commandWord('ssh'),
  },
  {
    id: 'eval',
    names: ['eval'],
    how: '`eval words…` joined and parsed; a dynamic word makes it `confirm.dynamic-code`',
    sample: commandWord('eval'),
  },
  {
    id: 'source',
    names: ['source', '.'],
    how: '`source FILE`/`. FILE`: a file written or downloaded earlier in the line, `/dev/stdin`, `/dev/fd/N` or `<(…)` is read as the script it carries',
    sample: /(?:^|[;&|]\s*)(?:source|\.)\s+(?:<\(|\/dev\/)/,
  },
  {
    id: 'git -c alias',
    names: ['git'],
    how: "`git -c alias.X='!…'` and shell-valued keys (`core.pager`, `core.sshCommand`, `core.editor`, `core.fsmonitor`, `diff.external`, `credential.helper`, filters…) are parsed as scripts; `git config alias.x '!…'` too; so are `GIT_CONFIG_KEY_n`/`GIT_CONFIG_VALUE_n` pairs",
    sample: /git\s.*-c\s*['"]?(?:alias|core\.pager|core\.sshCommand)/,
  },
  {
    id: 'git commands',
    names: ['git'],
    how: 'commands git runs from its environment (`GIT_SSH_COMMAND`, `GIT_SSH`, `GIT_EXTERNAL_DIFF`, `GIT_EDITOR`, `GIT_SEQUENCE_EDITOR`, `GIT_PAGER`, `PAGER`, `EDITOR`, `VISUAL`, `GIT_ASKPASS`, `GIT_PROXY_COMMAND` assigned in the line), its options (`difftool --extcmd`/`-x`, `grep -O`/`--open-files-in-pager`, `rebase --exec`/`-x`, `bisect run`, `submodule foreach`, `filter-branch --*-filter`, `--upload-pack`, `--receive-pack`) and `ext::` URLs',
    sample: /GIT_(?:SSH_COMMAND|EDITOR|EXTERNAL_DIFF)=|git\s.*(?:--extcmd|--exec|ext::|bisect run|submodule foreach)/,
  },
  {
    id: 'package runners',
    names: ['npx', 'bunx', 'uvx', 'npm exec', 'pnpm dlx', 'pnpm exec', 'yarn dlx', 'yarn exec', 'pipx run'],
    how: "the tool's own command line is classified (`npx -y rimraf ~` is `rm -rf ~`; `rimraf`, `del-cli`, `trash` are read as `rm -rf`); fetching forms (`npx -y`, `dlx`, `bunx`, `uvx`, `pipx run`) also confirm as installs; `npx -c '…'` is a script",
    sample: /(?:^|[;&|]\s*)(?:npx|bunx|uvx|pnpm dlx|yarn dlx|npm exec)\s/,
  },
  {
    id: 'make',
    names: ['make', 'gmake'],
    how: 'a makefile read from stdin (`-f -`, `-f /dev/stdin`) or given by `--eval`: its recipe lines are scripts',
    sample: /make\s.*(?:-f\s*-(?:\s|$)|--eval)/,
  },
  {
    id: 'sed e',
    names: ['sed', 'gsed'],
    how: "sed's `e COMMAND` runs COMMAND; `e` alone and the `s///e` flag run the pattern space (confirm; a block-class replacement blocks)",
    sample: /sed\s.*(?:\/e['"\s]|['"]\d*e\s)/,
  },
  {
    id: 'editors',
    names: ['vi', 'vim', 'nvim', 'ex', 'view', 'vimdiff', 'gvim', 'evim', 'emacs'],
    how: "ex commands given by `-c`, `+CMD`, `--cmd`: `!cmd`, `r !cmd`, `w !cmd`, `system('…')`, `terminal cmd` are scripts; `emacs --eval`: `shell-command`, `call-process`, `delete-directory`, `delete-file`",
    sample: /(?:vim?|nvim|ex|emacs)\s.*(?:-c\s+['"]?:?!|--eval)/,
  },
  {
    id: 'at, tmux, screen',
    names: ['at', 'batch', 'tmux', 'screen'],
    how: '`at`/`batch` jobs (stdin or `-f FILE`), `tmux new|new-window|split-window|run-shell|send-keys … CMD`, `screen -dm CMD…`: the command is classified (and confirms: it runs later or elsewhere)',
    sample: /(?:^|[;&|]\s*)(?:at|batch|tmux|screen)\s/,
  },
  {
    id: 'heredoc to shell',
    names: [],
    how: '`sh`/`bash`/… `<<EOF` bodies and `<<<` here-strings (on any fd, `3<<<…` read through `/dev/fd/3` or `<&3`) are scripts; into `python3 -`/`node -`/`perl`/`ruby` they are interpreter code',
    sample: /(?:sh|bash|zsh|dash|python3?|node|perl|ruby)\b[^|\n]*<<[-<]?/,
  },
  {
    id: '| sh',
    names: [],
    how: 'a pipe into a shell or interpreter reading its script from stdin, also inside `( … )` or `{ …; }` and through `>(sh)`: static `echo`/`printf`/`cat <<EOF` text is parsed; a download confirms; a decoder blocks; anything else confirms',
    sample: /\|\s*(?:sudo\s+)?(?:sh|bash|zsh|dash|ksh|python3?|node|perl|ruby)\b/,
  },
];

/**
 * Programs that run a program named by their arguments but are not on the policy's list: they
 * confirm (`confirm.dynamic-code`) and their inner command is still classified.
 */
export const RUNNERS: Readonly<Record<string, ArgvWrapper>> = {
  strace: { valueOpts: ['-o', '-e', '-p', '-s', '-u', '-E', '-a', '-P', '-O', '-S', '-X', '-b', '-I'] },
  ltrace: { valueOpts: ['-o', '-e', '-p', '-s', '-u', '-a', '-n', '-A', '-D', '-F', '-l', '-x', '-L'] },
  valgrind: {},
  setsid: {},
  unshare: {},
  nsenter: { valueOpts: ['-t', '--target', '-S', '-G', '-r', '-w'] },
  chroot: { skip: 1 },
  flock: { skip: 1, valueOpts: ['-w', '--timeout', '-E', '--conflict-exit-code'] },
  fakeroot: {},
  firejail: {},
  'xvfb-run': { valueOpts: ['-n', '-s', '-f', '-e', '-p', '--server-num', '--server-args'] },
  'systemd-run': { valueOpts: ['-p', '--property', '-u', '--unit', '-E', '--setenv', '--uid', '--gid', '-M', '--machine'] },
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
  // gdb's one-dash long options (`-nx`, `-batch`) are not clusters: only whole words take a value
  gdb: {
    valueOpts: [
      '-ex',
      '--ex',
      '-eval-command',
      '--eval-command',
      '-iex',
      '--init-eval-command',
      '--command',
      '-ix',
      '--pid',
      '-cd',
      '--cd',
      '--directory',
      '--symbols',
      '--exec',
      '-se',
      '--core',
    ],
    after: ['--args'],
  },
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

/** Wrappers read as `[options] [skip] command…`, by command name (the unwrapper's view). */
export const OPTION_WRAPPERS: ReadonlyMap<string, ArgvWrapper> = new Map(
  WRAPPERS.flatMap((w) => {
    const spec = w.argv;
    return spec === undefined ? [] : w.names.map((n): [string, ArgvWrapper] => [n, spec]);
  }),
);

/** The docs' wrapper list (docs/command-policy.md, "Wrappers seen through"), as markdown. */
export function renderWrapperTable(): string {
  const cell = (s: string): string => s.replaceAll('|', '\\|');
  const rows = WRAPPERS.map((w) => `| \`${cell(w.id)}\` | ${cell(w.how)} |`);
  const runners = Object.keys(RUNNERS).filter((n) => !WRAPPERS.some((w) => w.names.includes(n)));
  return [
    '| wrapper | how it is read |',
    '| --- | --- |',
    ...rows,
    '',
    'Programs that run a program named by their arguments but are not on this list',
    `(${runners.map((n) => `\`${n}\``).join(', ')})`,
    'are `confirm.dynamic-code`, and their inner command is still classified.',
  ].join('\n');
}
