import { randomBytes } from 'node:crypto';
import type { AgentId } from '../agents/agent-id.js';
import { getAdapter } from '../agents/registry.js';
import { SafetyError } from '../errors.js';
import { runBounded } from '../process/run-bounded.js';
import type { Journal } from '../session/journal.js';
import { agentEnvFor } from './launch-context.js';
import type { SessionOptions } from './session-options.js';

/** One check that failed: what, the evidence, and what the person can do. */
export interface SelfTestFailure {
  agent: AgentId;
  check: string;
  detail: string;
  fix: string;
}

/**
 * Before any agent starts: each CLI's executable runs inside the sandbox exactly as it will be
 * launched, its working copy and temp dir are writable there, and codex's own nested sandbox
 * starts (`codex sandbox -- /bin/true`). A failure stops the session at once (exit 6) instead of a
 * run that "succeeds" without having done anything.
 */
export async function sandboxSelfTest(
  opts: SessionOptions,
  agents: readonly AgentId[],
  executables: ReadonlyMap<AgentId, string>,
  sessionDir: string,
  journal: Journal,
): Promise<SelfTestFailure[]> {
  const failures = await selfTestFailures(opts, agents, executables, sessionDir);
  journal.append({ type: 'safety.sandbox_self_test', agents: [...agents], ok: failures.length === 0, failures });
  return failures;
}

/** What the self-test needs of a session (`orchestrate doctor` runs it without one). */
export type SelfTestOptions = Pick<SessionOptions, 'sandbox' | 'env' | 'config' | 'probeTimeoutMs' | 'target' | 'signal'>;

/** The self-test's checks for each agent, concurrently; the failures, none when all passed. */
export async function selfTestFailures(
  opts: SelfTestOptions,
  agents: readonly AgentId[],
  executables: ReadonlyMap<AgentId, string>,
  sessionDir: string,
): Promise<SelfTestFailure[]> {
  const results = await Promise.all(agents.map((agent) => testAgent(opts, agent, executables.get(agent), sessionDir)));
  return results.flat();
}

/** The self-test, as a stop: throws SafetyError (exit 6) naming the first failure and its fix. */
export async function requireSandboxWorks(
  opts: SessionOptions,
  agents: readonly AgentId[],
  executables: ReadonlyMap<AgentId, string>,
  sessionDir: string,
  journal: Journal,
): Promise<void> {
  const failures = await sandboxSelfTest(opts, agents, executables, sessionDir, journal);
  const first = failures[0];
  if (!first) return;
  const more = failures.length > 1 ? ` (and ${failures.length - 1} more check(s): see the journal)` : '';
  throw new SafetyError(
    `sandbox self-test failed, no agent was started: ${first.agent}: ${first.check}: ${first.detail}${more}`,
    first.fix,
  );
}

async function testAgent(
  opts: SelfTestOptions,
  agent: AgentId,
  executable: string | undefined,
  sessionDir: string,
): Promise<SelfTestFailure[]> {
  if (!executable) return [];
  const env = agentEnvFor(agent, opts.env, opts.config);
  const probe = `.orchestrate-self-test-${randomBytes(4).toString('hex')}`;
  // one start of the sandbox for the temp dir and the version (each start costs as much as a CLI's);
  // the checkout is read-only to agents (they work in a session copy, checked by the mount plan's tests)
  const writes = `touch "$TMPDIR/${probe}" || { echo "${NOT_WRITABLE}" >&2; exit 97; }; exec "$@"`;
  const checks: Array<{ check: string; file: string; args: string[]; fix: string }> = [
    {
      check: `${agent} starts in the sandbox, its temp dir writable`,
      file: '/bin/sh',
      args: ['-c', writes, 'self-test', executable, ...getAdapter(agent).versionArgs],
      fix: `make ${executable} and what it needs readable outside the person's home and temp dirs, or name its folder in sandbox.allowRead`,
    },
  ];
  if (agent === 'codex') {
    checks.push({
      check: "codex's own sandbox starts inside orchestrate's",
      file: executable,
      args: ['sandbox', '--', '/bin/true'],
      fix: 'keep CODEX_HOME outside $TMPDIR and /tmp (codex will not create codex-linux-sandbox under a temp dir), or run codex with --dangerously-bypass-approvals-and-sandbox in config args',
    });
  }
  const failures: SelfTestFailure[] = [];
  // each check is a start of the CLI, like the version probe: the same bound, with room for the sandbox
  const boundMs = Math.max(opts.probeTimeoutMs * 3, 30_000);
  for (const c of checks) {
    const wrapped = opts.sandbox.wrap({ file: c.file, args: c.args, env: {} }, { agent, env, sessionDir, executable });
    const result = await runBounded(wrapped.file, wrapped.args, {
      cwd: opts.target,
      env: { ...env, ...wrapped.env },
      timeoutMs: boundMs,
      signal: opts.signal,
    });
    wrapped.afterRun?.();
    if (result.exitCode === 97 && result.outputTail.includes(NOT_WRITABLE)) {
      failures.push({
        agent,
        check: 'the temp dir is writable in the sandbox',
        detail: lastLines(result.outputTail),
        fix: "report this layout as a bug (orchestrate's mount plan made the working copy or the temp dir read-only)",
      });
    } else if (result.exitCode !== 0) {
      const why = result.timedOut ? `no answer within ${boundMs / 1000} s` : `exit ${result.exitCode ?? result.signal}`;
      failures.push({ agent, check: c.check, detail: `${why}: ${lastLines(result.outputTail)}`, fix: c.fix });
    }
  }
  return failures;
}

const NOT_WRITABLE = 'orchestrate self-test: the temp dir is not writable';

function lastLines(text: string): string {
  return text.trim().split('\n').slice(-3).join(' | ').slice(0, 400);
}
