import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseDuration } from '../config/duration.js';
import { loadConfig } from '../config/load.js';
import { UsageError } from '../errors.js';
import { DEFAULT_TIMEOUT_MS } from '../plan/defaults.js';
import { readReviewSettings, type ReviewSettings } from '../review/review-settings.js';
import { resolveLimits } from '../safety/limits/resolve-limits.js';
import type { ResumeInput } from '../supervisor/resume-plan.js';
import type { LaunchSettings } from '../supervisor/session-launch.js';
import type { Io } from './io.js';
import { parseAgentList } from './parse-agents.js';
import { preflight } from './preflight.js';
import { readCeilings } from './read-ceilings.js';
import { readTask } from './read-task.js';
import { readVersion } from './version.js';

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

/**
 * Reads the task, the flags and the config into the session's settings, checking each in the
 * order a mistake is reported (the first one wins): task, --target, config, durations, ceilings,
 * preflight (target, workspace, plan file), review, limits, recovery backoff.
 */
export async function readRunSettings(
  taskArg: string | undefined,
  flags: RunFlags,
  io: Io,
  resume: ResumeInput | undefined,
): Promise<LaunchSettings> {
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
  const onConfirm = flags.onConfirm ?? config.onConfirm;
  const limits = resolveLimits(config.limits);
  const recoveryBackoffMs = durationFlag('recovery.backoff', config.recovery.backoff);
  return {
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
    ...(onConfirm ? { onConfirm } : {}),
    limits,
    ...(recoveryBackoffMs !== undefined ? { recoveryBackoffMs } : {}),
    invocation: { argv: process.argv.slice(2), cwd: io.cwd },
    ...(resume ? { resume } : {}),
    sandbox: flags.sandbox !== false,
    env: io.env,
    version: readVersion(),
    report: io.stderr,
  };
}

function durationFlag(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = parseDuration(value);
  if (ms === undefined) throw new UsageError(`${name}: not a duration: "${value}"`, 'use e.g. "90s", "15m" or "1h"');
  return ms;
}
