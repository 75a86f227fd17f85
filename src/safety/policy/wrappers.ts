/**
 * The wrappers the classifier sees through ("Wrappers the classifier must see through" in
 * COMMAND-POLICY.md), as data for the doc and for the coverage test. `sample` finds a use of
 * the wrapper in a command line (the test requires one table row per wrapper).
 */
export interface WrapperSpec {
  /** Short name used in docs and tests. */
  readonly id: string;
  /** How the classifier reads it. */
  readonly how: string;
  /** Matches a command line that uses this wrapper. */
  readonly sample: RegExp;
}

const at = String.raw`(?:^|[\s;&|(\x60$]|\$\()`;

/** `name` used as a command word: at the start, after a separator or `$(`, then `end`. */
const commandWord = (name: string, end = String.raw`\s`): RegExp =>
  new RegExp(`${at}${name}${end}`);

export const WRAPPERS: readonly WrapperSpec[] = [
  {
    id: 'sudo',
    how: 'options -u/-g/-E/-i/-s/--, then the command; confirms (privilege)',
    sample: commandWord('sudo'),
  },
  {
    id: 'doas',
    how: 'options -u/-n/-s, then the command; confirms (privilege)',
    sample: commandWord('doas'),
  },
  {
    id: 'env',
    how: '-i, -u X, -C dir (changes cwd), -S string (split), VAR=, --',
    sample: commandWord('env'),
  },
  {
    id: 'VAR=value',
    how: 'leading assignments; TMPDIR/HOME reassignment is tracked',
    sample: /(?:^|[\s;&|(])[A-Za-z_][A-Za-z0-9_]*=\S*\s+[a-z]/,
  },
  {
    id: 'command',
    how: 'command [-p] cmd; -v/-V are lookups (allow)',
    sample: commandWord('command'),
  },
  { id: 'builtin', how: 'builtin cmd', sample: commandWord('builtin') },
  { id: 'exec', how: 'exec [-a name] [-cl] cmd', sample: commandWord('exec') },
  { id: 'nohup', how: 'nohup cmd', sample: commandWord('nohup') },
  { id: 'nice', how: 'nice [-n N] cmd', sample: commandWord('nice') },
  { id: 'time', how: 'time [-p] cmd (a bash keyword)', sample: commandWord('time') },
  {
    id: 'timeout',
    how: 'timeout [-k D] [-s SIG] [--foreground] DURATION cmd',
    sample: commandWord('timeout'),
  },
  { id: 'stdbuf', how: 'stdbuf -i/-o/-e MODE cmd', sample: commandWord('stdbuf') },
  { id: 'ionice', how: 'ionice [-c N] [-n N] [-t] cmd', sample: commandWord('ionice') },
  { id: 'chrt', how: 'chrt [opts] PRIORITY cmd', sample: commandWord('chrt') },
  { id: 'taskset', how: 'taskset [-c] MASK cmd', sample: commandWord('taskset') },
  {
    id: 'watch',
    how: 'watch [opts] words… run through sh -c (or -x: exec)',
    sample: commandWord('watch'),
  },
  { id: 'busybox', how: 'busybox APPLET args', sample: commandWord('busybox') },
  {
    id: 'xargs',
    how: 'xargs [opts] cmd: operands come from stdin; -I REPL placeholders',
    sample: commandWord('xargs', String.raw`\b`),
  },
  {
    id: 'parallel',
    how: 'parallel [opts] cmd ::: args (stdin without :::); run through a shell',
    sample: commandWord('parallel'),
  },
  {
    id: 'find -exec',
    how: 'find … -exec/-execdir/-ok/-okdir cmd … ; or +; {} = paths under the roots',
    sample: /\s-(?:exec|execdir|ok|okdir)\s/,
  },
  {
    id: 'sh -c',
    how: '{sh,bash,zsh,dash,ksh,…} [-opts] -c SCRIPT [$0 args…]; also -lc, -e -c',
    sample: new RegExp(`${at}(?:sh|bash|zsh|dash|ksh|mksh|fish)\\s+(?:-[a-zA-Z]*\\s+)*-[a-zA-Z]*c`),
  },
  {
    id: 'su -c',
    how: 'su [-] [user] -c SCRIPT; confirms (privilege)',
    sample: new RegExp(`${at}su\\s.*-c`),
  },
  {
    id: 'ssh',
    how: 'ssh [opts] host cmd…: the remote command is classified (remote cwd = home)',
    sample: commandWord('ssh'),
  },
  { id: 'eval', how: 'eval words… joined and parsed', sample: commandWord('eval') },
  {
    id: 'git -c alias',
    how: "git -c alias.X='!…' (and shell-valued keys such as core.pager): the shell body is classified",
    sample: /git\s.*-c\s*['"]?(?:alias|core\.pager|core\.sshCommand)/,
  },
  {
    id: 'heredoc to shell',
    how: 'sh/bash/… <<EOF body, and here-strings (<<<) to a shell',
    sample: /(?:sh|bash|zsh|dash|python3?|node|perl|ruby)\b[^|\n]*<<[-<]?/,
  },
  {
    id: '| sh',
    how: 'a pipe into a shell or interpreter reading its script from stdin',
    sample: /\|\s*(?:sudo\s+)?(?:sh|bash|zsh|dash|ksh|python3?|node|perl|ruby)\b/,
  },
];
