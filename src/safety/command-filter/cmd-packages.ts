/**
 * Package managers and publishing: installs confirm (confirm 2), lockfile installs allow,
 * publishing and pushes confirm (confirm 1), `gh` writes, `docker run/exec` run a program the
 * filter cannot see. A tool's verb is found with the one scanner past its global options.
 */
import type { SimpleCommand } from './simple-command.js';
import { argTexts as texts, report, reporter, staticText } from './simple-command.js';
import { scanOptions } from './options.js';
import { GH_API_OPTIONS, SAME_OPTIONS, TOOL_GLOBAL_OPTIONS } from './command-options.js';

const positionals = (t: readonly string[]): string[] => t.filter((x) => !x.startsWith('-'));
const dryRun = (t: readonly string[]): boolean => t.includes('--dry-run') || t.some((x) => x.startsWith('--dry-run='));

/** The words that are not options or option values: a tool's verb and objects. */
export function verbWords(name: string, args: SimpleCommand['args']): string[] {
  const values = TOOL_GLOBAL_OPTIONS[SAME_OPTIONS[name] ?? name];
  // `cargo +nightly install`, `rustup +stable …`: a toolchain, not the verb
  const words =
    values === undefined
      ? positionals(texts(args))
      : scanOptions(args, { values, stopAtOperand: false }).operands.map((w) => staticText(w) ?? '');
  return words.filter((w, k) => !(k === 0 && w.startsWith('+')));
}

const PIP = /^pip(?:\d+(?:\.\d+)?)?$/;

/** Package managers: installs confirm; lockfile installs allow; publishing confirms. */
export function classifyPackages(cmd: SimpleCommand): boolean {
  const { name, args } = cmd;
  const t = texts(args);
  const pos = verbWords(name, args);
  const install = reporter(cmd, 'confirm.install');
  const external = reporter(cmd, 'confirm.external-action');
  const publish = (detail: string): true => (dryRun(t) || (name === 'cargo' && t.includes('-n')) ? true : external(detail));
  const verb = pos[0];
  if (PIP.test(name)) {
    if (verb === 'install' || verb === 'uninstall' || verb === 'download') return verb === 'download' ? true : install(`${name} ${verb}`);
    return true;
  }
  switch (name) {
    case 'npm':
    case 'pnpm':
    case 'yarn':
    case 'bun':
    case 'deno': {
      const sub = pos[0];
      if (sub === undefined) return true;
      if (['publish', 'unpublish', 'deprecate'].includes(sub) || (name === 'yarn' && sub === 'npm' && pos[1] === 'publish')) {
        return publish(`${name} ${sub}`);
      }
      if (name === 'yarn' && sub === 'global' && pos[1] === 'add') return install('yarn global add');
      if (['dlx', 'x'].includes(sub) && name !== 'npm') return install(`${name} ${sub} runs a downloaded package`);
      const adds = ['add', 'install', 'i', 'isntall', 'in', 'ins', 'inst', 'insta', 'instal', 'update', 'up', 'upgrade'];
      if (sub === 'add') return install(`${name} add`);
      if (adds.includes(sub)) {
        const scan = scanOptions(args, { values: TOOL_GLOBAL_OPTIONS[name] ?? [], stopAtOperand: false });
        if (scan.has('-g', '--global') || scan.valueOf('--location') === 'global') return install(`${name} ${sub} -g`);
        if (['update', 'up', 'upgrade'].includes(sub)) return true;
        // the packages: the words after the verb that are neither options nor option values
        const pkgs = pos.slice(1);
        if (pkgs.length > 0) return install(`${name} ${sub} ${pkgs.join(' ')}`);
      }
      return true;
    }
    case 'bunx':
    case 'uvx':
      return install(`${name} runs a downloaded package`);
    case 'pipx':
      if (verb === 'install' || verb === 'run' || verb === 'inject' || verb === 'upgrade') return install(`pipx ${verb}`);
      return true;
    case 'uv':
      if (verb === 'pip' && ['install', 'sync'].includes(pos[1] ?? '')) return install(`uv pip ${pos[1]}`);
      if (verb === 'add' || (verb === 'tool' && ['install', 'run'].includes(pos[1] ?? '')))
        return install(`uv ${pos.slice(0, 2).join(' ')}`);
      if (verb === 'publish') return publish('uv publish');
      return true;
    case 'poetry':
    case 'pdm':
    case 'hatch':
    case 'flit':
      if (verb === 'add') return install(`${name} add`);
      if (verb === 'publish') return publish(`${name} publish`);
      return true;
    case 'conda':
    case 'mamba':
    case 'micromamba':
    case 'easy_install':
      if (name === 'easy_install' || verb === 'install') return install(`${name} install`);
      return true;
    case 'cargo':
      if (verb === 'install' || verb === 'add') return install(`cargo ${verb}`);
      if (verb === 'publish') return publish('cargo publish');
      return true;
    case 'go':
      if (verb === 'install' || verb === 'get') return install(`go ${verb}`);
      return true;
    case 'gem':
      if (verb === 'install') return install('gem install');
      if (verb === 'push') return publish('gem push');
      return true;
    case 'bundle':
    case 'bundler':
      if (verb === 'add') return install('bundle add');
      return true;
    case 'apt':
    case 'apt-get':
    case 'aptitude':
    case 'dnf':
    case 'yum':
    case 'zypper':
    case 'apk':
    case 'brew':
    case 'snap':
    case 'flatpak':
    case 'port':
    case 'nix-env':
      if (
        verb !== undefined &&
        [
          'install',
          'add',
          'reinstall',
          'remove',
          'purge',
          'autoremove',
          'erase',
          'del',
          'uninstall',
          'upgrade',
          'dist-upgrade',
          'full-upgrade',
        ].includes(verb)
      ) {
        return install(`${name} ${verb}`);
      }
      if (name === 'nix-env' && (t.includes('-i') || t.includes('-iA'))) return install('nix-env -i');
      return true;
    case 'pacman':
      if (t.some((x) => /^-S|^-U|^-R/.test(x)) && !t.some((x) => /^-S[si]/.test(x))) return install('pacman');
      return true;
    case 'dpkg':
    case 'rpm':
      if (t.some((x) => /^-(?:i|U|e|P|r)|^--(?:install|upgrade|erase|remove|purge)/.test(x)))
        return install(`${name} installs or removes packages`);
      return true;
    case 'twine':
      if (verb === 'upload') return publish('twine upload');
      return true;
    case 'gh':
      return classifyGh(cmd, pos);
    case 'docker':
    case 'podman':
    case 'nerdctl':
      return classifyDocker(cmd, verbWords(name, args), t);
    case 'vsce':
    case 'ovsx':
      if (verb === 'publish') return publish(`${name} publish`);
      return true;
    case 'dotnet':
      if (verb === 'nuget' && pos[1] === 'push') return publish('dotnet nuget push');
      if (verb === 'add' && pos[2] === 'package') return install('dotnet add package');
      if (verb === 'tool' && pos[1] === 'install') return install('dotnet tool install');
      return true;
    case 'composer':
      if (verb === 'require' || (verb === 'global' && pos[1] === 'require')) return install('composer require');
      return true;
    default:
      return false;
  }
}

