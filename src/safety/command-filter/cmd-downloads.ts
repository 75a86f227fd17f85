/** Downloaders: the programs that fetch from the network, and the files they write (for download-then-execute). */
import type { SimpleCommand } from './simple-command.js';
import { argTexts as texts, staticText } from './simple-command.js';
import { scanOptions } from './options.js';
import { CURL_OPTIONS, WGET_OPTIONS } from './command-options.js';
import { resolvePath } from './paths.js';

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
    const scan = scanOptions(args, CURL_OPTIONS);
    for (const w of [scan.wordOf('-o'), scan.wordOf('--output')]) if (w !== undefined) add(staticText(w));
    if (scan.has('-O', '--remote-name')) urls.forEach((u) => add(basenameOf(u)));
  } else if (name === 'wget') {
    const out = scanOptions(args, WGET_OPTIONS).wordOf('-O', '--output-document');
    if (out !== undefined) add(staticText(out));
    else urls.forEach((u) => add(basenameOf(u)));
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
