/**
 * Remote or infrastructure destruction (confirm 8): database drops, `kubectl delete`, `terraform
 * destroy`, cloud CLIs' delete verbs, bucket removal, backup pruning, HTTP DELETE requests.
 */
import type { SimpleCommand } from './simple-command.js';
import { argTexts as texts, reporter } from './simple-command.js';
import { verbWords } from './cmd-packages.js';
import { scanOptions } from './options.js';
import { CURL_OPTIONS } from './command-options.js';

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
      const scan = scanOptions(args, CURL_OPTIONS);
      const method = scan.valueOf('-X') ?? scan.valueOf('--request');
      if (method?.toUpperCase() === 'DELETE' || (name !== 'curl' && pos[0]?.toUpperCase() === 'DELETE')) return hit(`${name} DELETE`);
      if (t.some((x) => /_delete_by_query/.test(x))) return hit(`${name} _delete_by_query`);
      return false;
    }
    default:
      return false;
  }
}
