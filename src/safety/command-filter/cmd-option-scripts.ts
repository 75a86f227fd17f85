/**
 * Programs that run a command line handed to them in an option, an operand or a line of stdin
 * (`tar --checkpoint-action=exec=…`, `zip -TT …`, `man -P …`, `gdb -ex '!…'`, `socat EXEC:…`,
 * `printf '!cmd' | ed`, `script -c …`; the table is SCRIPT_OPTIONS in command-options.ts). Each
 * such text is classified as a script; the program's other rows still judge the program itself.
 */
import type { Scope } from './scope.js';
import type { SimpleCommand } from './simple-command.js';
import { staticText } from './simple-command.js';
import type { OptionScan } from './options.js';
import type { WordValue } from './words.js';
import { literalWord } from './words.js';
import { runScriptWord } from './exec.js';
import { SCRIPT_OPTIONS } from './command-options.js';

/** Classifies the command lines of a program in SCRIPT_OPTIONS; never the last word on it (returns false). */
export function classifyScriptOptions(cmd: SimpleCommand, _scope: Scope, scan: OptionScan): false {
  const entry = SCRIPT_OPTIONS[cmd.name];
  if (entry === undefined) return false;
  const run = (word: WordValue, read: (text: string) => string[], label: string): void => {
    const text = staticText(word);
    // a command line known only at run time confirms (or blocks when a block-class name shows)
    if (text === undefined) runScriptWord(cmd, word, label);
    else for (const line of read(text)) runScriptWord(cmd, literalWord(line), label);
  };
  for (const it of scan.items) {
    const read = entry.options?.[it.name];
    if (read !== undefined && it.value !== undefined) run(it.value, read, `${cmd.name} ${it.name}`);
  }
  const operands = entry.operands;
  if (operands !== undefined) for (const w of scan.operands) if (staticText(w) !== undefined) run(w, operands, cmd.name);
  const stdin = entry.stdin;
  if (stdin !== undefined) {
    const input = cmd.stdin();
    if (input.kind === 'static') for (const line of stdin(input.text)) runScriptWord(cmd, literalWord(line), `${cmd.name} stdin`);
  }
  return false;
}
