import type { RuleId } from '../policy/rules.js';

/**
 * The part of the command policy that a CLI's own prefix matcher can express (claude
 * `permissions.deny`, gemini `commandPrefix`/`commandRegex`, codex `prefix_rule`). A pattern
 * element is a word or a list of alternative words, as codex's execpolicy reads it. Only forms
 * the filter itself blocks (or confirms) go here, so layer 1 never refuses more than the policy;
 * everything else is left to claude's hook and to layer 2. A unit test classifies each `example`.
 */
export interface StaticRule {
  /** Word pattern from the start of a simple command; inner arrays are alternatives. */
  readonly pattern: ReadonlyArray<string | readonly string[]>;
  /** The filter's rule for these commands (its reason is the message the CLI shows). */
  readonly rule: RuleId;
  /** A command the filter classifies with `rule`. */
  readonly example: string;
}

const RECURSIVE = ['-r', '-R', '-rf', '-fr', '-Rf', '-fR', '-rfv', '-frv', '--recursive'];

/** Block-class commands with a fixed word prefix. */
export const STATIC_BLOCK_RULES: readonly StaticRule[] = [
  { pattern: [['shutdown', 'reboot', 'halt', 'poweroff']], rule: 'block.host-control', example: 'shutdown -h now' },
  { pattern: ['systemctl', ['reboot', 'poweroff', 'halt', 'kexec']], rule: 'block.host-control', example: 'systemctl reboot' },
  {
    pattern: [
      ['init', 'telinit'],
      ['0', '6'],
    ],
    rule: 'block.host-control',
    example: 'init 0',
  },
  {
    pattern: [['mkfs', 'mkfs.ext4', 'mkfs.ext3', 'mkfs.xfs', 'mkfs.btrfs', 'mkfs.vfat', 'mke2fs', 'mkswap', 'wipefs', 'blkdiscard']],
    rule: 'block.disk-destruction',
    example: 'mkfs.ext4 /dev/sda1',
  },
  { pattern: ['git', 'reset', ['--hard', '--merge']], rule: 'block.git-destructive', example: 'git reset --hard HEAD~1' },
  {
    pattern: ['git', 'clean', ['-f', '-fd', '-df', '-fdx', '-dfx', '-xdf', '-xfd', '-fx', '-xf', '-ffdx']],
    rule: 'block.git-destructive',
    example: 'git clean -fdx',
  },
  { pattern: ['git', 'checkout', ['-f', '--force', '--', '.']], rule: 'block.git-destructive', example: 'git checkout -- src/index.ts' },
  { pattern: ['git', 'stash', ['drop', 'clear']], rule: 'block.git-destructive', example: 'git stash clear' },
  { pattern: ['git', 'branch', '-D'], rule: 'block.git-destructive', example: 'git branch -D feature' },
  { pattern: ['git', 'switch', ['--discard-changes', '-f', '--force']], rule: 'block.git-destructive', example: 'git switch -f main' },
  { pattern: ['git', 'push', ['--force', '-f', '--mirror']], rule: 'block.git-force-push', example: 'git push --force origin main' },
];

/** Targets of a recursive `rm` that are always outside any workspace: `/` and the home directory. */
export function rmHomeOrRootRule(home: string): StaticRule {
  const homes = [home, `${home}/`, `${home}/*`];
  return {
    pattern: ['rm', RECURSIVE, ['/', '/*', '~', '~/', '~/*', '$HOME', '$HOME/', '$HOME/*', '${HOME}', '${HOME}/', ...homes]],
    rule: 'block.recursive-delete-outside',
    example: `rm -rf ${home}`,
  };
}

/** Confirm-class commands with a fixed word prefix (installs, publishing, privilege). */
export const STATIC_CONFIRM_RULES: readonly StaticRule[] = [
  { pattern: ['git', 'push'], rule: 'confirm.external-action', example: 'git push origin main' },
  { pattern: [['npm', 'pnpm', 'yarn'], 'publish'], rule: 'confirm.external-action', example: 'npm publish' },
  { pattern: ['cargo', 'publish'], rule: 'confirm.external-action', example: 'cargo publish' },
  { pattern: ['twine', 'upload'], rule: 'confirm.external-action', example: 'twine upload dist/*' },
  { pattern: [['docker', 'podman'], 'push'], rule: 'confirm.external-action', example: 'docker push me/app' },
  { pattern: ['gh', ['pr', 'release'], 'create'], rule: 'confirm.external-action', example: 'gh pr create --fill' },
  { pattern: [['pip', 'pip3'], 'install'], rule: 'confirm.install', example: 'pip install requests' },
  { pattern: [['cargo', 'go', 'gem'], 'install'], rule: 'confirm.install', example: 'cargo install ripgrep' },
  { pattern: [['apt', 'apt-get', 'dnf', 'yum'], 'install'], rule: 'confirm.install', example: 'apt-get install -y jq' },
  { pattern: [['sudo', 'doas', 'pkexec']], rule: 'confirm.privilege', example: 'sudo ls' },
];

/** Every word sequence a pattern stands for (`[['a','b'],'c']` → `a c`, `b c`). */
export function expandPattern(pattern: StaticRule['pattern']): string[][] {
  let out: string[][] = [[]];
  for (const element of pattern) {
    const choices = typeof element === 'string' ? [element] : element;
    out = out.flatMap((prefix) => choices.map((choice) => [...prefix, choice]));
  }
  return out;
}
