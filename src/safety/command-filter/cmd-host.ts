/** Host control: shutdown, reboot, halt, poweroff, init 0/6, systemctl reboot, kill -1, kill 1 (block 8). */
import type { SimpleCommand } from './simple-command.js';
import { argTexts as texts, reporter } from './simple-command.js';
import { scanOptions } from './options.js';
import { KILL_OPTIONS } from './command-options.js';

const positionals = (t: readonly string[]): string[] => t.filter((x) => !x.startsWith('-'));

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
