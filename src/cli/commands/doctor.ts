import path from 'node:path';
import type { Command } from 'commander';
import pc from 'picocolors';
import type { ExitCode } from '../../errors.js';
import { runDoctor, type DoctorReport } from '../../doctor/run-doctor.js';
import type { DoctorCheck } from '../../doctor/check.js';
import type { Io } from '../io.js';
import { parseAgentList } from '../parse-agents.js';
import { checkTargetAndWorkspace } from '../preflight.js';
import { resolveLimits } from '../../safety/limits/resolve-limits.js';
import { agentStateRoot, chooseSandbox, sandboxSessionFor } from '../../supervisor/choose-sandbox.js';

interface DoctorFlags {
  target?: string;
  workspace?: string;
  config?: string;
  agents?: string;
  sandbox?: boolean;
  json?: boolean;
}

/**
 * `orchestrate doctor`: checks this machine and project before a long run (docs/doctor.md). Exit 0
 * when a session could start; otherwise the code the session would have stopped with.
 */
export function registerDoctorCommand(program: Command, io: Io, setExit: (code: ExitCode) => void): void {
  program
    .command('doctor')
    .description('check the agent CLIs (found, version, login), the sandbox and the workspace before a run')
    .option('--target <dir>', 'the project (default: the current directory)')
    .option('--workspace <dir>', 'where sessions are written (default <target>/.orchestrate)')
    .option('--config <file>', 'config file (default <target>/orchestrate.config.json)')
    .option('--agents <list>', 'agents to check (default claude, codex, gemini)')
    .option('--no-sandbox', 'check as for a run with --no-sandbox')
    .option('--json', 'print the report as one JSON object')
    .action(async (_flags: DoctorFlags, cmd: Command) => {
      // optsWithGlobals: the main command declares the same options and commander gives them to it
      const flags = cmd.optsWithGlobals<DoctorFlags>();
      const target = path.resolve(io.cwd, flags.target ?? '.');
      const workspace = path.resolve(io.cwd, flags.workspace ?? path.join(target, '.orchestrate'));
      const agents = parseAgentList(flags.agents);
      const report = await runDoctor({
        target,
        workspace,
        ...(flags.config ? { configFile: path.resolve(io.cwd, flags.config) } : {}),
        agents,
        sandbox: flags.sandbox !== false,
        env: io.env,
        preflight: checkTargetAndWorkspace,
        sandboxSelfTest: (config) => ({
          plan: () => chooseSandbox(true, io.env, sandboxSessionFor(config, target, workspace, resolveLimits(config.limits))),
          // where the session's plan puts the agents' private state copies
          agentStateRoot: agentStateRoot(io.env),
        }),
      });
      io.stdout.write(
        flags.json
          ? `${JSON.stringify({ ok: report.exitCode === 0, exitCode: report.exitCode, checks: report.checks }, null, 2)}\n`
          : renderReport(report, Boolean(io.stdout.isTTY)),
      );
      setExit(report.exitCode);
    });
}

const MARK: Record<DoctorCheck['status'], string> = { ok: 'ok  ', warn: 'warn', fail: 'FAIL' };

function renderReport(report: DoctorReport, colour: boolean): string {
  const c = pc.createColors(colour);
  const paint = { ok: c.green, warn: c.yellow, fail: c.red };
  const lines: string[] = [];
  // grouped by subject, in the order subjects first appear
  for (const subject of new Set(report.checks.map((c) => c.subject))) {
    lines.push(subject);
    for (const check of report.checks.filter((c) => c.subject === subject)) {
      lines.push(`  ${paint[check.status](MARK[check.status])}  ${check.summary}`);
      if (check.fix) lines.push(`        fix: ${check.fix}`);
    }
  }
  const fails = report.checks.filter((c) => c.status === 'fail').length;
  const warns = report.checks.filter((c) => c.status === 'warn').length;
  lines.push('');
  lines.push(
    fails
      ? c.red(`${fails} problem(s) would stop a session (exit ${report.exitCode}); ${warns} warning(s)`)
      : `a session can start; ${warns} warning(s)`,
  );
  return `${lines.join('\n')}\n`;
}
