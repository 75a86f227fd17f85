/**
 * Small classifiers of single commands that fit no family file: `crontab`, `rg --pre`, `unzip -d`,
 * `tar -x -C` / `--to-command`, and the downloaders (which remember what they wrote).
 */
import type { SimpleCommand } from './simple-command.js';
import { report, staticText } from './simple-command.js';
import type { OptionItem, OptionScan } from './options.js';
import type { Scope } from './scope.js';
import { runnerConfirm } from './exec.js';
import { checkWrite } from './cmd-fs.js';
import { classifyInfra } from './cmd-infra.js';
import { recordDownloads } from './cmd-downloads.js';

/** crontab FILE / crontab - installs a persistent job; -l lists. */
export function classifyCrontab(cmd: SimpleCommand, _scope: Scope, scan: OptionScan): void {
  if (scan.has('-l', '--help')) return;
  report(cmd.env, 'confirm.write-outside', 'crontab installs a persistent job', cmd.argv);
}

/** rg --pre CMD / --hostname-bin CMD run a program per file. */
export function classifyRg(cmd: SimpleCommand, _scope: Scope, scan: OptionScan): void {
  if (scan.has('--pre', '--hostname-bin')) runnerConfirm(cmd, 'rg --pre');
}

/** unzip -d DIR writes into DIR. */
export function classifyUnzip(cmd: SimpleCommand, _scope: Scope, scan: OptionScan): void {
  const dir = scan.wordOf('-d');
  if (dir !== undefined) checkWrite(cmd, dir, 'unzip into');
}

/** tar -x -C DIR writes into DIR; --to-command and --checkpoint-action=exec run a program. */
export function classifyTar(cmd: SimpleCommand, _scope: Scope, scan: OptionScan): void {
  // the old style bundles the letters into the first word, without a dash (`tar xzf a.tgz`)
  const first = staticText(cmd.args[0]) ?? '';
  const extract = scan.has('-x', '--extract', '--get') || /^[a-zA-Z]*x[a-zA-Z]*$/.test(first);
  if (extract)
    for (const it of scan.items)
      if ((it.name === '-C' || it.name === '--directory') && it.value !== undefined) checkWrite(cmd, it.value, 'tar extracts into');
  // a compressor (`-I zstd`, `--use-compress-program='sh -c …'`) is a command line the script-options
  // row classifies: a plain program is fine; a command per file or checkpoint still confirms
  const runs = (it: OptionItem): boolean =>
    it.name === '--to-command' ||
    (it.name === '--checkpoint-action' && (staticText(it.value) ?? it.value?.sketch ?? '').startsWith('exec'));
  if (scan.items.some(runs)) runnerConfirm(cmd, 'tar --to-command');
}

/** curl/wget: remember downloaded files; DELETE requests are infra destruction. */
export function classifyDownloader(cmd: SimpleCommand): void {
  recordDownloads(cmd);
  classifyInfra(cmd);
}
