import path from 'node:path';
import type { Command } from 'commander';
import pc from 'picocolors';
import { formatDuration } from '../../config/duration.js';
import { EXIT, EXIT_NAMES, type ExitCode } from '../../errors.js';
import type { FileChanges } from '../../session/file-snapshot.js';
import { resolveSession, resolveWorkspace } from '../../session/resolve-session.js';
import { loadSessionDetails, type SessionDetails } from '../../session/session-details.js';
import type { Io } from '../io.js';
import { stateColour } from './sessions.js';
import { formatSpendLines } from '../../budget/format-spend.js';

/** Options of `orchestrate show`. */
export interface ShowFlags {
  target?: string;
  workspace?: string;
  json?: boolean;
}

/** Registers `orchestrate show <id>`. */
export function registerShowCommand(program: Command, io: Io, setExit: (code: ExitCode) => void): void {
  program
    .command('show')
    .description('show one session: plan, assignments, agents, reviews, violations, recoveries, files')
    .argument('<id>', 'a session id, a unique prefix of one, "last", or a session directory')
    .option('--target <dir>', 'the project (default: the current directory)')
    .option('--workspace <dir>', 'where sessions are written (default <target>/.orchestrate)')
    .option('--json', 'print one JSON object (session.json, plan.json, summary.json and counts)')
    .action((ref: string, _flags: ShowFlags, cmd: Command) => {
      setExit(showCommand(ref, cmd.optsWithGlobals<ShowFlags>(), io));
    });
}

/** Prints one session for a person (or `--json`). Works on running, failed and damaged sessions. */
export function showCommand(ref: string, flags: ShowFlags, io: Io): ExitCode {
  const { dir } = resolveSession(ref, resolveWorkspace(io.cwd, flags), io.cwd);
  const d = loadSessionDetails(dir);
  if (flags.json) {
    io.stdout.write(`${JSON.stringify(asJson(d), null, 2)}\n`);
    return EXIT.OK;
  }
  io.stdout.write(render(d, pc.createColors(Boolean(io.stdout.isTTY))));
  return EXIT.OK;
}

function asJson(d: SessionDetails): Record<string, unknown> {
  return {
    id: d.id,
    dir: d.dir,
    state: d.state,
    ...(d.reason ? { reason: d.reason } : {}),
    session: d.session ?? null,
    plan: d.plan ?? null,
    summary: d.summary ?? null,
    counts: d.counts,
    assignments: d.assignments,
    agents: d.agents,
    spend: d.spend,
    problems: d.problems,
    files: d.files,
  };
}

type Colors = ReturnType<typeof pc.createColors>;

