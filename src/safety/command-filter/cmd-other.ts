/**
 * Small classifiers of single commands that fit no family file: `crontab`, `rg --pre`, `unzip -d`,
 * `tar -x -C` / `--to-command`, and the downloaders (which remember what they wrote).
 */
import type { SimpleCommand } from './simple-command.js';
import { argTexts, report } from './simple-command.js';
import { literalWord } from './words.js';
import { runnerConfirm } from './exec.js';
import { checkWrite } from './cmd-fs.js';
import { classifyInfra, recordDownloads } from './cmd-misc.js';

/** crontab FILE / crontab - installs a persistent job; -l lists. */
export function classifyCrontab(cmd: SimpleCommand): void {
  const t = argTexts(cmd.args);
  if (t.includes('-l') || t.includes('--help')) return;
  report(cmd.env, 'confirm.write-outside', 'crontab installs a persistent job', cmd.argv);
}

/** rg --pre CMD / --hostname-bin CMD run a program per file. */
export function classifyRg(cmd: SimpleCommand): void {
  const t = argTexts(cmd.args);
  if (t.some((x) => x === '--pre' || x.startsWith('--pre=') || x === '--hostname-bin' || x.startsWith('--hostname-bin=')))
    runnerConfirm(cmd, 'rg --pre');
}

/** unzip -d DIR writes into DIR. */
export function classifyUnzip(cmd: SimpleCommand): void {
  const t = argTexts(cmd.args);
  const k = t.indexOf('-d');
  const dir = k === -1 ? undefined : cmd.args[k + 1];
  if (dir !== undefined) checkWrite(cmd, dir, 'unzip into');
}

/** tar -x -C DIR writes into DIR; --to-command and --checkpoint-action=exec run a program. */
export function classifyTar(cmd: SimpleCommand): void {
  const { args } = cmd;
  const t = argTexts(args);
  const extract =
    t.some((x, k) => (/^-[a-zA-Z]*x/.test(x) && !x.startsWith('--')) || (k === 0 && /^[a-zA-Z]*x[a-zA-Z]*$/.test(x))) ||
    t.includes('--extract') ||
    t.includes('--get');
  if (extract) {
    for (let k = 0; k < t.length; k++) {
      const x = t[k] ?? '';
      const dir = x === '-C' || x === '--directory' ? args[k + 1] : x.startsWith('--directory=') ? literalWord(x.slice(12)) : undefined;
      if (dir !== undefined) checkWrite(cmd, dir, 'tar extracts into');
    }
  }
  // a compressor (`-I zstd`, `--use-compress-program='sh -c …'`) is a command line the script-options
  // row classifies: a plain program is fine; a command per file or checkpoint still confirms
  if (t.some((x) => x.startsWith('--to-command') || x.startsWith('--checkpoint-action=exec'))) runnerConfirm(cmd, 'tar --to-command');
}

/** curl/wget: remember downloaded files; DELETE requests are infra destruction. */
export function classifyDownloader(cmd: SimpleCommand): void {
  recordDownloads(cmd);
  classifyInfra(cmd);
}
