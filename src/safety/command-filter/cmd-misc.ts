import type { SimpleCommand } from './simple-command.js';
import { argTexts as texts, report, reporter, staticText } from './simple-command.js';
import { resolvePath } from './paths.js';
import { scanOptions } from './options.js';
import { KILL_OPTIONS } from './command-options.js';

const positionals = (t: readonly string[]): string[] => t.filter((x) => !x.startsWith('-'));
const dryRun = (t: readonly string[]): boolean => t.includes('--dry-run') || t.some((x) => x.startsWith('--dry-run='));

/** shutdown, reboot, halt, poweroff, init 0/6, systemctl reboot, kill -9 -1, kill 1. */
export function classifyHost(cmd: SimpleCommand): boolean {
  const { name, args } = cmd;
  const t = texts(args);
  const block = reporter(cmd, 'block.host-control');
  const help = t.length > 0 && t.every((x) => x === '--help' || x === '--version');
  switch (name) {
    case 'shutdown':
    case 'reboot':
    case 'halt':
    case 'poweroff':
    case 'killall5':
      return help ? true : block(name);
    case 'init':
    case 'telinit':
      if (['0', '6'].includes(t[0] ?? '')) return block(`${name} ${t[0]}`);
      return true;
    case 'systemctl':
    case 'loginctl': {
      const verb = positionals(t)[0];
      if (verb !== undefined && ['reboot', 'poweroff', 'halt', 'kexec', 'soft-reboot'].includes(verb)) return block(`${name} ${verb}`);
      return true;
    }
    case 'kill': {
      // `-1` is a pid (every process), never a signal; other leading `-N`/`-SIG` words are signals
      const scan = scanOptions(args, KILL_OPTIONS);
      if (['-l', '-L', '--list', '--table'].some((f) => scan.flags.includes(f))) return true;
      const signal = scan.valueOf('-s') ?? scan.valueOf('-n') ?? scan.valueOf('--signal');
      if (signal === '0' || scan.flags.includes('-0')) return true;
      const pids = [...scan.flags.filter((f) => f === '-1'), ...texts(scan.operands)];
      if (pids.includes('-1')) return block('kill -1 signals every process');
      if (pids.includes('1')) return block('kill 1 signals init');
      return true;
    }
    default:
      return false;
  }
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
    case 'bun': {
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
        if (t.includes('-g') || t.includes('--global') || t.includes('--location=global')) return install(`${name} ${sub} -g`);
        if (['update', 'up', 'upgrade'].includes(sub)) return true;
        const idx = t.indexOf(sub);
        const pkgs = t.slice(idx + 1).filter((x) => !x.startsWith('-'));
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
      return classifyGh(cmd, pos, t);
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

function classifyGh(cmd: SimpleCommand, pos: readonly string[], t: readonly string[]): true {
  const [group = '', action = ''] = pos;
  if (group === 'api') {
    const method = t.find((_, i) => t[i - 1] === '-X' || t[i - 1] === '--method') ?? t.find((x) => x.startsWith('--method='))?.slice(9);
    const fields = t.some((x) => ['-f', '-F', '--field', '--raw-field', '--input'].includes(x));
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

const SQL_CLIENTS = new Set([
  'psql',
  'mysql',
  'mariadb',
  'sqlite3',
  'sqlcmd',
  'clickhouse-client',
  'cockroach',
  'mongo',
  'mongosh',
  'redis-cli',
  'cqlsh',
  'duckdb',
]);
const SQL_DESTRUCTIVE =
  /\b(?:drop\s+(?:database|schema|table|keyspace)\b|truncate\s+(?:table\s+)?\w|dropDatabase\s*\(|(?:flushall|flushdb)\b)/i;

/**
 * Global options that take a value, per tool: they can stand before the verb
 * (`kubectl -n prod delete …`, `aws --profile prod s3 rm …`), so the verb is found by the
 * option scanner, not by taking the first word that does not start with `-`.
 */
const GLOBAL_VALUE_OPTS: Readonly<Record<string, readonly string[]>> = {
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
const SAME_OPTS: Readonly<Record<string, string>> = { oc: 'kubectl', podman: 'docker', nerdctl: 'docker', pip3: 'pip' };

/** The words that are not options or option values: a tool's verb and objects. */
function verbWords(name: string, args: SimpleCommand['args']): string[] {
  const values = GLOBAL_VALUE_OPTS[SAME_OPTS[name] ?? name];
  // `cargo +nightly install`, `rustup +stable …`: a toolchain, not the verb
  const words =
    values === undefined
      ? positionals(texts(args))
      : scanOptions(args, { values, stopAtOperand: false }).operands.map((w) => staticText(w) ?? '');
  return words.filter((w, k) => !(k === 0 && w.startsWith('+')));
}

/** Remote or infrastructure destruction (docker prune, kubectl delete, terraform destroy, …). */
export function classifyInfra(cmd: SimpleCommand): boolean {
  const { name, args } = cmd;
  const t = texts(args);
  const pos = verbWords(name, args);
  const hit = reporter(cmd, 'confirm.infra-destruction');
  if (SQL_CLIENTS.has(name)) {
    const stdin = cmd.stdin();
    const text = [...t, stdin.kind === 'static' ? stdin.text : ''].join(' ');
    if (SQL_DESTRUCTIVE.test(text)) return hit(`${name}: ${SQL_DESTRUCTIVE.exec(text)?.[0] ?? 'DROP'}`);
    return true;
  }
  switch (name) {
    case 'dropdb':
      return hit('dropdb');
    case 'kubectl':
    case 'oc':
      if (['delete', 'drain'].includes(pos[0] ?? '')) return hit(`${name} ${pos[0]}`);
      return true;
    case 'helm':
      if (['uninstall', 'delete', 'del', 'un'].includes(pos[0] ?? '')) return hit(`helm ${pos[0]}`);
      return true;
    case 'terraform':
    case 'tofu':
    case 'terragrunt':
      if (pos[0] === 'destroy' || (pos[0] === 'apply' && t.includes('-destroy')) || (pos[0] === 'state' && pos[1] === 'rm'))
        return hit(`${name} ${pos.slice(0, 2).join(' ')}`);
      return true;
    case 'pulumi':
      if (pos[0] === 'destroy' || (pos[0] === 'stack' && pos[1] === 'rm')) return hit(`pulumi ${pos[0]}`);
      return true;
    case 'aws': {
      const [svc = '', op = ''] = pos;
      if (
        svc === 's3' &&
        (op === 'rb' || ((op === 'rm' || op === 'sync' || op === 'mv') && (t.includes('--recursive') || t.includes('--delete'))))
      )
        return hit(`aws s3 ${op}`);
      if (/^(?:delete|terminate|remove|purge|deregister|disable)-/.test(op)) return hit(`aws ${svc} ${op}`);
      return true;
    }
    case 'gsutil':
      if (pos[0] === 'rb' || (pos[0] === 'rm' && t.some((x) => /^-[a-zA-Z]*r/.test(x)))) return hit(`gsutil ${pos[0]}`);
      return true;
    case 'gcloud':
    case 'az':
    case 'doctl':
    case 'flyctl':
    case 'fly':
    case 'heroku':
    case 'vercel':
    case 'netlify':
    case 'vault':
    case 'op':
    case 'doppler':
    case 'velero':
      if (pos.some((x) => /^(?:delete|destroy|rm|remove|purge|disable|apps:destroy|sites:delete)$/.test(x)))
        return hit(`${name} ${pos.join(' ')}`);
      return true;
    case 'rclone':
      if (['delete', 'deletefile', 'purge', 'rmdir', 'rmdirs', 'sync', 'move', 'cleanup'].includes(pos[0] ?? ''))
        return hit(`rclone ${pos[0]}`);
      return true;
    case 'restic':
    case 'borg':
      if (['forget', 'prune', 'delete', 'repo-delete', 'rdelete', 'compact'].includes(pos[0] ?? '')) return hit(`${name} ${pos[0]}`);
      return true;
    case 'kafka-topics':
    case 'kafka-consumer-groups':
      if (t.includes('--delete')) return hit(`${name} --delete`);
      return true;
    case 'kafka-delete-records':
      return hit(name);
    case 'curl':
    case 'http':
    case 'https':
    case 'xh': {
      const method = t.find((_, i) => t[i - 1] === '-X' || t[i - 1] === '--request') ?? t.find((x) => /^-X[A-Z]/.test(x))?.slice(2);
      if (method?.toUpperCase() === 'DELETE' || (name !== 'curl' && pos[0]?.toUpperCase() === 'DELETE')) return hit(`${name} DELETE`);
      if (t.some((x) => /_delete_by_query/.test(x))) return hit(`${name} _delete_by_query`);
      return false;
    }
    default:
      return false;
  }
}

/** Records files a downloader writes (curl -o, wget -O, …) for download-then-execute. */
export function recordDownloads(cmd: SimpleCommand): void {
  const { name, args, scope, env } = cmd;
  const t = texts(args);
  const urls = t.filter((x) => /^[a-z][a-z0-9+.-]*:\/\//i.test(x));
  const add = (p: string | undefined): void => {
    if (p === undefined || p === '' || p === '-') return;
    const abs = resolvePath(p, scope);
    if (abs !== null) env.downloads.add(abs);
  };
  const basenameOf = (u: string): string | undefined => {
    const path = u.replace(/[?#].*$/, '').replace(/^[a-z]+:\/\/[^/]*/i, '');
    const b = path
      .split('/')
      .filter((s) => s !== '')
      .pop();
    return b;
  };
  if (name === 'curl') {
    for (let i = 0; i < t.length; i++) {
      const x = t[i] ?? '';
      if (x === '-o' || x === '--output') add(t[i + 1]);
      else if (x.startsWith('--output=')) add(x.slice(9));
      else if (/^-[a-zA-Z]*o$/.test(x) && x !== '-o') add(t[i + 1]);
      else if (x === '-O' || x === '--remote-name' || /^-[a-zA-Z]*O[a-zA-Z]*$/.test(x)) urls.forEach((u) => add(basenameOf(u)));
    }
  } else if (name === 'wget') {
    let explicit = false;
    for (let i = 0; i < t.length; i++) {
      const x = t[i] ?? '';
      if (x === '-O' || x === '--output-document') {
        add(t[i + 1]);
        explicit = true;
      } else if (x.startsWith('--output-document=')) {
        add(x.slice(18));
        explicit = true;
      } else if (/^-O.+/.test(x)) {
        add(x.slice(2));
        explicit = true;
      }
    }
    if (!explicit) urls.forEach((u) => add(basenameOf(u)));
  }
}

/** Names of programs that fetch from the network. */
export const DOWNLOADERS = new Set([
  'curl',
  'wget',
  'fetch',
  'http',
  'https',
  'xh',
  'aria2c',
  'lynx',
  'links',
  'nc',
  'ncat',
  'netcat',
  'socat',
  'scp',
  'rsync',
  'ftp',
  'tftp',
  'iwr',
  'httpie',
]);
