import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { systemClock } from '../../clock.js';
import { parseDuration } from '../../config/duration.js';
import { loadConfig } from '../../config/load.js';
import type { OrchestrateConfig } from '../../config/schema.js';
import { createHeadlessReporter } from '../../dashboard/headless-reporter.js';
import { lineBatch } from '../line-batch.js';
import { createJsonReporter } from '../../dashboard/json-reporter.js';
import { TtyRenderer } from '../../dashboard/tty-renderer.js';
import { renderSummaryLines } from '../../dashboard/render-summary.js';
import pc from 'picocolors';
import { SafetyError, UsageError, type ExitCode } from '../../errors.js';
import { DEFAULT_TIMEOUT_MS } from '../../plan/defaults.js';
import { INSTALL_BWRAP_HINT, probeSandbox } from '../../process/probe-sandbox.js';
import { bwrapSandboxPlan } from '../../supervisor/create-sandbox-plan.js';
import { noSandbox, type SandboxPlan } from '../../supervisor/sandbox-plan.js';
import { runSession } from '../../supervisor/supervisor.js';
import { filterContextFor, runningAsRoot } from '../../supervisor/launch-context.js';
import { createCommandGuard } from '../../safety/command-guard.js';
import { allowedWriteRoots, createPathGuard } from '../../safety/path-guard.js';
import { DEFAULT_LIMITS, resolveLimits, type ResolvedLimits } from '../../safety/limits/resolve-limits.js';
import { detectCgroups } from '../../safety/limits/cgroups.js';
import { createSandboxRuntime, describeMechanisms } from '../../safety/sandbox-runtime.js';
import { createConfirmDecider } from '../../safety/confirm/decider.js';
import { startWatchdog } from '../../process/watchdog.js';
import { sweepSessions } from '../../session/sweep.js';
import { readReviewSettings, type ReviewSettings } from '../../review/review-settings.js';
import { fileURLToPath } from 'node:url';
import type { ResumeInput } from '../../supervisor/resume-plan.js';
import type { Io } from '../io.js';
import { parseAgentList } from '../parse-agents.js';
import { readCeilings } from '../read-ceilings.js';
import { readTask } from '../read-task.js';
import { StopGuard } from '../stop-guard.js';
import { preflight } from '../preflight.js';
import { startWarnings } from '../../doctor/start-warnings.js';
import { readVersion } from '../version.js';
import { offerApply } from './offer-apply.js';
import { askAnywhere, openRunQuestions, startRunDashboard, wantsDashboard, type RunDashboard } from '../run-dashboard.js';
import { homeOf } from '../../paths.js';

/** The options of `orchestrate [options] "<task>"` as commander hands them over. */
export interface RunFlags {
  target?: string;
  workspace?: string;
  agents?: string;
  plan?: string;
  config?: string;
  /** `--task-file <file>`: the task from a file (`-` = stdin). */
  taskFile?: string;
  timeout?: string;
  /** `--max-cost <usd>`: the session's cost ceiling. */
  maxCost?: string;
  /** `--max-tokens <n>`: the session's token ceiling. */
  maxTokens?: string;
  headless?: boolean;
  json?: boolean;
  verbose?: boolean;
  sandbox?: boolean;
  trust?: boolean;
  onConfirm?: 'deny' | 'allow';
  /** false with --no-review. */
  review?: boolean;
  strict?: boolean;
  /** `--apply`: apply a successful session's changes to the checkout without asking. */
  apply?: boolean;
  /** `--port <n>`: the dashboard's port (a headless run gets a dashboard only with it). */
  port?: string;
  /** false with --no-dashboard. */
  dashboard?: boolean;
}

