/**
 * Package runners: `npx`, `npm exec`, `pnpm dlx|exec`, `yarn dlx|exec`, `bunx`, `uvx`, `pipx run`.
 * They run a tool by name, fetching it when it is not installed; the tool's own command line is
 * classified like any other (`npx -y rimraf ~` is a recursive delete of home). Fetching forms
 * confirm as installs (`npx -y`, `dlx`, `bunx`, `uvx`, `pipx run`); plain `npx tool` runs a
 * workspace tool (allow, see docs/command-policy.md).
 */
import type { SimpleCommand } from './simple-command.js';
import { report, staticText } from './simple-command.js';
import { scanOptions } from './options.js';
import { literalWord } from './words.js';
import { runArgv, runScriptWord } from './exec.js';

const VALUE_OPTS = ['-p', '--package', '-c', '--call', '--from', '--with', '--python', '--spec', '--cache', '--registry', '--userconfig'];

/** Deletion tools from npm, read as `rm -rf <operands>`. */
export const DELETE_TOOLS = new Set(['rimraf', 'del', 'del-cli', 'trash', 'trash-cli', 'trash-put', 'rmtrash', 'rm-cli', 'premove']);

/** Which runner form this is; undefined when the command is not a package runner. */
function runnerForm(cmd: SimpleCommand): { skip: number; fetches: boolean } | undefined {
  const sub = staticText(cmd.args[0]);
  switch (cmd.name) {
    case 'npx':
      return { skip: 0, fetches: false };
    case 'bunx':
    case 'uvx':
      return { skip: 0, fetches: true };
    case 'npm':
      return sub === 'exec' || sub === 'x' ? { skip: 1, fetches: false } : undefined;
    case 'pnpm':
    case 'yarn':
      if (sub === 'dlx') return { skip: 1, fetches: true };
      return sub === 'exec' ? { skip: 1, fetches: false } : undefined;
    case 'pipx':
      return sub === 'run' ? { skip: 1, fetches: true } : undefined;
    default:
      return undefined;
  }
}

/** Classifies a package runner and the tool it runs; false when `cmd` is not one. */
export function classifyPackageRunner(cmd: SimpleCommand): boolean {
  const form = runnerForm(cmd);
  if (form === undefined) return false;
  const args = cmd.args.slice(form.skip);
  const scan = scanOptions(args, { values: VALUE_OPTS });
  const yes = scan.has('-y', '--yes');
  if (form.fetches || yes) report(cmd.env, 'confirm.install', `${cmd.name} fetches and runs a package`, cmd.argv);
  const shell = scan.valueOf('-c') ?? scan.valueOf('--call');
  if (shell !== undefined) runScriptWord(cmd, literalWord(shell), `${cmd.name} -c`);
  const tool = args.slice(scan.end);
  if (tool.length === 0) return true;
  // `pkg@1.2.3` runs the bin named like the package
  const name =
    (staticText(tool[0]) ?? '')
      .replace(/^(@[^/]+\/)?([^@]+)@.*$/, '$1$2')
      .split('/')
      .pop() ?? '';
  runArgv(cmd, [literalWord(name), ...tool.slice(1)], {});
  return true;
}

/** rimraf and friends: `rm -rf` of their operands. */
export function classifyDeleteTool(cmd: SimpleCommand): void {
  const scan = scanOptions(cmd.args, { stopAtOperand: false, values: ['--glob'] });
  if (scan.operands.length === 0) return;
  runArgv(cmd, [literalWord('rm'), literalWord('-rf'), literalWord('--'), ...scan.operands], {});
}
