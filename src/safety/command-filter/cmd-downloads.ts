/** Downloaders: the programs that fetch from the network, and the files they write (for download-then-execute). */
import type { SimpleCommand } from './simple-command.js';
import { argTexts as texts } from './simple-command.js';
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