/** Runs a session and returns its exit code. */
export async function runCommand(taskArg: string | undefined, flags: RunFlags, io: Io, resume?: ResumeInput): Promise<ExitCode> {
  const task = await readTask({ task: taskArg, taskFile: flags.taskFile, cwd: io.cwd, stdin: io.stdin ?? process.stdin });
  const target = path.resolve(io.cwd, flags.target ?? '.');
  if (!existsSync(target) || !statSync(target).isDirectory())
    throw new UsageError(`--target: not a directory: ${target}`, 'give the project directory the agents should work on');
  const workspace = path.resolve(io.cwd, flags.workspace ?? path.join(target, '.orchestrate'));
  const { config, file: configFile, sha256: configSha256 } = loadConfig(flags.config, target);
  const timeoutMs = durationFlag('--timeout', flags.timeout ?? config.timeout) ?? DEFAULT_TIMEOUT_MS;
  const ceilings = readCeilings(flags, config);
  const probeTimeoutMs = durationFlag('probeTimeout', config.probeTimeout) ?? 10_000;
  const killGraceMs = durationFlag('killGrace', config.killGrace) ?? 5_000;
  const stallMs = config.stallTimeout === '0' ? 0 : (durationFlag('stallTimeout', config.stallTimeout) ?? 10 * 60_000);
  const planFile = flags.plan ? path.resolve(io.cwd, flags.plan) : undefined;
  const agents = parseAgentList(flags.agents);
  preflight({ target, workspace, ...(planFile ? { planFile } : {}), task, agents, config, timeoutMs });
  const json = flags.json === true;
  const headless = json || flags.headless === true || !io.stdout.isTTY || Boolean(io.env['CI']);
  // a resumed session keeps the review settings it started with (replay reads them from its journal)
  const started = resume?.entries.find((e) => e.type === 'session.started');
  const review: ReviewSettings = started
    ? readReviewSettings(started)
    : {
        enabled: flags.review !== false && config.review.enabled,
        maxRounds: config.review.maxRounds,
        timerMs: config.review.timer === '0' ? 0 : (durationFlag('review.timer', config.review.timer) ?? 15 * 60_000),
        strict: flags.strict === true || config.review.strict,
      };
  // a person can be asked only with a terminal on both ends
  const canAsk = !headless && process.stdin.isTTY === true;
  const onConfirm = flags.onConfirm ?? config.onConfirm;
  const limits = resolveLimits(config.limits);
  const recoveryBackoffMs = durationFlag('recovery.backoff', config.recovery.backoff);
  const sandbox = await chooseSandbox(flags.sandbox !== false, io, sandboxSessionFor(config, target, workspace, limits));

  const renderer = !headless ? new TtyRenderer(io.stdout, flags.verbose === true) : undefined;
  // the live page (docs/dashboard.md): a second place to answer, beside the terminal
  const withDashboard = wantsDashboard(flags, headless);
  // questions a person can answer: at the terminal, on this run's page, or from `orchestrate dashboard`
  const questions = canAsk || withDashboard ? openRunQuestions() : undefined;
  const dashboard: RunDashboard | undefined =
    withDashboard && questions
      ? await startRunDashboard({
          ...(flags.port !== undefined ? { port: flags.port } : {}),
          workspace,
          target,
          ...(flags.config ? { config: flags.config } : {}),
          io,
          version: readVersion(),
          board: questions.board,
        })
      : undefined;
  if (dashboard) {
    io.stderr.write(`dashboard: ${dashboard.url}\n`);
    renderer?.setDashboardUrl(dashboard.url);
  }
  const ask = (
    question: string,
    detail?: string,
    signal?: AbortSignal,
    kind: 'confirm' | 'escalation' = 'escalation',
  ): Promise<'yes' | 'no' | 'timeout'> =>
    askAnywhere({
      kind,
      question,
      ...(detail ? { detail } : {}),
      ...(signal ? { signal } : {}),
      ...(canAsk
        ? { terminal: { input: process.stdin, output: io.stderr, before: () => renderer?.stop(), after: () => renderer?.start() } }
        : {}),
      ...(questions ? { board: questions.board } : {}),
    });
  // headless with a dashboard, a person can still answer on the page, unless --on-confirm (or the config) says what to do
  const confirmAsks = canAsk || (dashboard !== undefined && onConfirm === undefined);
  // sessions whose supervisor died (SIGKILL, a crash) leave groups behind: end them first
  for (const s of sweepSessions(workspace).swept) {
    io.stderr.write(`orchestrate: session ${s.id} had crashed (${s.reason}); ended ${s.swept.length} leftover process(es)\n`);
  }
  // ends the agents if orchestrate itself is killed, with or without the sandbox
  const watchdog = startWatchdog({ graceMs: killGraceMs, env: io.env });
  const progress = lineBatch(io.stdout);
  const write = progress.write;
  // signals and the session's --timeout work in every state (a second signal forces)
  const guard = new StopGuard({ stderr: io.stderr, timeoutMs, killGraceMs, probeTimeoutMs });
  try {
    renderer?.start();
    const result = await runSession({
      task: task.trim(),
      target,
      workspace,
      agents,
      ...(planFile ? { planFile } : {}),
      config,
      ...(configFile ? { configFile, ...(configSha256 ? { configSha256 } : {}) } : {}),
      timeoutMs,
      ...(ceilings.costUsd !== undefined || ceilings.tokens !== undefined ? { ceilings } : {}),
      probeTimeoutMs,
      killGraceMs,
      stallMs,
      trustTarget: flags.trust !== false,
      review,
      ...(canAsk || dashboard ? { ask: (question: string) => ask(question) } : {}),
      ...(questions ? { answerQuestion: (id: string, answer: 'yes' | 'no') => questions.board.answer(id, answer) } : {}),
      confirm: {
        decide: createConfirmDecider({
          headless: !confirmAsks,
          ...(onConfirm ? { onConfirm } : {}),
          ask: (q, signal) => ask(q.question, q.detail, signal, 'confirm'),
        }),
        fallback: !canAsk && onConfirm === 'allow' ? 'allow' : 'deny',
      },
      orchestrateBin: [process.execPath, fileURLToPath(new URL('../../../bin/orchestrate.js', import.meta.url))],
      watchdog,
      limits,
      ...(recoveryBackoffMs !== undefined ? { recoveryBackoffMs } : {}),
      invocation: { argv: process.argv.slice(2), cwd: io.cwd },
      ...(resume ? { resume } : {}),
      sandbox,
      env: io.env,
      clock: systemClock,
      signal: guard.signal,
      policies: [
        createCommandGuard(
          (run) => filterContextFor(run.cwd, config.sandbox.allowWrite, { ...io.env, ...config.agents[run.agent]?.env }),
          config.commands,
        ),
        createPathGuard((run) => {
          const env = { ...io.env, ...config.agents[run.agent]?.env } as Record<string, string>;
          const home = homeOf(env);
          return {
            allowedRoots: allowedWriteRoots({ agent: run.agent, target: run.cwd, allowWrite: config.sandbox.allowWrite, env, home }),
            home,
          };
        }),
      ],
      version: readVersion(),
      onJournal: (journal, paths) => {
        journal.subscribe(guard.onEntry);
        questions?.attach(journal, paths);
        dashboard?.attach(journal, paths);
        journal.subscribe(
          json ? createJsonReporter(write) : renderer ? renderer.onEntry : createHeadlessReporter(write, flags.verbose === true),
        );
        // the quick part of `orchestrate doctor`: an untested version, a missing login (stderr)
        journal.subscribe(startWarnings({ config, env: io.env, target, warn: (line) => void io.stderr.write(line) }));
      },
    });
    renderer?.stop();
    progress.flush();
    if (!json) {
      const paint = (kind: 'ok' | 'bad', text: string): string => (renderer ? (kind === 'ok' ? pc.green(text) : pc.red(text)) : text);
      io.stdout.write(`${renderSummaryLines(result.summary, path.join(result.dir, 'summary.md'), paint).join('\n')}\n`);
      // the changes are in the session copy: show them, then apply (--apply), ask, or say how
      return await offerApply(result, { apply: flags.apply === true, ...(canAsk ? { ask: (q: string) => ask(q) } : {}) }, io);
    }
    if (flags.apply && result.exitCode === 0) return await offerApply(result, { apply: true }, { ...io, stdout: io.stderr });
    return result.exitCode;
  } finally {
    progress.close();
    renderer?.stop();
    await dashboard?.close();
    questions?.close();
    watchdog.bye();
    guard.close();
  }
}