function render(d: SessionDetails, c: Colors): string {
  const out: string[] = [];
  const s = d.session;
  const sum = d.summary;
  const field = (name: string, value: string): void => void out.push(`  ${c.dim(name.padEnd(8))} ${value}`);

  out.push(`${c.bold(`Session ${d.id}`)}  ${stateColour(c, d.state)(d.state)}`);
  if (d.reason) field('note', d.reason);
  field('task', s?.task ?? sum?.task ?? '-');
  field('target', s?.target ?? sum?.target ?? '-');
  const tier = d.plan?.tier.name ?? s?.tier ?? sum?.tier;
  field('tier', tier ? `${tier}${d.plan?.tier.reason ? ` (${d.plan.tier.reason})` : ''}` : '- (not planned yet)');
  const exitCode = (s?.exitCode ?? sum?.exitCode) as ExitCode | undefined;
  const outcome = s?.outcome ?? sum?.outcome;
  field(
    'outcome',
    outcome !== undefined || exitCode !== undefined
      ? `${outcome ?? '-'}, exit code ${exitCode ?? '-'}${exitCode !== undefined && EXIT_NAMES[exitCode] ? ` (${EXIT_NAMES[exitCode]})` : ''}`
      : '- (not ended)',
  );
  const startedAt = s?.startedAt ?? sum?.startedAt;
  const endedAt = s?.endedAt ?? sum?.endedAt;
  const span = startedAt && endedAt ? ` (${formatDuration(Date.parse(endedAt) - Date.parse(startedAt))})` : '';
  field('time', `${startedAt ?? '?'} to ${endedAt ?? 'now'}${span}`);
  const sandbox = s?.sandbox ?? sum?.sandbox;
  field('sandbox', sandbox ? (sandbox.active ? `bubblewrap (${sandbox.reason})` : c.yellow(`OFF (${sandbox.reason})`)) : '-');
  if (s?.supervisorPid !== undefined) field('pid', `${s.supervisorPid} (supervisor)`);

  out.push('', c.bold('Assignments'));
  if (d.assignments.length === 0) out.push('  (none: the session ended before planning)');
  const rows = d.assignments.map((a) => [
    a.id,
    a.agent,
    a.role ?? '-',
    a.weight !== undefined ? `${Math.round(a.weight * 100)}%` : '-',
    a.status,
    a.durationMs !== undefined ? `${formatDuration(a.durationMs)}${a.inProgress ? ' so far' : ''}` : '-',
    a.reason ?? '',
  ]);
  const widths = widthsOf(rows);
  d.assignments.forEach((a, i) => {
    const cells = (rows[i] ?? []).map((cell, k, all) => (k === all.length - 1 ? cell : cell.padEnd(widths[k] ?? 0)));
    cells[4] = statusColour(c, a.status)(cells[4] ?? '');
    out.push(`  ${cells.join('  ').trimEnd()}`);
    if (a.filesChanged) out.push(`      files changed: ${describeChanges(a.filesChanged)}`);
    for (const run of a.runDirs) out.push(`      run: ${run}`);
  });

  out.push('', c.bold(`Agents${sum ? '' : ' (so far, from the journal)'}`));
  const agentRows = [['agent', 'runs', 'input tokens', 'output tokens', 'cost (USD)', 'time']];
  for (const [name, t] of Object.entries(d.agents)) {
    const spent = d.spend.agents[name];
    // a model without a price: unknown, not 0
    const cost = spent && spent.costUsd === null ? `unknown (≥ ${spent.knownCostUsd.toFixed(4)})` : t.costUsd.toFixed(4);
    agentRows.push([name, String(t.runs), String(t.inputTokens), String(t.outputTokens), cost, formatDuration(t.durationMs)]);
  }
  if (agentRows.length === 1) out.push('  (no agent ran)');
  else {
    const w = widthsOf(agentRows);
    agentRows.forEach((row, i) => {
      const line = `  ${row
        .map((cell, k) => cell.padEnd(w[k] ?? 0))
        .join('  ')
        .trimEnd()}`;
      out.push(i === 0 ? c.dim(line) : line);
    });
  }

  out.push('', c.bold('Spend'), ...formatSpendLines(d.spend).map((l) => `  ${l}`));

  const k = d.counts;
  out.push('', c.bold('Journal'));
  out.push(
    `  ${k.entries} entries; violations ${k.violations} (safety.*), recoveries ${k.recoveries} (recovery.*), reviews ${k.reviews} (review.*)`,
  );
  for (const [type, n] of Object.entries(k.byType).sort()) out.push(`    ${type} ${n}`);

  if (d.problems.length) {
    out.push('', c.bold(c.red('Problems')));
    for (const p of d.problems) out.push(`  ${p}`);
  }

  if (s?.copy) {
    out.push(
      '',
      c.bold('Session copy'),
      `  ${s.copy.workDir}  (branch ${s.copy.branch.replace('refs/heads/', '')}, baseline ${s.copy.baseline.slice(0, 12)})`,
    );
    out.push(
      s.discarded
        ? `  discarded at ${s.discarded}`
        : `  orchestrate diff ${d.id}   orchestrate apply ${d.id}   orchestrate discard ${d.id}`,
    );
  }
  out.push('', c.bold('Files'), `  ${d.dir}${path.sep}`);
  for (const f of d.files) out.push(`    ${f}`);
  return `${out.join('\n')}\n`;
}

function widthsOf(rows: string[][]): number[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return widths;
}

function statusColour(c: Colors, status: string): (s: string) => string {
  if (status === 'succeeded') return c.green;
  if (status === 'running' || status === 'pending') return c.cyan;
  if (status === 'interrupted' || status === 'skipped') return c.yellow;
  return c.red;
}

function describeChanges(f: FileChanges): string {
  const all = [...f.added.map((p) => `+${p}`), ...f.modified.map((p) => `~${p}`), ...f.deleted.map((p) => `-${p}`)];
  return all.length ? all.join(' ') : 'none';
}