const GH_WRITES: Readonly<Record<string, readonly string[]>> = {
  pr: ['create', 'merge', 'close', 'comment', 'review', 'edit', 'ready', 'reopen', 'lock', 'unlock'],
  issue: ['create', 'close', 'comment', 'edit', 'delete', 'reopen', 'transfer', 'lock', 'unlock', 'pin', 'unpin'],
  release: ['create', 'delete', 'edit', 'upload', 'delete-asset'],
  repo: ['create', 'delete', 'fork', 'rename', 'archive', 'unarchive', 'edit', 'sync'],
  gist: ['create', 'delete', 'edit'],
  secret: ['set', 'delete', 'remove'],
  variable: ['set', 'delete'],
  workflow: ['run', 'enable', 'disable'],
  run: ['rerun', 'cancel', 'delete'],
  label: ['create', 'delete', 'edit', 'clone'],
  cache: ['delete'],
};

function classifyGh(cmd: SimpleCommand, pos: readonly string[]): true {
  const [group = '', action = ''] = pos;
  if (group === 'api') {
    const scan = scanOptions(cmd.args, GH_API_OPTIONS);
    const method = scan.valueOf('-X') ?? scan.valueOf('--method');
    const fields = scan.has('-f', '-F', '--field', '--raw-field', '--input');
    if ((method !== undefined && method.toUpperCase() !== 'GET') || (method === undefined && fields)) {
      report(cmd.env, 'confirm.external-action', `gh api ${method ?? 'POST'}`, cmd.argv);
    }
    return true;
  }
  if (GH_WRITES[group]?.includes(action)) {
    if (group === 'repo' && action === 'delete') report(cmd.env, 'confirm.infra-destruction', 'gh repo delete', cmd.argv);
    else report(cmd.env, 'confirm.external-action', `gh ${group} ${action}`, cmd.argv);
  }
  return true;
}

function classifyDocker(cmd: SimpleCommand, pos: readonly string[], t: readonly string[]): true {
  const [a = '', b = ''] = pos;
  if (a === 'push' || (a === 'image' && b === 'push') || (a === 'buildx' && t.includes('--push'))) {
    if (!dryRun(t)) report(cmd.env, 'confirm.external-action', `${cmd.name} push`, cmd.argv);
    return true;
  }
  if (b === 'prune' && ['system', 'volume', 'image', 'container', 'network', 'builder', 'buildx'].includes(a)) {
    report(cmd.env, 'confirm.infra-destruction', `${cmd.name} ${a} prune`, cmd.argv);
    return true;
  }
  if (a === 'volume' && (b === 'rm' || b === 'remove')) {
    report(cmd.env, 'confirm.infra-destruction', `${cmd.name} volume rm`, cmd.argv);
    return true;
  }
  if (a === 'run' || a === 'exec' || (a === 'container' && (b === 'run' || b === 'exec'))) {
    report(cmd.env, 'confirm.dynamic-code', `${cmd.name} ${a} runs a program inside a container`, cmd.argv);
  }
  return true;
}