/** The session's sandbox plan (also built by `orchestrate doctor`, to self-test it). */
export async function chooseSandbox(wanted: boolean, io: Io, session: SandboxSession): Promise<SandboxPlan> {
  if (!wanted) return noSandbox('--no-sandbox was given');
  const probe = await probeSandbox(io.env);
  if (!probe.usable || !probe.bwrap) throw new SafetyError(`refusing to start without a sandbox: ${probe.reason}`, INSTALL_BWRAP_HINT);
  const home = homeOf(io.env);
  const stateDir = path.join(io.env['XDG_STATE_HOME'] ?? path.join(home, '.local', 'state'), 'orchestrate');
  const runAsRoot = runningAsRoot();
  const { limits, target, workspace, allowWrite } = session;
  const kernel = {
    cgroups: detectCgroups(),
    pidsMax: limits.processes ?? DEFAULT_LIMITS.processes!,
    memoryBytes: limits.memoryBytes,
    ...(limits.cpuPercent !== undefined ? { cpuPercent: limits.cpuPercent } : {}),
    tmpSizeBytes: limits.tmpBytes ?? DEFAULT_LIMITS.tmpBytes!,
  };
  const extras = createSandboxRuntime({
    ...kernel,
    dir: path.join(stateDir, 'seccomp'),
    runAsRoot,
    writableRoots: (extra) => [target, ...allowWrite, ...extra],
    exclude: [workspace],
  });
  return bwrapSandboxPlan({
    bwrap: probe.bwrap,
    reason: `${probe.reason}; ${describeMechanisms(kernel)}; setuid/setgid bits refused by seccomp; ${session.network === 'allowlist' ? "network: own namespace, egress only to each CLI's API and sandbox.allowHosts" : 'network: the host\'s (sandbox.network "host")'}`,
    target,
    workspace,
    allowWrite,
    allowRead: session.allowRead,
    home,
    stateRoot: path.join(stateDir, 'agent-state'),
    orchestrateInstall: [path.dirname(process.execPath), fileURLToPath(new URL('../../../', import.meta.url))],
    tmpSizeBytes: kernel.tmpSizeBytes,
    runAsRoot,
    extras,
    ...(session.network === 'allowlist'
      ? {
          network: {
            allowHosts: session.allowHosts,
            node: process.execPath,
            forwarder: fileURLToPath(new URL('../../process/net-forwarder-main.js', import.meta.url)),
          },
        }
      : {}),
  });
}

/** What the sandbox needs of the session, from its config. */
export function sandboxSessionFor(config: OrchestrateConfig, target: string, workspace: string, limits: ResolvedLimits): SandboxSession {
  const { allowWrite, allowRead, network, allowHosts } = config.sandbox;
  return { target, workspace, allowWrite, allowRead, limits, network, allowHosts };
}

/** What the sandbox needs of the session. */
export interface SandboxSession {
  target: string;
  workspace: string;
  allowWrite: string[];
  allowRead: string[];
  limits: ResolvedLimits;
  network: 'allowlist' | 'host';
  allowHosts: string[];
}

function durationFlag(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = parseDuration(value);
  if (ms === undefined) throw new UsageError(`${name}: not a duration: "${value}"`, 'use e.g. "90s", "15m" or "1h"');
  return ms;
}
