import path from 'node:path';
import type { AgentId } from '../agents/agent-id.js';
import { loadConfig } from '../config/load.js';
import { configSchema, type OrchestrateConfig } from '../config/schema.js';
import { parseDuration } from '../config/duration.js';
import { EXIT, OrchestrateError, type ExitCode } from '../errors.js';
import { homeOf } from '../paths.js';
import { agentEnvFor } from '../supervisor/launch-context.js';
import { checkAgentCli, noAgentCheck } from './agent-cli.js';
import { fail, ok, type DoctorCheck } from './check.js';
import { checkLogin } from './login.js';
import { isSimulatedAgent } from './simulated.js';
import { detectCgroups } from '../safety/limits/cgroups.js';
import { checkAgentsInSandbox, checkBubblewrap, checkCgroups, checkEgressProxy, type SandboxSelfTestInput } from './sandbox.js';
import { checkWorkspace } from './workspace.js';

export interface DoctorInput {
  target: string;
  workspace: string;
  /** `--config`; else `<target>/orchestrate.config.json` when present. */
  configFile?: string;
  agents: readonly AgentId[];
  /** false with --no-sandbox. */
  sandbox: boolean;
  env: NodeJS.ProcessEnv;
  /** The session's own preflight of the target and workspace (throws a UsageError naming the problem). */
  preflight: (target: string, workspace: string) => void;
  /** The session's sandbox plan for the self-test (with the sandbox on). */
  sandboxSelfTest: (config: OrchestrateConfig) => SandboxSelfTestInput;
}

export interface DoctorReport {
  checks: DoctorCheck[];
  /** 0, or the exit code a session would have stopped with (the first failing check in the order a session meets them). */
  exitCode: ExitCode;
}

/**
 * `orchestrate doctor`: every check a session's start makes, and those it cannot make until a
 * run fails (login, version), in the order a session meets them: config, target and workspace,
 * sandbox, agents. No model call; the CLIs run only with `--version`.
 */
export async function runDoctor(input: DoctorInput): Promise<DoctorReport> {
  const checks: DoctorCheck[] = [];
  const config = configCheck(input, checks);
  checks.push(...checkWorkspace({ target: input.target, workspace: input.workspace, preflight: input.preflight, env: input.env }));
  const bwrap = await checkBubblewrap(input.env, input.sandbox);
  checks.push(bwrap.check);
  if (input.sandbox) checks.push(checkCgroups(detectCgroups()), await checkEgressProxy(config.sandbox.network));
  const probeTimeoutMs = (config.probeTimeout ? parseDuration(config.probeTimeout) : undefined) ?? 10_000;
  // the CLIs answer --version concurrently, as in a session's probe
  const perAgent = await Promise.all(input.agents.map((agent) => checkAgent(agent, config, input.env, input.target, probeTimeoutMs)));
  for (const r of perAgent) checks.push(...r.checks);
  const answering = perAgent.filter((r) => r.executable).length;
  if (answering === 0) checks.push(noAgentCheck(input.agents));
  // a session's start: the answering CLIs, each started inside the sandbox as planned
  if (bwrap.bwrap) {
    const executables = new Map(perAgent.flatMap((r) => (r.executable ? [[r.agent, r.executable] as const] : [])));
    checks.push(
      ...(await checkAgentsInSandbox(
        input.sandboxSelfTest(config),
        { env: input.env, config, probeTimeoutMs, target: input.target },
        executables,
      )),
    );
  }
  return { checks, exitCode: exitCodeOf(checks) };
}

async function checkAgent(
  agent: AgentId,
  config: OrchestrateConfig,
  base: NodeJS.ProcessEnv,
  target: string,
  probeTimeoutMs: number,
): Promise<{ agent: AgentId; checks: DoctorCheck[]; executable?: string }> {
  const cfg = config.agents[agent];
  if (cfg && !cfg.enabled)
    return { agent, checks: [ok(`${agent}.enabled`, agent, `disabled in the config (agents.${agent}.enabled: false)`)] };
  // the environment the session gives this CLI: its own variables, sandbox.passEnv, the config's env
  const env = agentEnvFor(agent, base, config);
  const cli = await checkAgentCli(agent, { ...(cfg?.executable ? { executable: cfg.executable } : {}), env, cwd: target, probeTimeoutMs });
  const login = isSimulatedAgent(cli.executable)
    ? ok(`${agent}.login`, agent, 'the simulated agent (fixtures/agents) needs no login')
    : checkLogin(agent, { env, home: homeOf(env), target, args: cfg?.args ?? [] });
  return { agent, checks: [...cli.checks, login], ...(cli.executable ? { executable: cli.executable } : {}) };
}

function configCheck(input: DoctorInput, checks: DoctorCheck[]): OrchestrateConfig {
  try {
    const loaded = loadConfig(input.configFile, input.target);
    checks.push(
      ok(
        'config.valid',
        'config',
        loaded.file ? `${loaded.file} is valid` : `no config file (${path.join(input.target, 'orchestrate.config.json')}): defaults`,
      ),
    );
    return loaded.config;
  } catch (error) {
    if (!(error instanceof OrchestrateError)) throw error;
    checks.push(fail('config.valid', 'config', error.message.split('\n').join(' '), error.hint ?? 'fix the config file', error.exitCode));
    return configSchema.parse({});
  }
}

/** The first failing check's exit code, 0 when none fails. */
export function exitCodeOf(checks: readonly DoctorCheck[]): ExitCode {
  return checks.find((c) => c.status === 'fail')?.exitCode ?? EXIT.OK;
}
