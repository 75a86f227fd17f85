import path from 'node:path';
import type { Command } from 'commander';
import { EXIT, UsageError, type ExitCode } from '../../errors.js';
import { ORCHESTRATE_BIN } from '../../paths.js';
import { resolveWorkspace } from '../../session/resolve-session.js';
import type { Io } from '../io.js';
import { readVersion } from '../version.js';

/** Options of `orchestrate dashboard`. */
export interface DashboardFlags {
  target?: string;
  workspace?: string;
  config?: string;
  port?: string;
}

/** Registers `orchestrate dashboard [--port N]`. */
export function registerDashboardCommand(program: Command, io: Io, setExit: (code: ExitCode) => void): void {
  program
    .command('dashboard')
    .description("serve the workspace's sessions (past and live) as a web page on 127.0.0.1; the first line printed is its URL")
    .option('--port <n>', 'the port (default 0: a free one)')
    .option('--target <dir>', 'the project (default: the current directory)')
    .option('--workspace <dir>', 'where sessions are written (default <target>/.orchestrate)')
    .option('--config <file>', 'the config sessions started from the page use')
    .action(async (_flags: DashboardFlags, cmd: Command) => {
      setExit(await dashboardCommand(cmd.optsWithGlobals<DashboardFlags>(), io));
    });
}

/** Parses `--port`: 0-65535. */
export function parsePort(value: string | undefined): number {
  if (value === undefined) return 0;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65535)
    throw new UsageError(`--port: not a port: "${value}"`, 'use a number from 1 to 65535, or 0 for a free one');
  return n;
}

/** Serves the dashboard until SIGINT/SIGTERM; sessions started from the page are stopped with it. */
export async function dashboardCommand(flags: DashboardFlags, io: Io): Promise<ExitCode> {
  const port = parsePort(flags.port);
  const target = path.resolve(io.cwd, flags.target ?? '.');
  const workspace = resolveWorkspace(io.cwd, flags);
  // the web server's modules load only when this command runs, not at every start of the CLI
  const [{ startDashboard }, { SessionStarter }] = await Promise.all([
    import('../../dashboard/web/server.js'),
    import('../../dashboard/web/start-session.js'),
  ]);
  const starter = new SessionStarter({
    bin: ORCHESTRATE_BIN,
    baseArgs: ['--target', target, '--workspace', workspace, ...(flags.config ? ['--config', path.resolve(io.cwd, flags.config)] : [])],
    workspace,
    cwd: target,
    env: io.env,
  });
  let dashboard;
  try {
    dashboard = await startDashboard({ port, workspace, version: readVersion(), starter });
  } catch (error) {
    throw new UsageError(
      `--port: cannot listen on 127.0.0.1:${port}: ${(error as Error).message}`,
      'choose another port, or 0 for a free one',
    );
  }
  io.stdout.write(`${dashboard.url}\n`);
  io.stderr.write(`orchestrate: dashboard of ${workspace}; Ctrl-C ends it\n`);
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    const on = (s: NodeJS.Signals): void => {
      for (const name of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.off(name, on);
      resolve(s);
    };
    for (const name of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(name, on);
  });
  io.stderr.write(`orchestrate: ${signal}: closing the dashboard\n`);
  await starter.close();
  await dashboard.close();
  return EXIT.OK;
}
