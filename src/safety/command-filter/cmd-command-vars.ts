/**
 * Variables whose value programs run as a command line: pagers, editors, askpass helpers,
 * `LESSOPEN`. When one is assigned in the line, whatever runs next may read it (`man` its
 * `MANPAGER`, `crontab -e` its `EDITOR`), so its value is classified as the script it is:
 * `MANPAGER='sh -c "rm -rf /"' man ls` blocks, `EDITOR=vim crontab -e` is vim. git reads its own,
 * longer list (cmd-git-exec.ts).
 */
import type { SimpleCommand } from './simple-command.js';
import { childScope } from './scope.js';
import { literalWord } from './words.js';
import { runScriptWord } from './exec.js';

/** From the programs' manuals: man, less, systemd, sudo, ssh, bash, psql, gh, kubectl, svn, hg. */
export const COMMAND_VARS = [
  'PAGER',
  'MANPAGER',
  'SYSTEMD_PAGER',
  'PERLDOC_PAGER',
  'PSQL_PAGER',
  'GH_PAGER',
  'BAT_PAGER',
  'EDITOR',
  'VISUAL',
  'SUDO_EDITOR',
  'FCEDIT',
  'PSQL_EDITOR',
  'GH_EDITOR',
  'KUBE_EDITOR',
  'SVN_EDITOR',
  'HGEDITOR',
  'LESSOPEN',
  'LESSCLOSE',
  'BROWSER',
  'SUDO_ASKPASS',
  'SSH_ASKPASS',
  'PROMPT_COMMAND',
];

/** Classifies the values of command variables assigned in the line, for a command that may read them. */
export function commandVarScripts(cmd: SimpleCommand): void {
  if (cmd.name === 'git') return;
  for (const name of COMMAND_VARS) {
    const v = cmd.scope.vars.get(name);
    if (v === undefined || v.values.length === 0) continue;
    // the value runs once: a program inside it does not run it again
    const scope = childScope(cmd.scope);
    for (const n of COMMAND_VARS) scope.vars.delete(n);
    // LESSOPEN='|cmd %s': the leading pipes say how less reads it, %s is the file
    for (const value of v.values.slice(0, 4))
      runScriptWord(cmd, literalWord(value.replace(/^\s*\|+/, '').replace(/%s/g, 'file')), `${name} of ${cmd.name}`, undefined, scope);
  }
}
